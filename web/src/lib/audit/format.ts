import { formatDateTime } from '../format.js';
import type { Lang } from '../i18n/messages.js';
import { translate } from '../i18n/translate.js';

/**
 * 21/08/2024 14:30:05: an audit trail's moments to the second. Vietnam's offset is whole hours, so the seconds
 * are those of UTC and the shared date format supplies the rest.
 */
export function formatTimestamp(iso: string): string {
  return `${formatDateTime(iso)}:${String(new Date(iso).getUTCSeconds()).padStart(2, '0')}`;
}

const UNITS = [
  { key: 'audit.duration.days', ms: 86_400_000 },
  { key: 'audit.duration.hours', ms: 3_600_000 },
  { key: 'audit.duration.minutes', ms: 60_000 },
  { key: 'audit.duration.seconds', ms: 1_000 },
] as const;

/** A time span in its two largest units, rounded down: "2 ngày 3 giờ", "45 phút 10 giây", "dưới 1 giây". */
export function formatDuration(ms: number, lang: Lang): string {
  let rest = Math.max(0, Math.floor(ms));
  const parts: string[] = [];
  for (const unit of UNITS) {
    const n = Math.floor(rest / unit.ms);
    rest -= n * unit.ms;
    if (n > 0 || parts.length) parts.push(n > 0 ? translate(lang, unit.key, { n }) : '');
    if (parts.length === 2) break;
  }
  const shown = parts.filter(Boolean);
  return shown.length ? shown.join(' ') : translate(lang, 'audit.duration.underSecond');
}

/** A local date as the API's reports take it (2024-08-21) the way people read it: 21/08/2024. */
export function formatLocalDate(date: string): string {
  const [year, month, day] = date.split('-');
  return `${day}/${month}/${year}`;
}
