import { beforeAll, describe, expect, test } from 'vitest';
import { business, PDF, useApiTest, type ApiTest } from '../support/api.js';

const env = useApiTest({
  as: {
    citizen: 'citizen',
    officer: 'one-stop-officer @ H20.11',
    officerOther: 'one-stop-officer @ H20.20',
    handler: 'handler @ H20.11',
    auditor: 'auditor',
  },
});
const { tokens } = env;
let http: ApiTest['http'];
beforeAll(() => {
  http = env.http;
});

const walkIn = { fullName: 'Trần Thị Hoa', idNumber: '038190001234', phone: '0912345678' };

describe('counter reception', () => {
  test('an officer receives a walk-in applicant’s dossier: form, scanned paper, submit → code, PIN and the reception taken', async () => {
    const opened = await http.call('POST', '/api/counter/dossiers', tokens.officer, { procedureCode: '2.000331', applicant: walkIn, form: business });
    expect(opened.statusCode).toBe(201);
    const draft = opened.json();
    expect(draft).toMatchObject({ state: 'draft', channel: 'counter', form: business });

    expect((await http.upload(draft.id, tokens.officer!, 'TP05', { name: 'Đơn đề nghị.pdf', content: PDF }, '/api/counter/dossiers')).statusCode).toBe(201);
    const drafts = (await http.call('GET', '/api/counter/dossiers', tokens.officer)).json();
    expect(drafts.find((d: { id: string }) => d.id === draft.id)).toMatchObject({ state: 'draft', applicantName: walkIn.fullName });
    // Another agency's officer neither lists nor reads it.
    expect((await http.call('GET', '/api/counter/dossiers', tokens.officerOther)).json()).toEqual([]);
    expect((await http.call('GET', `/api/counter/dossiers/${draft.id}`, tokens.officerOther)).statusCode).toBe(404);

    const submitted = await http.call('POST', `/api/counter/dossiers/${draft.id}/submit`, tokens.officer, { declarationAccepted: true });
    expect(submitted.statusCode).toBe(200);
    const dossier = submitted.json();
    expect(dossier.code).toMatch(/^H20\.11-\d{6}-\d{4}$/);
    expect(dossier.pin).toMatch(/^\d{6}$/);
    expect(dossier.nationalStatus).toBe(2);
    expect(dossier.timeline.filter((e: { kind: string }) => e.kind === 'action').map((e: { action: string }) => e.action)).toEqual(['1100']);
    // The officer who received it can still print the receipt; the draft list no longer holds it.
    expect((await http.call('GET', `/api/counter/dossiers/${dossier.id}`, tokens.officer)).json().pin).toBe(dossier.pin);
    expect((await http.call('GET', '/api/counter/dossiers', tokens.officer)).json()).toEqual([]);
    // Next step: hand over (Bàn giao thụ lý), in the agency's one-stop group.
    const inbox = (await http.call('GET', `/api/tasks?view=group&q=${dossier.code}`, tokens.officer)).json();
    expect(inbox.items.map((i: { step: { elementId: string } }) => i.step.elementId)).toEqual(['transfer']);
    // The walk-in applicant has no password: the ID number does not log in, and the public lookup works.
    expect((await http.call('POST', '/api/auth/login', undefined, { username: walkIn.idNumber, password: 'anything-at-all' })).statusCode).toBe(401);
    expect((await http.call('GET', `/api/lookup?code=${dossier.code}&pin=${dossier.pin}`)).json().nationalStatus).toBe(2);
    // A received dossier cannot be discarded.
    expect((await http.call('DELETE', `/api/counter/dossiers/${dossier.id}`, tokens.officer)).statusCode).toBe(409);
  });

  test('a counter draft the applicant walked away from is discarded by an officer of the agency', async () => {
    const draft = (await http.call('POST', '/api/counter/dossiers', tokens.officer, { procedureCode: '2.000331', applicant: walkIn })).json();
    expect((await http.call('DELETE', `/api/counter/dossiers/${draft.id}`, tokens.officerOther)).statusCode).toBe(404);
    expect((await http.call('DELETE', `/api/counter/dossiers/${draft.id}`, tokens.officer)).statusCode).toBe(204);
    expect((await http.call('GET', `/api/counter/dossiers/${draft.id}`, tokens.officer)).statusCode).toBe(404);
    expect((await http.call('GET', '/api/counter/dossiers', tokens.officer)).json()).toEqual([]);
  });

  test('the same ID number finds the same applicant; registering it online is refused as taken', async () => {
    const first = (await http.call('POST', '/api/counter/dossiers', tokens.officer, { procedureCode: '2.000331', applicant: walkIn })).json();
    const second = (await http.call('POST', '/api/counter/dossiers', tokens.officer, { procedureCode: '2.000331', applicant: { ...walkIn, fullName: 'Tran Thi Hoa' } })).json();
    expect(first.id).not.toBe(second.id);
    const register = await http.call('POST', '/api/auth/register', undefined, { ...walkIn, email: 'hoa@example.vn', password: 'mat-khau-manh-1' });
    expect(register.statusCode).toBe(409);
  });

  test('refusals: an incomplete dossier lists what is missing; other agencies’ procedures, bad applicants and citizens are refused', async () => {
    const draft = (await http.call('POST', '/api/counter/dossiers', tokens.officer, { procedureCode: '2.000331', applicant: { fullName: 'Lê Văn Nam', idNumber: '001099000777' } })).json();
    const incomplete = await http.call('POST', `/api/counter/dossiers/${draft.id}/submit`, tokens.officer, { declarationAccepted: true });
    expect(incomplete.statusCode).toBe(422);
    expect(incomplete.json().errors.map((f: { path: string }) => f.path)).toContain('/files/TP05');

    const foreign = await http.call('POST', '/api/counter/dossiers', tokens.officerOther, { procedureCode: '2.000331', applicant: walkIn });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().errors[0].path).toBe('/body/procedureCode');
    const badId = await http.call('POST', '/api/counter/dossiers', tokens.officer, { procedureCode: '2.000331', applicant: { fullName: 'X Y', idNumber: '123' } });
    expect(badId.statusCode).toBe(400);
    expect(badId.headers['content-type']).toContain('application/problem+json');
    expect((await http.call('POST', '/api/counter/dossiers', tokens.citizen, { procedureCode: '2.000331', applicant: walkIn })).statusCode).toBe(403);
    expect((await http.call('POST', '/api/counter/dossiers', tokens.handler, { procedureCode: '2.000331', applicant: walkIn })).statusCode).toBe(403);
    // A citizen's own online draft is not reachable through the counter routes.
    const own = (await http.call('POST', '/api/dossiers', tokens.citizen, { procedureCode: '2.000331' })).json();
    expect((await http.call('GET', `/api/counter/dossiers/${own.id}`, tokens.officer)).statusCode).toBe(404);
  });
});

describe('file content', () => {
  test('the applicant, the agency’s staff and auditors read a file; others are told it does not exist', async () => {
    const submitted = await http.submitComplete(tokens.citizen!);
    const file = submitted.files[0];
    const url = `/api/dossiers/${submitted.id}/files/${file.id}`;
    const own = await http.call('GET', url, tokens.citizen);
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-type']).toBe('application/pdf');
    expect(own.headers['x-content-type-options']).toBe('nosniff');
    expect(own.headers['content-disposition']).toBe(`inline; filename="de-nghi.pdf"; filename*=UTF-8''de-nghi.pdf`);
    expect(own.rawPayload.equals(PDF)).toBe(true);
    expect((await http.call('GET', `${url}?download=true`, tokens.handler)).headers['content-disposition']).toMatch(/^attachment;/);
    expect((await http.call('GET', url, tokens.auditor)).statusCode).toBe(200);
    expect((await http.call('GET', url, tokens.officerOther)).statusCode).toBe(404);
    expect((await http.call('GET', url)).statusCode).toBe(401);
  });
});
