import { describe, expect, test } from 'vitest';
import { niceMax, stackedBars } from '../../web/src/lib/audit/chart.js';
import { fileNameOf } from '../../web/src/lib/audit/download.js';
import { HEAT_COLOURS, HEAT_TEXT, heatLegend, heatLevel } from '../../web/src/lib/audit/heat.js';

/** WCAG 2.x contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

describe('chart scales', () => {
  test('a scale ends at 1, 2 or 5 × 10ⁿ', () => {
    expect([0, 1, 3, 7, 10, 11, 38, 99, 101, 2400].map(niceMax)).toEqual([1, 1, 5, 10, 10, 20, 50, 100, 200, 5000]);
  });

  test('stacked bars share one scale; null values draw nothing and an all-null bar says so', () => {
    const chart = stackedBars([
      { label: 'Sở Công Thương', values: [3, 5, 2] },
      { label: 'Sở Tư pháp', values: [0, 1, 0] },
    ]);
    expect(chart.max).toBe(10);
    expect(chart.bars[0]).toMatchObject({ widths: [30, 50, 20], total: 10, empty: false });
    expect(chart.bars[1]!.widths).toEqual([0, 10, 0]);
    const rates = stackedBars([{ label: 'A', values: [87.5] }, { label: 'B', values: [null] }], 100);
    expect(rates.max).toBe(100);
    expect(rates.bars.map((b) => [b.widths, b.empty])).toEqual([[[87.5], false], [[0], true]]);
    expect(stackedBars([]).max).toBe(1);
  });
});

describe('heatmap colours', () => {
  test('dark text keeps 4.5:1 on every level, which darkens with the count', () => {
    for (const colour of HEAT_COLOURS) expect(contrast(colour, HEAT_TEXT), colour).toBeGreaterThanOrEqual(4.5);
    const lightness = HEAT_COLOURS.map((c) => contrast(c, '#000000'));
    expect([...lightness].sort((a, b) => b - a)).toEqual(lightness);
  });

  test('levels by share of the busiest element; the legend lists the counts each stands for', () => {
    expect([0, 1, 2, 5, 6, 10].map((n) => heatLevel(n, 10))).toEqual([0, 1, 1, 3, 3, 5]);
    expect(heatLevel(1, 1)).toBe(5);
    expect(heatLegend(10)).toEqual([
      { level: 1, from: 1, to: 2 },
      { level: 2, from: 3, to: 4 },
      { level: 3, from: 5, to: 6 },
      { level: 4, from: 7, to: 8 },
      { level: 5, from: 9, to: 10 },
    ]);
    // Fewer counts than levels: only the levels a count reaches, matching heatLevel.
    expect(heatLegend(2)).toEqual([
      { level: 3, from: 1, to: 1 },
      { level: 5, from: 2, to: 2 },
    ]);
    for (const { level, from, to } of heatLegend(7)) for (let n = from; n <= to; n++) expect(heatLevel(n, 7)).toBe(level);
  });
});

describe('downloads', () => {
  test('the file name of a Content-Disposition header', () => {
    expect(fileNameOf('attachment; filename="bao-cao-06a_tat-ca_2024-08-01_2024-08-21.csv"')).toBe('bao-cao-06a_tat-ca_2024-08-01_2024-08-21.csv');
    expect(fileNameOf("attachment; filename=\"bao-cao.xlsx\"; filename*=UTF-8''b%C3%A1o-c%C3%A1o.xlsx")).toBe('báo-cáo.xlsx');
    expect(fileNameOf('attachment; filename=plain.csv')).toBe('plain.csv');
    expect(fileNameOf('attachment')).toBeNull();
    expect(fileNameOf(null)).toBeNull();
  });
});
