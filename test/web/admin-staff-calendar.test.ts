import { describe, expect, test } from 'vitest';
import { versionsByKey, type ProcessDefinition } from '../../web/src/lib/admin/api.js';
import { byMonth, dayProblem, formatDay, isWeekend, monthName, weekdayName } from '../../web/src/lib/admin/calendar.js';
import { GRANTABLE_ROLES, needsAgency, repeatedRoles, roleName, roleRow, rolesOf } from '../../web/src/lib/admin/staff.js';

describe('staff roles', () => {
  test('staff roles are held in an agency, admin and auditor province-wide; citizens are not staff', () => {
    expect(GRANTABLE_ROLES.map((r) => r.code)).not.toContain('citizen');
    expect([needsAgency('handler'), needsAgency('admin'), needsAgency('auditor')]).toEqual([true, false, false]);
    expect(roleName('dept-leader', 'vi')).toBe('Lãnh đạo phòng chuyên môn');
  });

  test('rows become the API’s roles in order, an agency only where it belongs; repeats are found', () => {
    const rows = [roleRow({ role: 'handler', agencyCode: 'H20.11' }), roleRow({ role: 'admin' }), roleRow({ role: 'auditor', agencyCode: '' })];
    // An agency chosen, then the role changed to a province-wide one: the agency is not sent.
    rows[1]!.agencyCode = 'H20.11';
    expect(rolesOf(rows)).toEqual([
      { role: 'handler', agencyCode: 'H20.11' },
      { role: 'admin', agencyCode: null },
      { role: 'auditor', agencyCode: null },
    ]);
    expect(repeatedRoles(rows)).toEqual([]);
    expect(repeatedRoles([...rows, roleRow({ role: 'handler', agencyCode: 'H20.11' }), roleRow({ role: 'handler', agencyCode: 'H20.13' })])).toEqual([3]);
  });
});

describe('the working calendar', () => {
  test('weekends, dates as written in Vietnam, names of days and months', () => {
    expect([isWeekend('2025-05-03'), isWeekend('2025-05-04'), isWeekend('2025-05-05')]).toEqual([true, true, false]);
    expect(formatDay('2025-09-02')).toBe('02/09/2025');
    expect(weekdayName('2025-09-02', 'vi')).toBe('Thứ Ba');
    expect(weekdayName('2025-09-02', 'en')).toBe('Tuesday');
    expect([monthName(1, 'vi'), monthName(12, 'en')]).toEqual(['Tháng 1', 'December']);
  });

  test('days grouped by month, in date order', () => {
    const days = [
      { day: '2026-02-17', kind: 'holiday' as const, name: 'Tết Nguyên đán' },
      { day: '2026-01-01', kind: 'holiday' as const, name: 'Tết Dương lịch' },
      { day: '2026-02-16', kind: 'holiday' as const, name: 'Giao thừa' },
    ];
    expect(byMonth(days).map(({ month, days: list }) => [month, list.map((d) => d.day)])).toEqual([
      [1, ['2026-01-01']],
      [2, ['2026-02-16', '2026-02-17']],
    ]);
  });

  test('a compensatory working day falls on a weekend; a holiday may fall on any day', () => {
    expect(dayProblem('2025-05-03', 'workday')).toBeNull();
    expect(dayProblem('2025-05-05', 'workday')).toBe('admin.calendar.workdayOnWeekday');
    expect(dayProblem('2025-05-03', 'holiday')).toBeNull();
    expect([dayProblem('', 'holiday'), dayProblem('2025-13-45', 'holiday')]).toEqual(['admin.calendar.invalidDay', 'admin.calendar.invalidDay']);
  });
});

describe('process versions', () => {
  test('grouped by key, newest first, processes by name', () => {
    const version = (key: string, n: number, name: string): ProcessDefinition => ({ id: `${key}-${n}`, key, version: n, name, procedureCode: null, sha256: '', deployedBy: '', deployedAt: '' });
    const groups = versionsByKey([version('b', 1, 'Quy trình liên thông'), version('a', 1, 'Tổng thể'), version('b', 2, 'Quy trình liên thông (sửa)')]);
    expect(groups.map((g) => [g.key, g.name, g.versions.map((v) => v.version)])).toEqual([
      ['b', 'Quy trình liên thông (sửa)', [2, 1]],
      ['a', 'Tổng thể', [1]],
    ]);
  });
});
