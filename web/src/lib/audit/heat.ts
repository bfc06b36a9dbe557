/**
 * The heatmap's colour scale, lightest first. Dark text stays on every level (the diagram's own labels are
 * black), so each background keeps a 4.5:1 contrast with it (test/web/audit-chart.test.ts checks); the count
 * is always written too, so colour is never the only cue.
 */
export const HEAT_COLOURS = ['#fff3e0', '#ffdcb0', '#ffbf7a', '#f79a4c', '#e0782e'] as const;
export const HEAT_TEXT = '#1b1f24';

/** The level (1…5) of `count` on a scale up to `max`; 0 for none. */
export function heatLevel(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0;
  return Math.min(HEAT_COLOURS.length, Math.ceil((count / max) * HEAT_COLOURS.length));
}

/** The counts each level stands for, for the legend: levels that no whole count reaches are left out. */
export function heatLegend(max: number): { level: number; from: number; to: number }[] {
  const levels: { level: number; from: number; to: number }[] = [];
  let from = 1;
  for (let level = 1; level <= HEAT_COLOURS.length && from <= max; level++) {
    const to = Math.floor((level / HEAT_COLOURS.length) * max);
    if (to < from) continue;
    levels.push({ level, from, to });
    from = to + 1;
  }
  return levels;
}
