/** The smallest 1, 2 or 5 × 10ⁿ not below `value` (1 at least): a scale end that reads well. */
export function niceMax(value: number): number {
  if (!(value > 1)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * magnitude).find((end) => end >= value)!;
}

export interface BarRow {
  label: string;
  /** One value per series; null where there is nothing to measure (an on-time rate with nothing resolved). */
  values: (number | null)[];
}

export interface Bar {
  label: string;
  values: (number | null)[];
  /** Each series' length in percent of the scale (segments of a stacked bar). */
  widths: number[];
  total: number;
  /** Every value is null: the bar shows "no data" instead of a zero. */
  empty: boolean;
}

/**
 * Stacked horizontal bars on one scale: from 0 to `max` when given (100 for percentages), else to the nice
 * end above the longest bar, so bars of different charts never look alike by accident.
 */
export function stackedBars(rows: BarRow[], max?: number): { max: number; bars: Bar[] } {
  const totals = rows.map((row) => row.values.reduce<number>((sum, v) => sum + (v ?? 0), 0));
  const end = max ?? niceMax(Math.max(0, ...totals));
  return {
    max: end,
    bars: rows.map((row, i) => ({
      label: row.label,
      values: row.values,
      widths: row.values.map((v) => ((v ?? 0) / end) * 100),
      total: totals[i]!,
      empty: row.values.every((v) => v === null),
    })),
  };
}
