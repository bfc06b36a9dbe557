import { beforeAll, describe, expect, test } from 'vitest';
import ExcelJS from 'exceljs';
import { localDate } from '../../engine/calendar/working-time.js';
import { DEMO_CALLERS, actOn, business, PDF, useApiTest, type ApiTest } from '../support/api.js';

const env = useApiTest({ as: DEMO_CALLERS });
const { tokens, userIds } = env;
let http: ApiTest['http'];
const today = localDate(new Date());
const tomorrow = localDate(new Date(Date.now() + 86_400_000));

beforeAll(async () => {
  http = env.http;
  // Today at Sở Công Thương: one resolved early, one received, one waiting for a supplement, one refused at
  // reception, one awaiting reception, and one received at the counter.
  const resolved = await http.submitComplete(tokens.citizen!);
  for (const [who, action, extra] of [
    ['officer', '1100'],
    ['officer', '2000'],
    ['leader', '2101', { assignee: userIds.handler }],
    ['handler', '2600'],
    ['leader', '3100'],
    ['director', '3200'],
    ['clerk', '3300'],
    ['officer', '4000'],
  ] as const) {
    await actOn(env, who, resolved.code, action, extra);
  }
  await actOn(env, 'officer', (await http.submitComplete(tokens.citizen!)).code, '1100');
  const supplement = await http.submitComplete(tokens.citizen!);
  for (const [who, action, extra] of [['officer', '1100'], ['officer', '2000'], ['leader', '2101', { assignee: userIds.handler }], ['handler', '2300'], ['leader', '5200']] as const) {
    await actOn(env, who, supplement.code, action, extra);
  }
  await actOn(env, 'officer', (await http.submitComplete(tokens.citizen!)).code, '4200', { note: 'Sai thủ tục' });
  await http.submitComplete(tokens.citizen!);
  const counter = (await http.call('POST', '/api/counter/dossiers', tokens.officer, { procedureCode: '2.000331', applicant: { fullName: 'Phạm Văn Bình', idNumber: '001088000321' }, form: business })).json();
  expect((await http.upload(counter.id, tokens.officer!, 'TP05', { name: 'don.pdf', content: PDF }, '/api/counter/dossiers')).statusCode).toBe(201);
  expect((await http.call('POST', `/api/counter/dossiers/${counter.id}/submit`, tokens.officer, { declarationAccepted: true })).statusCode).toBe(200);
});

const summary = (token: string | undefined, query: string) => http.call('GET', `/api/reports/agency-summary?${query}`, token);

describe('agency summary (form 06a)', () => {
  test('today: received by channel, resolved early, in progress, supplement, refused; % on time', async () => {
    const res = await summary(tokens.auditor, `agency=H20.11&from=${today}&to=${today}`);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report.rows).toHaveLength(1);
    expect(report.rows[0]).toMatchObject({
      agency: { code: 'H20.11', name: 'Sở Công Thương' },
      carriedOver: 0,
      receivedOnline: 5,
      receivedCounter: 1,
      receivedPost: 0,
      totalToResolve: 6,
      resolvedEarly: 1,
      resolvedOnTime: 0,
      resolvedLate: 0,
      pendingReception: 1,
      inProgressWithinDeadline: 2,
      inProgressOverdue: 0,
      supplement: 1,
      notReceived: 1,
      withdrawn: 0,
      onTimeRate: 100,
    });
    expect(report.total).toEqual(Object.fromEntries(Object.entries(report.rows[0]).filter(([k]) => k !== 'agency')));
    expect(report.columns[0]).toEqual({ key: 'carriedOver', vi: 'Kỳ trước chuyển qua', en: 'Carried over' });
  });

  test('tomorrow: what is still open is carried over, nothing is received', async () => {
    const report = (await summary(tokens.auditor, `agency=H20.11&from=${tomorrow}&to=${tomorrow}`)).json();
    expect(report.rows[0]).toMatchObject({ carriedOver: 4, receivedOnline: 0, receivedCounter: 0, totalToResolve: 4, resolvedEarly: 0, onTimeRate: null });
  });

  test('every agency for auditors and admins; leaders see only their own', async () => {
    const all = (await summary(tokens.admin, `from=${today}&to=${today}`)).json();
    expect(all.rows.map((r: { agency: { code: string } }) => r.agency.code)).toEqual(['H20.11', 'H20.13', 'H20.20', 'H20.24.16']);
    expect(all.total.receivedOnline).toBe(5);
    const own = (await summary(tokens.leader, `from=${today}&to=${today}`)).json();
    expect(own.rows.map((r: { agency: { code: string } }) => r.agency.code)).toEqual(['H20.11']);
    expect((await summary(tokens.leader, `agency=H20.20&from=${today}&to=${today}`)).statusCode).toBe(404);
    for (const [token, status] of [[undefined, 401], [tokens.citizen, 403], [tokens.officer, 403], [tokens.handler, 403]] as const) {
      expect((await summary(token, `from=${today}&to=${today}`)).statusCode).toBe(status);
    }
  });

  test('CSV with a byte-order mark and Vietnamese labels; Excel with the same table', async () => {
    const csv = await summary(tokens.auditor, `agency=H20.11&from=${today}&to=${today}&format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="bao-cao-06a_H20.11_${today}_${today}.csv"`);
    const lines = csv.body.split('\r\n');
    expect(lines[0]!.startsWith('\uFEFFMã cơ quan,Cơ quan,Kỳ trước chuyển qua,Tiếp nhận trực tuyến')).toBe(true);
    expect(lines[1]).toMatch(/^H20\.11,Sở Công Thương,0,5,1,0,6,1,0,0,1,2,0,/);
    expect(lines[2]!.startsWith(',Tổng cộng,0,5,1')).toBe(true);

    const xlsx = await summary(tokens.auditor, `agency=H20.11&from=${today}&to=${today}&format=xlsx`);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Báo cáo 06a')!;
    expect(sheet.getCell('C2').value).toBe('Kỳ trước chuyển qua');
    expect([sheet.getCell('B3').value, sheet.getCell('D3').value, sheet.getCell('E3').value]).toEqual(['Sở Công Thương', 5, 1]);
  });

  test('a bad period is a problem with its field', async () => {
    const reversed = await summary(tokens.auditor, `from=${tomorrow}&to=${today}`);
    expect([reversed.statusCode, reversed.json().errors[0].path]).toEqual([422, '/querystring/to']);
    expect((await summary(tokens.auditor, 'from=2026-13-01&to=2026-12-01')).statusCode).toBe(400);
    expect((await summary(tokens.auditor, `from=${today}&to=${today}&format=pdf`)).statusCode).toBe(400);
  });
});
