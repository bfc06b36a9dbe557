/** Report periods as local dates (YYYY-MM-DD) in Vietnam's time zone, the way the API reads `from` and `to`. */
export interface Period {
  from: string;
  to: string;
}

export const PERIOD_PRESETS = ['today', 'thisMonth', 'lastMonth', 'thisYear'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

const localDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in Vietnam, whatever the browser's time zone. */
export const todayInVietnam = (now: Date = new Date()): string => localDate.format(now);

const iso = (year: number, month: number, day: number) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
/** The last day of a month (1–12): day 0 of the next one. */
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The period a preset names, as of `today` (YYYY-MM-DD); it ends today at the latest. */
export function presetPeriod(preset: PeriodPreset, today: string): Period {
  const [year, month] = today.split('-').map(Number) as [number, number];
  switch (preset) {
    case 'today':
      return { from: today, to: today };
    case 'thisMonth':
      return { from: iso(year, month, 1), to: today };
    case 'lastMonth': {
      const [y, m] = month === 1 ? [year - 1, 12] : [year, month - 1];
      return { from: iso(y, m, 1), to: iso(y, m, lastDay(y, m)) };
    }
    case 'thisYear':
      return { from: iso(year, 1, 1), to: today };
  }
}

/** The preset a period is, if any, so that its button shows as chosen. */
export const presetOf = (period: Period, today: string): PeriodPreset | undefined =>
  PERIOD_PRESETS.find((preset) => {
    const candidate = presetPeriod(preset, today);
    return candidate.from === period.from && candidate.to === period.to;
  });

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A period from a URL's `from` and `to`, or this month when either is missing or malformed. */
export function periodFromQuery(from: string | null, to: string | null, today: string): Period {
  return from && to && DATE.test(from) && DATE.test(to) ? { from, to } : presetPeriod('thisMonth', today);
}
