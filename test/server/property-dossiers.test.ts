import { createHash, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { business, openTaskOf, PDF, PNG, useApiTest } from '../support/api.js';
import { clip, expectWellFormedAnswer, hostileString, hostileValue, multipart, runs, type Part } from '../support/arbitraries.js';
import { RATING_INDICES } from '../../server/dossiers/dossier.table.js';

// Properties of dossiers under hostile use: uploads never accept what is not an allowed type and never keep an
// unsafe name; a failed submission never leaves half a dossier; nobody reads or changes another's dossier.

const env = useApiTest({
  as: {
    citizen: 'citizen',
    officer: 'one-stop-officer @ H20.11',
    officerOther: 'one-stop-officer @ H20.20',
    leaderOther: 'dept-leader @ H20.20',
  },
  rateLimitScale: 1_000_000,
});
const { t, tokens } = env;
const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
const walkIn = { fullName: 'Lê Thị Cúc Bí Mật', idNumber: '079188000777' };

beforeAll(async () => {
  const registered = await env.http.call('POST', '/api/auth/register', undefined, {
    fullName: 'Trần Thị Bình',
    idNumber: '079188000002',
    phone: '0987000002',
    email: 'binh@dvc.example',
    password: 'mat-khau-binh-1',
  });
  tokens.citizenOther = registered.json().accessToken;
});

const call = (...args: Parameters<typeof env.http.call>) => env.http.call(...args);

async function draft(channel: 'online' | 'counter') {
  const res =
    channel === 'online'
      ? await call('POST', '/api/dossiers', tokens.citizen, { procedureCode: '2.000331' })
      : await call('POST', '/api/counter/dossiers', tokens.officer, { procedureCode: '2.000331', applicant: walkIn });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}
const base = (channel: 'online' | 'counter') => (channel === 'online' ? '/api/dossiers' : '/api/counter/dossiers');
const actor = (channel: 'online' | 'counter') => (channel === 'online' ? tokens.citizen : tokens.officer);

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

describe('hostile uploads', () => {
  /** What a file really is, whatever its name and declared type say; only the first three are accepted. */
  const contents = {
    pdf: fc.constant(PDF),
    png: fc.constant(PNG),
    jpeg: fc.constant(JPEG),
    empty: fc.constant(Buffer.alloc(0)),
    html: fc.constant(Buffer.from('<!DOCTYPE html><script>alert(document.cookie)</script>')),
    svg: fc.constant(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')),
    exe: fc.constant(Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), Buffer.alloc(120)])),
    gif: fc.constant(Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;alert(1)//')),
    zip: fc.constant(Buffer.from('504b0304140000000000', 'hex')),
    random: fc.uint8Array({ minLength: 1, maxLength: 600 }).map((bytes) => Buffer.from(bytes)).filter((b) => !/^(%PDF|\x89PNG|\xff\xd8\xff)/.test(b.toString('latin1'))),
  };
  const allowed: Record<string, string> = { pdf: 'application/pdf', png: 'image/png', jpeg: 'image/jpeg' };
  // Half the files are of an allowed type, so that names and framing get tested on files that could be kept.
  const content = fc.oneof(
    ...Object.entries(contents).map(([kind, arb]) => ({ weight: kind in allowed ? 7 : 3, arbitrary: arb.map((bytes) => ({ kind, bytes })) })),
  );

  const fileName = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(
      '../../etc/passwd',
      '..\\..\\windows\\win.ini',
      '/etc/shadow',
      'a\u0000b.pdf',
      `${'đ'.repeat(300)}.pdf`,
      `${'x'.repeat(254)}🇻🇳.pdf`,
      'invoice\u202Efdp.exe',
      'photo\u2066gnp.exe\u2069',
      'tab\tand\u007fdel\u0085.pdf',
      '',
      ' ',
      '.',
      '..',
      'CON',
      '.htaccess',
      'Đơn đề nghị.pdf',
      '%2e%2e%2fx.pdf',
      "'; DROP TABLE dossier_file; --.pdf",
    ) },
    { weight: 1, arbitrary: hostileString.filter((s) => s.length < 400 && !/["\r\n]/.test(s)) },
  );
  const declared = fc.constantFrom('application/pdf', 'image/png', 'text/html', 'application/x-msdownload', 'image/svg+xml', 'application/octet-stream', '', '../../x');
  const componentCode = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('TP05', 'TP06', 'TP99') },
    { weight: 1, arbitrary: fc.constantFrom('KQ01', 'TP5', '__proto__', 'toString', '') },
    { weight: 1, arbitrary: hostileString.filter((s) => s.length < 1500 && !/["\r\n]/.test(s)) },
  );
  /** How the multipart body is framed: as the API expects, or broken in one way. */
  const framing = fc.constantFrom('ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'file-first', 'no-component', 'truncated', 'unclosed', 'two-files', 'no-boundary', 'wrong-boundary', 'rfc5987-name', 'many-fields');

  const upload = fc.record({ channel: fc.constantFrom<'online' | 'counter'>('online', 'counter'), content, fileName, declared, componentCode, framing });
  type Upload = typeof upload extends fc.Arbitrary<infer U> ? U : never;

  function request({ content, fileName, declared, componentCode, framing }: Upload) {
    const file: Part = { name: 'file', content: content.bytes, filename: fileName, contentType: declared || undefined };
    if (framing === 'rfc5987-name') file.headers = `Content-Disposition: form-data; name="file"; filename*=UTF-8''${encodeURIComponent(fileName.replace(/[\ud800-\udfff]/g, ''))}\r\nContent-Type: ${declared || 'application/pdf'}`;
    const field: Part = { name: 'componentCode', content: componentCode };
    const parts = (<Partial<Record<string, Part[]>>>{ 'file-first': [file, field], 'no-component': [file], 'two-files': [field, file, { ...file, content: Buffer.from('second') }], 'many-fields': [field, ...Array.from({ length: 8 }, (_, i) => ({ name: `f${i}`, content: 'x' })), file] })[framing] ?? [field, file];
    const body = multipart(parts, { close: framing !== 'unclosed', ...(framing === 'truncated' ? { truncateAt: 60 + componentCode.length + Math.floor(content.bytes.length / 2) } : {}) });
    const contentType = (<Partial<Record<string, string>>>{ 'no-boundary': 'multipart/form-data', 'wrong-boundary': 'multipart/form-data; boundary=not-the-boundary' })[framing] ?? body.contentType;
    return { body: body.body, contentType };
  }

  test('never a 5xx; only allowed content is kept, under a safe name, and served back byte for byte', async () => {
    const drafts = { online: await draft('online'), counter: await draft('counter') };
    const outcomes = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(upload, async (u) => {
        const { body, contentType } = request(u);
        const url = `${base(u.channel)}/${drafts[u.channel]}/files`;
        const seen = `${u.framing} ${u.content.kind} as ${clip(u.declared)} named ${clip(u.fileName)} for ${clip(u.componentCode)}`;
        const res = await call('POST', url, actor(u.channel), body, { 'content-type': contentType });
        expectWellFormedAnswer(res, seen);
        const wellFormed = ['ok', 'two-files', 'rfc5987-name', 'many-fields'].includes(u.framing) && ['TP05', 'TP06', 'TP99'].includes(u.componentCode);
        if (res.statusCode !== 201) {
          // Refused: then it was not an allowed file properly sent (many-fields: more than the 5 fields allowed).
          expect(wellFormed && u.content.kind in allowed && u.framing !== 'many-fields', `${seen} refused: ${clip(res.body)}`).toBe(false);
          outcomes.refused++;
          return;
        }
        outcomes.accepted++;
        expect(u.content.kind in allowed, `${seen} accepted`).toBe(true);
        const stored = res.json();
        expect(stored).toMatchObject({ mediaType: allowed[u.content.kind], size: u.content.bytes.length, sha256: sha256(u.content.bytes) });
        expectSafeName(stored.originalName, seen);

        // Kept by content hash, never under the name; served back as stored, with a safe download name.
        const row = await t.db.selectFrom('dossier_file').innerJoin('file_blob', 'file_blob.sha256', 'dossier_file.sha256').select(['dossier_file.sha256', 'original_name', 'content']).where('id', '=', stored.id).executeTakeFirstOrThrow();
        expect(Buffer.compare(Buffer.from(row.content), u.content.bytes)).toBe(0);
        expect(row.original_name).toBe(stored.originalName);
        const served = await call('GET', `${'/api/dossiers'}/${drafts[u.channel]}/files/${stored.id}?download=true`, actor(u.channel));
        expect(served.statusCode).toBe(200);
        expect(Buffer.compare(served.rawPayload, u.content.bytes)).toBe(0);
        expect(served.headers['content-type']).toContain(allowed[u.content.kind]);
        expect(served.headers['x-content-type-options']).toBe('nosniff');
        const disposition = String(served.headers['content-disposition']);
        const match = /^attachment; filename="([^"]*)"; filename\*=UTF-8''(\S*)$/.exec(disposition);
        expect(match, disposition).not.toBeNull();
        expect(match![1]).toMatch(/^[\x20-\x7e]*$/);
        expect(match![1]).not.toMatch(/[\\/"]/);
        expectSafeName(decodeURIComponent(match![2]!), seen);
      }),
      runs(400),
    );
    // Both sides of the property were exercised.
    expect(outcomes.accepted * outcomes.refused).toBeGreaterThan(0);
  });

  test('regression: a multipart body without a boundary, or cut short, is a 400 (busboy threw: a 500)', async () => {
    const id = await draft('online');
    const { body } = multipart([{ name: 'componentCode', content: 'TP05' }, { name: 'file', content: PDF, filename: 'a.pdf', contentType: 'application/pdf' }]);
    const noBoundary = await call('POST', `/api/dossiers/${id}/files`, tokens.citizen, body, { 'content-type': 'multipart/form-data' });
    expect([noBoundary.statusCode, noBoundary.json().type]).toEqual([400, '/problems/upload-malformed']);
    const cut = multipart([{ name: 'componentCode', content: 'TP05' }, { name: 'file', content: PDF, filename: 'a.pdf', contentType: 'application/pdf' }], { close: false });
    const cutShort = await call('POST', `/api/dossiers/${id}/files`, tokens.citizen, cut.body.subarray(0, cut.body.length - 4), { 'content-type': cut.contentType });
    expect([cutShort.statusCode, cutShort.json().type]).toEqual([400, '/problems/upload-malformed']);
  });

  test('regression: stored names lose DEL, C1 and bidi controls, keep whole code points, and are never "." or ".."', async () => {
    const id = await draft('online');
    const stored = async (name: string) => {
      const { body, contentType } = multipart([{ name: 'componentCode', content: 'TP99' }, { name: 'file', content: PNG, filename: name, contentType: 'image/png' }]);
      const res = await call('POST', `/api/dossiers/${id}/files`, tokens.citizen, body, { 'content-type': contentType });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().originalName;
    };
    expect(await stored('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(await stored('tab\tand\u007fdel\u0085.png')).toBe('tab_and_del_.png');
    expect(await stored(`${'x'.repeat(254)}🇻🇳.png`)).toBe(`${'x'.repeat(254)}🇻`);
    expect(await stored('..')).toBe('file');
  });
});

/** A name safe to show and to save a download under: no separators, control or bidi characters, at most 255. */
function expectSafeName(name: string, seen: string) {
  expect(name.length, seen).toBeGreaterThan(0);
  expect([...name].length, seen).toBeLessThanOrEqual(255);
  expect(name, seen).not.toMatch(/[\\/\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
  expect(name, seen).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  expect(['.', '..'], seen).not.toContain(name);
}

describe('never a partial dossier', () => {
  /** The dossier in the database: a draft with nothing of a submission, or submitted with all of it. */
  async function expectWholeDossier(id: string, seen: string) {
    const dossier = await t.db.selectFrom('dossier').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const instances = await t.db.selectFrom('process_instance').select('id').where('business_key', '=', id).execute();
    if (dossier.state === 'draft') {
      expect({ code: dossier.code, pin: dossier.pin, instance: dossier.instance_id, submittedAt: dossier.submitted_at, dueAt: dossier.due_at, instances }, seen).toEqual({
        code: null,
        pin: null,
        instance: null,
        submittedAt: null,
        dueAt: null,
        instances: [],
      });
      return dossier;
    }
    expect(dossier.code, seen).toMatch(/^H20\.11-\d{6}-\d{4}$/);
    expect(dossier.pin, seen).toMatch(/^\d{6}$/);
    expect(dossier.submitted_at, seen).toBeInstanceOf(Date);
    expect(dossier.due_at, seen).toBeInstanceOf(Date);
    expect(instances.map((i) => i.id), seen).toEqual([dossier.instance_id]);
    const events = await t.db.selectFrom('history_event').select('type').where('instance_id', '=', dossier.instance_id!).execute();
    expect(events.map((e) => e.type), seen).toContain('instance.started');
    // What was submitted was complete: the form and the required paper, which a draft's edits cannot take back now.
    expect(dossier.form_data, seen).toMatchObject(business);
    const files = await t.db.selectFrom('dossier_file').select('component_code').where('dossier_id', '=', id).where('deleted_at', 'is', null).execute();
    expect(files.map((f) => f.component_code), seen).toContain('TP05');
    return dossier;
  }

  const submitBody = fc.oneof(
    { weight: 4, arbitrary: fc.constant<unknown>({ declarationAccepted: true }) },
    { weight: 1, arbitrary: fc.constant<unknown>({ declarationAccepted: false }) },
    { weight: 1, arbitrary: fc.constant<unknown>({ declarationAccepted: 'true' }) },
    { weight: 1, arbitrary: hostileValue.map((v) => ({ declarationAccepted: v })) },
    { weight: 1, arbitrary: hostileValue },
  );
  const scenario = fc.record({
    channel: fc.constantFrom<'online' | 'counter'>('online', 'counter'),
    form: fc.constantFrom('complete', 'complete', 'partial', 'invalid', 'none'),
    paper: fc.boolean(),
    submits: fc.array(submitBody, { minLength: 1, maxLength: 3 }),
    /** Sent at the same time as the submissions. */
    meanwhile: fc.constantFrom('nothing', 'nothing', 'remove-paper', 'replace-paper', 'empty-form', 'submit-as-other'),
  });

  test('after any submission attempts, each dossier is a clean draft or wholly submitted', async () => {
    const states = { draft: 0, submitted: 0 };
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const seen = JSON.stringify(s).slice(0, 500);
        const id = await draft(s.channel);
        const url = `${base(s.channel)}/${id}`;
        const token = actor(s.channel);
        const form = { complete: business, partial: { organizationName: business.organizationName }, invalid: { ...business, taxCode: 'x' }, none: undefined }[s.form];
        if (form) expect([200, 422]).toContain((await call('PUT', `${url}/form`, token, { data: form })).statusCode);
        let paper: string | undefined;
        if (s.paper) {
          const res = await env.http.upload(id, token!, 'TP05', { name: 'de-nghi.pdf', content: PDF }, base(s.channel));
          paper = res.json().id;
        }
        const meanwhile = {
          nothing: async () => undefined,
          'remove-paper': async () => paper && call('DELETE', `${url}/files/${paper}`, token),
          'replace-paper': async () => env.http.upload(id, token!, 'TP05', { name: 'moi.pdf', content: PDF }, base(s.channel)),
          'empty-form': async () => call('PUT', `${url}/form`, token, { data: {} }),
          'submit-as-other': async () => call('POST', `/api/dossiers/${id}/submit`, tokens.citizenOther, { declarationAccepted: true }),
        }[s.meanwhile];
        const [other, ...answers] = await Promise.all([meanwhile(), ...s.submits.map((body) => call('POST', `${url}/submit`, token, JSON.stringify(body) ?? 'null', { 'content-type': 'application/json' }))]);
        if (other) expectWellFormedAnswer(other, `${seen} meanwhile`);
        for (const a of answers) expectWellFormedAnswer(a, seen);

        const dossier = await expectWholeDossier(id, seen);
        states[dossier.state]++;
        const accepted = answers.filter((a) => a.statusCode === 200);
        // Submitting twice answers the first submission again: one code, and a submitted dossier was answered 200.
        expect(new Set(accepted.map((a) => a.json().code)), seen).toEqual(new Set(dossier.state === 'submitted' ? [dossier.code] : []));
        const couldSubmit = s.form === 'complete' && s.paper && s.meanwhile === 'nothing' && s.submits.some((b) => JSON.stringify(b) === '{"declarationAccepted":true}');
        if (couldSubmit) expect(dossier.state, seen).toBe('submitted');
      }),
      runs(120),
    );
    expect(states.draft * states.submitted).toBeGreaterThan(0);
  });

  test('regression: a paper removed or a form emptied while the dossier is submitted goes before or not at all', async () => {
    for (let round = 0; round < 12; round++) {
      const id = await draft('online');
      await call('PUT', `/api/dossiers/${id}/form`, tokens.citizen, { data: business });
      const paper = (await env.http.upload(id, tokens.citizen!, 'TP05', { name: 'de-nghi.pdf', content: PDF })).json().id;
      // Both used to check "still a draft" before the submission committed and write after it.
      await Promise.all([
        call('POST', `/api/dossiers/${id}/submit`, tokens.citizen, { declarationAccepted: true }),
        round % 2 ? call('DELETE', `/api/dossiers/${id}/files/${paper}`, tokens.citizen) : call('PUT', `/api/dossiers/${id}/form`, tokens.citizen, { data: {} }),
      ]);
      await expectWholeDossier(id, `round ${round}`);
    }
  });

  test('dossier codes of the agency and day never repeat or skip, whatever failed on the way', async () => {
    const codes = (await t.db.selectFrom('dossier').select('code').where('code', 'is not', null).execute()).map((d) => d.code!);
    const byDay = new Map<string, number[]>();
    for (const code of codes) {
      const day = code.slice(0, code.lastIndexOf('-'));
      byDay.set(day, [...(byDay.get(day) ?? []), Number(code.slice(code.lastIndexOf('-') + 1))]);
    }
    expect(byDay.size).toBeGreaterThan(0);
    for (const numbers of byDay.values()) expect(numbers.sort((a, b) => a - b)).toEqual(numbers.map((_, i) => i + 1));
  });
});

describe('never another user’s data', () => {
  const secrets = { applicant: 'Nguyễn Văn An', idNumber: '001090000001', walkIn: walkIn.fullName, walkInId: walkIn.idNumber, company: business.organizationName, taxCode: business.taxCode, fileName: 'bi-mat-cua-an.pdf' };
  const victim = { submitted: '', draft: '', counter: '', task: '', file: '', code: '', pin: '' };

  beforeAll(async () => {
    const dossier = (await call('POST', '/api/dossiers', tokens.citizen, { procedureCode: '2.000331' })).json();
    await call('PUT', `/api/dossiers/${dossier.id}/form`, tokens.citizen, { data: business });
    const file = (await env.http.upload(dossier.id, tokens.citizen!, 'TP05', { name: secrets.fileName, content: PDF })).json();
    const submitted = (await call('POST', `/api/dossiers/${dossier.id}/submit`, tokens.citizen, { declarationAccepted: true })).json();
    victim.draft = (await call('POST', '/api/dossiers', tokens.citizen, { procedureCode: '2.000331' })).json().id;
    await call('PUT', `/api/dossiers/${victim.draft}/form`, tokens.citizen, { data: business });
    victim.counter = await draft('counter');
    Object.assign(victim, { submitted: dossier.id, file: file.id, code: submitted.code, pin: submitted.pin, task: (await openTaskOf(env, 'officer', submitted.code))!.id });
    expect(victim.code).toMatch(/^H20\.11-/);
  });

  const rating = { indices: Object.fromEntries(RATING_INDICES.map((k) => [k, 2])), satisfaction: 'satisfied' };
  /** Requests naming one dossier (`:id`), task (`:task`) or file (`:file`): each must be refused for outsiders. */
  const targeted: { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; path: string; body?: unknown; upload?: boolean; headers?: Record<string, string> }[] = [
    { method: 'GET', path: '/api/dossiers/:id' },
    { method: 'PUT', path: '/api/dossiers/:id/form', body: { data: {} } },
    { method: 'POST', path: '/api/dossiers/:id/files', upload: true },
    { method: 'DELETE', path: '/api/dossiers/:id/files/:file' },
    { method: 'GET', path: '/api/dossiers/:id/files/:file' },
    { method: 'POST', path: '/api/dossiers/:id/submit', body: { declarationAccepted: true } },
    { method: 'POST', path: '/api/dossiers/:id/supplement', body: {} },
    { method: 'POST', path: '/api/dossiers/:id/withdraw', body: { reason: 'rút' } },
    { method: 'POST', path: '/api/dossiers/:id/rating', body: rating },
    { method: 'GET', path: '/api/dossiers/:id/history' },
    { method: 'GET', path: '/api/dossiers/:id/history/verify' },
    { method: 'POST', path: '/api/dossiers/:id/undo', body: { reason: 'nhầm' } },
    { method: 'GET', path: '/api/counter/dossiers/:id' },
    { method: 'PUT', path: '/api/counter/dossiers/:id/form', body: { data: {} } },
    { method: 'POST', path: '/api/counter/dossiers/:id/files', upload: true },
    { method: 'DELETE', path: '/api/counter/dossiers/:id/files/:file' },
    { method: 'POST', path: '/api/counter/dossiers/:id/submit', body: { declarationAccepted: true } },
    { method: 'GET', path: '/api/tasks/:task' },
    { method: 'POST', path: '/api/tasks/:task/claim' },
    { method: 'POST', path: '/api/tasks/:task/actions', body: { actionCode: '1100' }, headers: { 'if-match': '"1"' } },
    { method: 'POST', path: '/api/tasks/:task/actions', body: { actionCode: '4200', note: 'từ chối' }, headers: { 'if-match': '"2"' } },
    { method: 'POST', path: '/api/tasks/:task/reassign', body: { to: null, reason: 'chuyển' } },
  ];
  /** Searches and lists an outsider may run: answered, but without a trace of the victim. */
  const searches = [
    () => '/api/dossiers',
    () => `/api/tasks?view=group&q=${encodeURIComponent(victim.code)}`,
    () => `/api/tasks?view=group&q=${encodeURIComponent(secrets.applicant)}`,
    () => `/api/audit/dossiers?q=${encodeURIComponent(victim.code)}`,
    () => `/api/audit/dossiers?q=${encodeURIComponent(secrets.applicant)}`,
    () => '/api/counter/dossiers',
    () => `/api/lookup?code=${encodeURIComponent(victim.code)}&pin=${victim.pin === '000000' ? '000001' : '000000'}`,
    () => `/api/reports/agency-summary?agency=H20.11&from=2020-01-01&to=2100-12-31`,
  ];

  /** The answer, less what the caller sent (a problem's `instance` is the request URL), holds none of the secrets. */
  function expectNoTrace(body: string, seen: string) {
    let text = body;
    try {
      const { instance: _instance, ...rest } = JSON.parse(body);
      text = JSON.stringify(rest);
    } catch {
      // Not JSON (a file, a CSV): checked as it is.
    }
    for (const secret of [...Object.values(secrets), victim.code]) expect(text.includes(secret), `${seen} shows ${secret}: ${clip(body)}`).toBe(false);
  }

  /** Every documented route under a dossier or a task (payments, slips… included as they come), to call as an outsider. */
  function documentedTargets() {
    type Operation = { responses?: Record<string, { content?: Record<string, unknown> }> };
    const paths = (env.app.swagger() as { paths: Record<string, Record<string, Operation>> }).paths;
    const streams = (operation: Operation) => Object.values(operation.responses ?? {}).some((r) => 'text/event-stream' in (r.content ?? {}));
    return Object.entries(paths)
      .filter(([path]) => /^\/api\/(dossiers|counter\/dossiers|tasks)\/\{id\}/.test(path))
      .flatMap(([path, operations]) =>
        Object.entries(operations)
          .filter(([method, operation]) => ['get', 'post', 'put', 'delete'].includes(method) && !streams(operation))
          .map(([method]) => ({ method: method.toUpperCase() as 'GET' | 'POST' | 'PUT' | 'DELETE', path: path.replace('{id}', ':id').replace(/\{\w+\}/g, ':file') })),
      );
  }

  test('outsiders get 403 or 404 for the victim’s dossiers, tasks and files, and searches show nothing of them', async () => {
    const snapshot = () => Promise.all((['dossier', 'dossier_file', 'process_instance', 'task'] as const).map((table) => t.db.selectFrom(table).selectAll().orderBy('id').execute()));
    const before = await snapshot();
    const outsider = fc.constantFrom('citizenOther', 'officerOther', 'leaderOther');
    const id = () => fc.constantFrom(victim.submitted, victim.draft, victim.counter, victim.task, victim.file, randomUUID());
    const documented = documentedTargets();
    expect(documented.length).toBeGreaterThan(15);
    const attempt = fc.oneof(
      fc.record({ who: outsider, route: fc.constantFrom(...targeted), id: id(), task: id(), file: id() }),
      fc.record({ who: outsider, search: fc.constantFrom(...searches) }),
      // Routes this table does not know: any body; refused one way or another (a 400 for the body is no leak).
      fc.record({ who: outsider, other: fc.constantFrom(...documented), id: id(), file: id() }),
    );
    await fc.assert(
      fc.asyncProperty(attempt, async (a) => {
        const token = tokens[a.who];
        if ('search' in a) {
          const url = a.search();
          const res = await call('GET', url, token);
          expectWellFormedAnswer(res, `${a.who} GET ${url}`);
          expectNoTrace(res.body, `${a.who} GET ${url}`);
          return;
        }
        if ('other' in a) {
          const url = a.other.path.replace(':id', a.id).replace(/:file/g, a.file);
          const res = await call(a.other.method, url, token, a.other.method === 'GET' ? undefined : {});
          expectWellFormedAnswer(res, `${a.who} ${a.other.method} ${url}`);
          expect(res.statusCode, `${a.who} ${a.other.method} ${url} → ${res.statusCode} ${clip(res.body)}`).toBeGreaterThanOrEqual(400);
          expectNoTrace(res.body, `${a.who} ${a.other.method} ${url}`);
          return;
        }
        const url = a.route.path.replace(':id', a.id).replace(':task', a.task).replace(':file', a.file);
        const seen = `${a.who} ${a.route.method} ${url}`;
        const res = a.route.upload
          ? await (() => {
              const { body, contentType } = multipart([
                { name: 'componentCode', content: 'TP99' },
                { name: 'file', content: PDF, filename: 'x.pdf', contentType: 'application/pdf' },
              ]);
              return call('POST', url, token, body, { 'content-type': contentType });
            })()
          : await call(a.route.method, url, token, a.route.body, a.route.headers);
        expectWellFormedAnswer(res, seen);
        expect([403, 404], `${seen} → ${res.statusCode} ${clip(res.body)}`).toContain(res.statusCode);
        expectNoTrace(res.body, seen);
      }),
      runs(400),
    );
    // Nor did any of it change the victim's dossiers.
    expect(await snapshot()).toEqual(before);
  });
});
