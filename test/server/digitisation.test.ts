import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'kysely';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { demoCertificate } from '../../server/signatures/certificate.service.js';
import { signPdf } from '../../server/signatures/signature.service.js';
import { multipartFile } from '../support/fixtures.js';
import { DEMO_CALLERS, actOn, business, PDF, PNG, useApiTest, type ApiTest } from '../support/api.js';

// Sở Văn hóa, Thể thao và Du lịch's staff too: its report holds only the dossiers of the last test.
const AT_H20_13 = { officer13: 'one-stop-officer @ H20.13', leader13: 'dept-leader @ H20.13', handler13: 'handler @ H20.13', director13: 'agency-leader @ H20.13', clerk13: 'clerk @ H20.13' };
// More logins than the login rate limit lets one address make in a minute.
const env = useApiTest({ as: { ...DEMO_CALLERS, ...AT_H20_13 }, rateLimitScale: 2 });
const { tokens, userIds } = env;
let http: ApiTest['http'];
/** A PDF pdf-lib can open (the signing step signs it). */
let resultPdf: Buffer;
/** A PDF signed by another province's agency: an electronic original this system holds no certificate for. */
let foreignSigned: Buffer;

beforeAll(async () => {
  http = env.http;
  const doc = await PDFDocument.create();
  doc.addPage([595.28, 841.89]).drawText('Giay chung nhan', { x: 60, y: 760, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  resultPdf = Buffer.from(await doc.save());
  foreignSigned = await signPdf(resultPdf, await demoCertificate('Sở Tư pháp tỉnh Lâm Đồng'), { signer: 'So Tu phap', reason: 'Ban goc dien tu', signedAt: new Date() });
});

type FileView = { id: string; componentCode: string; originalName: string; sha256: string };
type Mark = { kind: string; certifiedBy: { id: string; name: string | null }; certifiedAt: string; signer: string | null; scan: { originalName: string; mediaType: string; size: number; sha256: string } | null };
type State = { canManage: boolean; otherDocumentsCode: string | null; files: { fileId: string; componentCode: string; mark: Mark | null }[] };

const base = (dossierId: string, fileId: string) => `/api/staff/dossiers/${dossierId}/files/${fileId}`;
const mark = (dossierId: string, fileId: string, kind: string, token = tokens.officer) => http.call('POST', `${base(dossierId, fileId)}/digitisation`, token, { kind });
const markWithScan = (dossierId: string, fileId: string, scan: { name: string; content: Buffer }, token = tokens.clerk!) => {
  const form = multipartFile(null, scan);
  return http.call('POST', `${base(dossierId, fileId)}/digitisation/scan`, token, form.body, { 'content-type': form.contentType });
};
const unmark = (dossierId: string, fileId: string, reason: unknown, token = tokens.officer) => http.call('DELETE', `${base(dossierId, fileId)}/digitisation`, token, { reason });
const reclassify = (dossierId: string, fileId: string, componentCode: string, token = tokens.officer) => http.call('POST', `${base(dossierId, fileId)}/reclassify`, token, { componentCode });
const stateOf = async (dossierId: string, token = tokens.officer): Promise<State> => {
  const res = await http.call('GET', `/api/staff/dossiers/${dossierId}/digitisation`, token);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const markOf = async (dossierId: string, fileId: string) => (await stateOf(dossierId)).files.find((f) => f.fileId === fileId)?.mark ?? null;
const historyOf = async (dossierId: string) => (await http.call('GET', `/api/dossiers/${dossierId}/history`, tokens.auditor)).json() as { type: string; actorId: string; data: Record<string, unknown> }[];

/**
 * A dossier of `procedureCode` submitted by the citizen with `files` (component → files), as the citizen uploads
 * them; returns it with its files by component.
 */
async function submitted(files: Record<string, { name: string; content: Buffer }[]>, procedureCode = '2.000331', form: Record<string, unknown> = business) {
  const draft = (await http.call('POST', '/api/dossiers', tokens.citizen, { procedureCode })).json();
  expect((await http.call('PUT', `/api/dossiers/${draft.id}/form`, tokens.citizen, { data: form })).statusCode).toBe(200);
  const byComponent: Record<string, FileView[]> = {};
  for (const [code, list] of Object.entries(files)) {
    for (const file of list) {
      const res = await http.upload(draft.id, tokens.citizen!, code, file);
      expect(res.statusCode, res.body).toBe(201);
      (byComponent[code] ??= []).push(res.json());
    }
  }
  const res = await http.call('POST', `/api/dossiers/${draft.id}/submit`, tokens.citizen, { declarationAccepted: true });
  expect(res.statusCode, res.body).toBe(200);
  return { id: draft.id as string, code: res.json().code as string, files: byComponent };
}

describe('marking files digitised (số hóa)', () => {
  test('a one-stop officer certifies a received component as a copy; a clerk attaches the scan of its paper original', async () => {
    const dossier = await submitted({ TP05: [{ name: 'de-nghi.pdf', content: PDF }], TP99: [{ name: 'anh-chup.png', content: PNG }] });
    const [tp05] = dossier.files.TP05!;
    const [photo] = dossier.files.TP99!;
    expect(await stateOf(dossier.id)).toEqual({
      canManage: true,
      otherDocumentsCode: 'TP99',
      files: [
        { fileId: tp05!.id, componentCode: 'TP05', mark: null },
        { fileId: photo!.id, componentCode: 'TP99', mark: null },
      ],
    });

    const marked = await mark(dossier.id, tp05!.id, 'scanned-copy');
    expect(marked.statusCode, marked.body).toBe(201);
    expect(marked.json()).toMatchObject({ kind: 'scanned-copy', certifiedBy: { id: userIds.officer, name: expect.any(String) }, signer: null, scan: null });
    const again = await mark(dossier.id, tp05!.id, 'scanned-copy');
    expect([again.statusCode, again.json().type]).toEqual([409, '/problems/already-digitised']);

    // The photo the citizen took is replaced, as the certified copy, by the clerk's scan of the paper original.
    const scan = { name: 'ban-quet.pdf', content: resultPdf };
    const wrongType = await markWithScan(dossier.id, photo!.id, { name: 'scan.txt', content: Buffer.from('not a scan at all') });
    expect([wrongType.statusCode, wrongType.json().type, wrongType.json().errors[0].path]).toEqual([415, '/problems/file-type-not-allowed', '/body/file']);
    const withScan = await markWithScan(dossier.id, photo!.id, scan);
    expect(withScan.statusCode, withScan.body).toBe(201);
    expect(withScan.json()).toMatchObject({
      kind: 'scanned-copy',
      certifiedBy: { id: userIds.clerk },
      scan: { originalName: 'ban-quet.pdf', mediaType: 'application/pdf', size: resultPdf.length, sha256: createHash('sha256').update(resultPdf).digest('hex') },
    });
    expect((await markOf(dossier.id, photo!.id))?.scan?.originalName).toBe('ban-quet.pdf');
    // The scan is read by those who read the dossier: its applicant, the agency's staff, auditors.
    for (const token of [tokens.citizen, tokens.handler, tokens.auditor]) {
      const download = await http.call('GET', `/api/dossiers/${dossier.id}/files/${photo!.id}/digitisation/scan`, token);
      expect([download.statusCode, download.headers['content-type']]).toEqual([200, 'application/pdf']);
      expect(Buffer.compare(download.rawPayload, resultPdf)).toBe(0);
    }
    expect((await http.call('GET', `/api/dossiers/${dossier.id}/files/${photo!.id}/digitisation/scan`, tokens.officerOther)).statusCode).toBe(404);
    expect((await http.call('GET', `/api/dossiers/${dossier.id}/files/${tp05!.id}/digitisation/scan`, tokens.citizen)).json().type).toBe('/problems/scan-not-found');
  });

  test('an electronic original: a signed PDF is one (its signer kept); an unsigned PDF or an image is not', async () => {
    const dossier = await submitted({ TP05: [{ name: 'de-nghi.pdf', content: resultPdf }], TP06: [{ name: 'giay-phep-ky-so.pdf', content: foreignSigned }], TP99: [{ name: 'anh.png', content: PNG }] });
    const unsigned = await mark(dossier.id, dossier.files.TP05![0]!.id, 'electronic-original');
    expect([unsigned.statusCode, unsigned.json().type, unsigned.json().errors[0].path]).toEqual([422, '/problems/electronic-original-no-signature', '/body/kind']);
    expect(unsigned.json().messageVi).toContain('bản sao điện tử chứng thực');
    const image = await mark(dossier.id, dossier.files.TP99![0]!.id, 'electronic-original');
    expect([image.statusCode, image.json().type]).toEqual([422, '/problems/electronic-original-not-pdf']);
    // Signed by an issuer elsewhere, whose certificate this system does not hold: its signature verifies.
    const original = await mark(dossier.id, dossier.files.TP06![0]!.id, 'electronic-original', tokens.clerk);
    expect(original.statusCode, original.body).toBe(201);
    expect(original.json()).toMatchObject({ kind: 'electronic-original', signer: 'Sở Tư pháp tỉnh Lâm Đồng', scan: null });
    // One altered byte and it is no original any more.
    const tampered = Buffer.from(foreignSigned);
    const at = tampered.toString('latin1').indexOf('/MediaBox');
    tampered[at + 2] = tampered[at + 2]! ^ 0x20;
    const second = await submitted({ TP05: [{ name: 'sua.pdf', content: tampered }] });
    const refused = await mark(second.id, second.files.TP05![0]!.id, 'electronic-original');
    expect([refused.statusCode, refused.json().type]).toEqual([422, '/problems/electronic-original-tampered']);
    expect(await markOf(second.id, second.files.TP05![0]!.id)).toBeNull();
  });

  test('refused to a handler, a leader, the citizen and an auditor (403), to another agency’s officer (404), on a draft (409)', async () => {
    const dossier = await submitted({ TP05: [{ name: 'de-nghi.pdf', content: PDF }], TP99: [{ name: 'anh.png', content: PNG }] });
    const file = dossier.files.TP05![0]!.id;
    for (const who of ['handler', 'leader', 'director', 'citizen', 'auditor', 'admin']) {
      const res = await mark(dossier.id, file, 'scanned-copy', tokens[who]);
      expect([who, res.statusCode, res.json().type]).toEqual([who, 403, '/problems/forbidden']);
      expect((await reclassify(dossier.id, dossier.files.TP99![0]!.id, 'TP06', tokens[who])).statusCode).toBe(403);
    }
    const other = await mark(dossier.id, file, 'scanned-copy', tokens.officerOther);
    expect([other.statusCode, other.json().type]).toEqual([404, '/problems/dossier-not-found']);
    expect((await http.call('GET', `/api/staff/dossiers/${dossier.id}/digitisation`, tokens.officerOther)).statusCode).toBe(404);
    expect((await http.call('GET', `/api/staff/dossiers/${dossier.id}/digitisation`, tokens.citizen)).statusCode).toBe(403);
    // The agency's other staff and auditors read the marks, without the right to change them.
    expect((await stateOf(dossier.id, tokens.handler)).canManage).toBe(false);
    expect((await stateOf(dossier.id, tokens.auditor)).canManage).toBe(false);
    const draft = (await http.call('POST', '/api/dossiers', tokens.citizen, { procedureCode: '2.000331' })).json();
    const draftFile = (await http.upload(draft.id, tokens.citizen!, 'TP05', { name: 'a.pdf', content: PDF })).json();
    expect((await mark(draft.id, draftFile.id, 'scanned-copy')).json().type).toBe('/problems/dossier-not-submitted');
    // A file of another dossier, or none.
    expect((await mark(dossier.id, draftFile.id, 'scanned-copy')).statusCode).toBe(404);
    expect((await mark(dossier.id, file, 'photocopy')).statusCode).toBe(400);
    expect(await markOf(dossier.id, file)).toBeNull();
  });

  test('a mistaken mark is taken back with its reason, and the file can be marked again', async () => {
    const dossier = await submitted({ TP05: [{ name: 'de-nghi.pdf', content: PDF }] });
    const file = dossier.files.TP05![0]!.id;
    expect((await unmark(dossier.id, file, 'Chưa số hóa')).json().type).toBe('/problems/not-digitised');
    expect((await mark(dossier.id, file, 'scanned-copy')).statusCode).toBe(201);
    const blank = await unmark(dossier.id, file, '   ');
    expect([blank.statusCode, blank.json().type, blank.json().errors[0].path]).toEqual([422, '/problems/reason-required', '/body/reason']);
    expect((await http.call('DELETE', `${base(dossier.id, file)}/digitisation`, tokens.officer)).statusCode).toBe(400);
    expect((await unmark(dossier.id, file, 'Nhầm', tokens.handler)).statusCode).toBe(403);
    const undone = await unmark(dossier.id, file, '  Đối chiếu nhầm bản chính  ', tokens.clerk);
    expect(undone.statusCode, undone.body).toBe(204);
    expect(await markOf(dossier.id, file)).toBeNull();
    expect((await mark(dossier.id, file, 'scanned-copy', tokens.clerk)).statusCode).toBe(201);
    // Both marks are kept: the first with who took it back, when and why.
    const rows = await env.t.db.selectFrom('dossier_file_digitisation').selectAll().where('file_id', '=', file).orderBy('certified_at').execute();
    expect(rows.map((r) => [r.certified_by, r.revoked_by, r.revoke_reason])).toEqual([
      [userIds.officer, userIds.clerk, 'Đối chiếu nhầm bản chính'],
      [userIds.clerk, null, null],
    ]);
  });
});

describe('reclassifying "other documents" (tài liệu khác)', () => {
  test('the officer moves a file the citizen put under TP99 to the input component it belongs to', async () => {
    const dossier = await submitted({
      TP05: [{ name: 'de-nghi.pdf', content: PDF }],
      TP99: [
        { name: 'ho-so-co-so.pdf', content: PDF },
        { name: 'anh-san-pham.png', content: PNG },
      ],
    });
    const [registration, photo] = dossier.files.TP99!;
    // Refusals first: not a result component, no other procedure's component, not the file of another component.
    const toResult = await reclassify(dossier.id, registration!.id, 'KQ01');
    expect([toResult.statusCode, toResult.json().type, toResult.json().errors[0].path]).toEqual([422, '/problems/reclassify-target-invalid', '/body/componentCode']);
    expect((await reclassify(dossier.id, registration!.id, 'TP99')).json().type).toBe('/problems/reclassify-target-invalid');
    const elsewhere = await reclassify(dossier.id, registration!.id, 'TP01');
    expect([elsewhere.statusCode, elsewhere.json().type]).toEqual([422, '/problems/unknown-component']);
    const notOther = await reclassify(dossier.id, dossier.files.TP05![0]!.id, 'TP06');
    expect([notOther.statusCode, notOther.json().type]).toEqual([409, '/problems/not-other-documents']);
    // TP05 takes one file and holds the citizen's.
    const occupied = await reclassify(dossier.id, registration!.id, 'TP05');
    expect([occupied.statusCode, occupied.json().type]).toEqual([409, '/problems/component-occupied']);
    expect((await reclassify(dossier.id, registration!.id, 'TP06', tokens.officerOther)).statusCode).toBe(404);

    const moved = await reclassify(dossier.id, registration!.id, 'TP06', tokens.clerk);
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ id: registration!.id, componentCode: 'TP06', originalName: 'ho-so-co-so.pdf', sha256: registration!.sha256 });
    const files = (await http.call('GET', `/api/dossiers/${dossier.id}`, tokens.citizen)).json().files as FileView[];
    expect(files.map((f) => [f.originalName, f.componentCode])).toEqual([
      ['de-nghi.pdf', 'TP05'],
      ['ho-so-co-so.pdf', 'TP06'],
      ['anh-san-pham.png', 'TP99'],
    ]);
    expect((await reclassify(dossier.id, registration!.id, 'TP05')).json().type).toBe('/problems/not-other-documents');
    // TP06 now holds its one file.
    expect((await reclassify(dossier.id, photo!.id, 'TP06')).json().type).toBe('/problems/component-occupied');
  });
});

describe('the dossier’s history', () => {
  test('marks, undos and reclassifications are hash-chained events naming the file, the officer and the reason', async () => {
    const dossier = await submitted({ TP05: [{ name: 'de-nghi.pdf', content: PDF }], TP99: [{ name: 'ho-so.pdf', content: PDF }] });
    const [tp05] = dossier.files.TP05!;
    const [other] = dossier.files.TP99!;
    await mark(dossier.id, tp05!.id, 'scanned-copy');
    await unmark(dossier.id, tp05!.id, 'Nhầm tệp');
    await reclassify(dossier.id, other!.id, 'TP06');
    expect((await markWithScan(dossier.id, other!.id, { name: 'quet.png', content: PNG })).statusCode).toBe(201);
    const events = (await historyOf(dossier.id)).filter((e) => e.type.startsWith('file.'));
    expect(events).toEqual([
      expect.objectContaining({ type: 'file.digitised', actorId: userIds.officer, data: { fileId: tp05!.id, componentCode: 'TP05', fileName: 'de-nghi.pdf', kind: 'scanned-copy' } }),
      expect.objectContaining({ type: 'file.digitisation-revoked', actorId: userIds.officer, data: { fileId: tp05!.id, componentCode: 'TP05', fileName: 'de-nghi.pdf', kind: 'scanned-copy', reason: 'Nhầm tệp' } }),
      expect.objectContaining({ type: 'file.reclassified', actorId: userIds.officer, data: { fileId: other!.id, fileName: 'ho-so.pdf', from: 'TP99', to: 'TP06' } }),
      expect.objectContaining({
        type: 'file.digitised',
        actorId: userIds.clerk,
        data: { fileId: other!.id, componentCode: 'TP06', fileName: 'ho-so.pdf', kind: 'scanned-copy', scan: { sha256: createHash('sha256').update(PNG).digest('hex'), name: 'quet.png' } },
      }),
    ]);
    expect((await http.call('GET', `/api/dossiers/${dossier.id}/history/verify`, tokens.auditor)).json()).toMatchObject({ ok: true });
    // A refused mark leaves no trace.
    await mark(dossier.id, other!.id, 'scanned-copy');
    expect((await historyOf(dossier.id)).filter((e) => e.type.startsWith('file.'))).toHaveLength(4);
  });
});

/** `who` (callers' names: officer, leader, handler, director, clerk, or their counterparts at another agency) resolves the dossier. */
async function resolve(code: string, who: Record<'officer' | 'leader' | 'handler' | 'director' | 'clerk', string>, attachResult?: (dossierCode: string) => Promise<void>) {
  await actOn(env, who.officer, code, '1100');
  await actOn(env, who.officer, code, '2000');
  await actOn(env, who.leader, code, '2101', { assignee: userIds[who.handler] });
  await attachResult?.(code);
  await actOn(env, who.handler, code, '2600');
  await actOn(env, who.leader, code, '3100');
  await actOn(env, who.director, code, '3200');
  await actOn(env, who.clerk, code, '3300');
  await actOn(env, who.officer, code, '4000');
}

const attachAs = (token: string, dossierId: string, content: Buffer, name = 'giay-chung-nhan.pdf') => async () => {
  const form = multipartFile('KQ01', { name, content });
  const res = await http.call('POST', `/api/staff/dossiers/${dossierId}/files`, token, form.body, { 'content-type': form.contentType });
  expect(res.statusCode, res.body).toBe(201);
};

describe('the citizen’s wallet offers digitised results', () => {
  test('a result signed at the signing step is an electronic original; taken back it leaves the wallet; a certified scan returns to it', async () => {
    const dossier = await submitted({ TP05: [{ name: 'de-nghi.pdf', content: PDF }] });
    await resolve(dossier.code, { officer: 'officer', leader: 'leader', handler: 'handler', director: 'director', clerk: 'clerk' }, attachAs(tokens.handler!, dossier.id, resultPdf));
    const result = (await stateOf(dossier.id)).files.find((f) => f.componentCode === 'KQ01')!;
    expect(result.mark).toMatchObject({ kind: 'electronic-original', signer: 'Sở Công Thương', certifiedBy: { id: userIds.director } });
    expect((await historyOf(dossier.id)).find((e) => e.type === 'file.digitised')?.data).toMatchObject({ fileId: result.fileId, kind: 'electronic-original', bySigning: true });
    const inWallet = async () => ((await http.call('GET', '/api/wallet', tokens.citizen)).json() as { id: string; sha256: string; originalName: string; mediaType: string; dossier: { id: string } }[]).filter((f) => f.dossier.id === dossier.id);
    const [issued] = await inWallet();
    expect(issued).toMatchObject({ id: result.fileId, originalName: 'giay-chung-nhan.pdf', mediaType: 'application/pdf' });

    // A result that is not (or no longer) digitised is not offered, nor attachable.
    expect((await unmark(dossier.id, result.fileId, 'Ký nhầm mẫu cũ', tokens.clerk)).statusCode).toBe(204);
    expect(await inWallet()).toEqual([]);
    const draft = (await http.call('POST', '/api/dossiers', tokens.citizen, { procedureCode: '2.000331' })).json();
    const fromWallet = () => http.call('POST', `/api/dossiers/${draft.id}/files/from-wallet`, tokens.citizen, { componentCode: 'TP99', walletFileId: result.fileId });
    expect((await fromWallet()).json().type).toBe('/problems/wallet-file-unknown');
    // The clerk scans the stamped paper result and certifies the scan: the wallet offers the scan.
    expect((await mark(dossier.id, result.fileId, 'electronic-original', tokens.clerk)).statusCode).toBe(201);
    expect((await unmark(dossier.id, result.fileId, 'Cấp bản giấy có đóng dấu', tokens.clerk)).statusCode).toBe(204);
    const scan = await markWithScan(dossier.id, result.fileId, { name: 'ket-qua-dong-dau.png', content: PNG });
    expect(scan.statusCode, scan.body).toBe(201);
    expect(await inWallet()).toEqual([expect.objectContaining({ id: result.fileId, originalName: 'ket-qua-dong-dau.png', mediaType: 'image/png', sha256: createHash('sha256').update(PNG).digest('hex') })]);
    const attached = await fromWallet();
    expect(attached.statusCode, attached.body).toBe(201);
    expect(attached.json()).toMatchObject({ componentCode: 'TP99', originalName: 'ket-qua-dong-dau.png', sha256: createHash('sha256').update(PNG).digest('hex') });
  });

  test('a result signed by someone other than the agency is no electronic original of it', async () => {
    const dossier = await submitted({ TP05: [{ name: 'de-nghi.pdf', content: PDF }] });
    await actOn(env, 'officer', dossier.code, '1100');
    await actOn(env, 'officer', dossier.code, '2000');
    await actOn(env, 'leader', dossier.code, '2101', { assignee: userIds.handler });
    await attachAs(tokens.handler!, dossier.id, foreignSigned)();
    const result = (await stateOf(dossier.id)).files.find((f) => f.componentCode === 'KQ01')!;
    const refused = await mark(dossier.id, result.fileId, 'electronic-original');
    expect([refused.statusCode, refused.json().type]).toEqual([422, '/problems/electronic-original-untrusted']);
  });
});

describe('the agency summary counts digitisation', () => {
  const at13 = { officer: 'officer13', leader: 'leader13', handler: 'handler13', director: 'director13', clerk: 'clerk13' } as const;
  const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' });
  const summary = async (query: string) => {
    const res = await http.call('GET', `/api/reports/agency-summary?agency=H20.13&${query}`, tokens.auditor);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  test('received components digitised and results digitised, with their rates; a period with nothing has no rate', async () => {
    const papers = () => ({ TP01: [{ name: 'thong-bao.pdf', content: PDF }], TP02: [{ name: 'giay-phep.pdf', content: PDF }], TP99: [{ name: 'khac.png', content: PNG }] });
    const procedure = '1.001837';
    // 1: resolved with its result signed (digitised by the signing); TP01 certified at the desk.
    const first = await submitted(papers(), procedure);
    await resolve(first.code, at13, attachAs(tokens.handler13!, first.id, resultPdf));
    expect((await mark(first.id, first.files.TP01![0]!.id, 'scanned-copy', tokens.officer13)).statusCode).toBe(201);
    // 2: received; TP02 certified, and the "other documents" file too, which counts for nothing.
    const second = await submitted(papers(), procedure);
    await actOn(env, 'officer13', second.code, '1100');
    expect((await mark(second.id, second.files.TP02![0]!.id, 'scanned-copy', tokens.clerk13)).statusCode).toBe(201);
    expect((await mark(second.id, second.files.TP99![0]!.id, 'scanned-copy', tokens.clerk13)).statusCode).toBe(201);
    // 3: resolved with its result issued on paper only (nothing digitised); a mark taken back counts no more.
    const third = await submitted(papers(), procedure);
    await resolve(third.code, at13);
    expect((await mark(third.id, third.files.TP01![0]!.id, 'scanned-copy', tokens.officer13)).statusCode).toBe(201);
    expect((await unmark(third.id, third.files.TP01![0]!.id, 'Nhầm hồ sơ', tokens.officer13)).statusCode).toBe(204);

    const report = await summary(`from=${today}&to=${today}`);
    const expected = {
      receivedComponents: 6,
      receivedComponentsDigitised: 2,
      receivedDigitisationRate: 33.3,
      resultsIssued: 2,
      resultsDigitised: 1,
      resultDigitisationRate: 50,
    };
    expect(report.rows).toEqual([expect.objectContaining({ agency: expect.objectContaining({ code: 'H20.13' }), ...expected })]);
    expect(report.total).toMatchObject(expected);
    expect(report.columns.map((c: { key: string }) => c.key)).toEqual(expect.arrayContaining(Object.keys(expected)));

    const empty = await summary('from=2020-01-01&to=2020-01-31');
    expect(empty.rows[0]).toMatchObject({ receivedComponents: 0, receivedComponentsDigitised: 0, receivedDigitisationRate: null, resultsIssued: 0, resultsDigitised: 0, resultDigitisationRate: null });
    const csv = (await http.call('GET', `/api/reports/agency-summary?agency=H20.13&from=${today}&to=${today}&format=csv`, tokens.auditor)).body;
    // Commas inside quotes (the agency's name) are no separators.
    const [header, line] = csv.replace(/^\uFEFF/, '').split('\r\n').map((l: string) => l.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/));
    const cellOf = (label: string) => line![header!.indexOf(label)];
    expect(['Thành phần hồ sơ tiếp nhận', 'Thành phần hồ sơ đã số hóa', 'Tỷ lệ số hóa hồ sơ (%)', 'Kết quả đã cấp', 'Kết quả đã số hóa', 'Tỷ lệ số hóa kết quả (%)'].map(cellOf)).toEqual([
      '6',
      '2',
      '33.3',
      '2',
      '1',
      '50',
    ]);
  });
});

describe('migration 0015 on a database in use', () => {
  test('results signed before it become electronic originals (the wallet keeps them) and every dossier gets its counts', async () => {
    const migration = await import('../../migrations/0015_digitisation.js');
    const dossier = await submitted({ TP05: [{ name: 'de-nghi.pdf', content: PDF }] });
    await resolve(dossier.code, { officer: 'officer', leader: 'leader', handler: 'handler', director: 'director', clerk: 'clerk' }, attachAs(tokens.handler!, dossier.id, resultPdf));
    const signed = (await stateOf(dossier.id)).files.find((f) => f.componentCode === 'KQ01')!;
    const db = env.t.db as unknown as Parameters<typeof migration.up>[0];
    // As before this migration: no marks, no counts.
    await migration.down(db);
    await migration.up(db);
    expect((await stateOf(dossier.id)).files).toEqual([
      { fileId: dossier.files.TP05![0]!.id, componentCode: 'TP05', mark: null },
      { fileId: signed.fileId, componentCode: 'KQ01', mark: expect.objectContaining({ kind: 'electronic-original', signer: 'Sở Công Thương', certifiedBy: expect.objectContaining({ id: userIds.director }) }) },
    ]);
    const wallet = (await http.call('GET', '/api/wallet', tokens.citizen)).json() as { id: string }[];
    expect(wallet.map((f) => f.id)).toContain(signed.fileId);
    // The counts the report reads (kept by the migration's triggers, not in the Kysely table type).
    const counts = async () =>
      (
        await sql<{ inputs: number; inputsDone: number; results: number; resultsDone: number }>`select input_components as "inputs", input_components_digitised as "inputsDone",
          result_components as "results", result_components_digitised as "resultsDone" from dossier where id = ${dossier.id}`.execute(env.t.db)
      ).rows[0];
    expect(await counts()).toMatchObject({ inputs: 1, inputsDone: 0, results: 1, resultsDone: 1 });
    // The triggers are back: a mark counts at once.
    expect((await mark(dossier.id, dossier.files.TP05![0]!.id, 'scanned-copy')).statusCode).toBe(201);
    expect(await counts()).toMatchObject({ inputs: 1, inputsDone: 1 });
  });
});
