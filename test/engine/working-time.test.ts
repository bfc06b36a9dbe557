import { describe, expect, test } from 'vitest';
import { addWorkingHours, localDate, parseDeadline, workingCalendar, workingHoursBetween } from '../../engine/calendar/working-time.js';

// Instants are written in Vietnam time (+07:00), as officers read them.
const at = (local: string) => new Date(`${local}+07:00`);
const plain = workingCalendar();

describe('addWorkingHours', () => {
  test('inside one working period', () => {
    expect(addWorkingHours(at('2026-11-23T08:00:00'), 2, plain)).toEqual(at('2026-11-23T10:00:00'));
  });

  test('the lunch break does not count', () => {
    expect(addWorkingHours(at('2026-11-23T10:30:00'), 2, plain)).toEqual(at('2026-11-23T14:00:00'));
  });

  test('received after hours counts from the next working period', () => {
    expect(addWorkingHours(at('2026-11-23T18:45:00'), 1, plain)).toEqual(at('2026-11-24T08:30:00'));
    expect(addWorkingHours(at('2026-11-23T06:00:00'), 1, plain)).toEqual(at('2026-11-23T08:30:00'));
  });

  test('weekends are skipped: Friday afternoon + 8 h ends Monday afternoon', () => {
    expect(addWorkingHours(at('2026-11-27T15:00:00'), 8, plain)).toEqual(at('2026-11-30T15:00:00'));
  });

  test('holidays are skipped and compensatory Saturdays are worked', () => {
    const calendar = workingCalendar([
      { day: '2026-11-30', kind: 'holiday' },
      { day: '2026-11-28', kind: 'workday' },
    ]);
    // Friday 16:00 + 2 h: one hour on Friday, then Saturday (worked) 07:30 + 1 h.
    expect(addWorkingHours(at('2026-11-27T16:00:00'), 2, calendar)).toEqual(at('2026-11-28T08:30:00'));
    // From Saturday 17:00, Sunday and the Monday holiday are skipped.
    expect(addWorkingHours(at('2026-11-28T17:00:00'), 1, calendar)).toEqual(at('2026-12-01T08:30:00'));
  });

  test('a whole Tết week off moves a 3-day limit past it', () => {
    const tet = ['2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'].map((day) => ({ day, kind: 'holiday' as const }));
    expect(addWorkingHours(at('2027-02-04T09:00:00'), 24, workingCalendar(tet))).toEqual(at('2027-02-17T09:00:00'));
  });
});

test('workingHoursBetween counts only working time, and undoes addWorkingHours', () => {
  expect(workingHoursBetween(at('2026-11-27T10:00:00'), at('2026-11-30T09:30:00'), plain)).toBe(1.5 + 4 + 2);
  const start = at('2026-11-26T16:15:00');
  expect(workingHoursBetween(start, addWorkingHours(start, 13.5, plain), plain)).toBe(13.5);
  expect(workingHoursBetween(at('2026-11-28T08:00:00'), at('2026-11-29T17:00:00'), plain)).toBe(0);
});

test('parseDeadline reads working hours and days', () => {
  expect([parseDeadline('4h'), parseDeadline('1.5d'), parseDeadline('3d'), parseDeadline('P3D'), parseDeadline('')]).toEqual([4, 12, 24, null, null]);
});

test('localDate is the date in Vietnam', () => {
  expect(localDate(new Date('2026-11-23T18:30:00Z'))).toBe('2026-11-24');
});
