import { describe, expect, test } from 'vitest';
import { formatDuration, formatLocalDate, formatTimestamp } from '../../web/src/lib/audit/format.js';
import { presetOf, presetPeriod, periodFromQuery, todayInVietnam } from '../../web/src/lib/audit/period.js';

describe('audit formats', () => {
  test('moments to the second, in Vietnam’s time zone', () => {
    expect(formatTimestamp('2024-08-21T07:30:05.123Z')).toBe('21/08/2024 14:30:05');
    expect(formatTimestamp('2024-12-31T17:59:59Z')).toBe('01/01/2025 00:59:59');
    expect(formatLocalDate('2024-08-01')).toBe('01/08/2024');
  });

  test('durations in their two largest units, rounded down', () => {
    const [s, min, h, d] = [1000, 60_000, 3_600_000, 86_400_000];
    expect(formatDuration(2 * d + 3 * h + 59 * min, 'vi')).toBe('2 ngày 3 giờ');
    expect(formatDuration(2 * d + 5 * min, 'vi')).toBe('2 ngày');
    expect(formatDuration(45 * min + 10 * s + 999, 'vi')).toBe('45 phút 10 giây');
    expect(formatDuration(h, 'en')).toBe('1 h');
    expect(formatDuration(12 * s, 'en')).toBe('12 s');
    expect(formatDuration(178, 'vi')).toBe('dưới 1 giây');
    expect(formatDuration(0, 'en')).toBe('under 1 s');
  });
});

describe('report periods', () => {
  test('today is Vietnam’s date, whatever the machine’s zone', () => {
    expect(todayInVietnam(new Date('2024-08-20T17:30:00Z'))).toBe('2024-08-21');
    expect(todayInVietnam(new Date('2024-08-21T16:59:59Z'))).toBe('2024-08-21');
  });

  test('presets end today at the latest; last month is whole, across a year’s end too', () => {
    expect(presetPeriod('today', '2024-08-21')).toEqual({ from: '2024-08-21', to: '2024-08-21' });
    expect(presetPeriod('thisMonth', '2024-08-21')).toEqual({ from: '2024-08-01', to: '2024-08-21' });
    expect(presetPeriod('lastMonth', '2024-03-15')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(presetPeriod('lastMonth', '2025-01-10')).toEqual({ from: '2024-12-01', to: '2024-12-31' });
    expect(presetPeriod('thisYear', '2024-08-21')).toEqual({ from: '2024-01-01', to: '2024-08-21' });
  });

  test('the URL’s period, this month when it has none; the preset a period is', () => {
    expect(periodFromQuery('2024-01-01', '2024-06-30', '2024-08-21')).toEqual({ from: '2024-01-01', to: '2024-06-30' });
    expect(periodFromQuery(null, '2024-06-30', '2024-08-21')).toEqual({ from: '2024-08-01', to: '2024-08-21' });
    expect(periodFromQuery('1/1/2024', '2024-06-30', '2024-08-21')).toEqual({ from: '2024-08-01', to: '2024-08-21' });
    expect(presetOf({ from: '2024-07-01', to: '2024-07-31' }, '2024-08-21')).toBe('lastMonth');
    expect(presetOf({ from: '2024-08-21', to: '2024-08-21' }, '2024-08-21')).toBe('today');
    expect(presetOf({ from: '2024-07-02', to: '2024-07-31' }, '2024-08-21')).toBeUndefined();
  });
});
