import { beforeAll, describe, expect, test, vi } from 'vitest';
import forge from 'node-forge';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { demoCertificate, useSigningSecret } from '../../server/signatures/certificate.service.js';
import { checkDossierPdf, signPdf, verifyPdf } from '../../server/signatures/signature.service.js';
import { multipartFile } from '../support/fixtures.js';
import { DEMO_CALLERS, actOn as actOnIn, openTaskOf, PNG, useApiTest, type ApiTest } from '../support/api.js';

const env = useApiTest({ as: DEMO_CALLERS });
const { tokens, userIds } = env;
let http: ApiTest['http'];
let resultPdf: Buffer;
beforeAll(async () => {
  http = env.http;
  const doc = await PDFDocument.create();
  const page = doc.addPage([595.28, 841.89]);
  page.drawText('Giay chung nhan san pham cong nghiep nong thon tieu bieu', { x: 60, y: 760, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  resultPdf = Buffer.from(await doc.save());
});

const actOn = (who: string, code: string, action: string, extra?: Record<string, unknown>) => actOnIn(env, who, code, action, extra);
const post = (url: string, token: string, form: { body: Buffer; contentType: string }) => http.call('POST', url, token, form.body, { 'content-type': form.contentType });

/** multipart with a `password` field, then the PKCS#12 file, as the certificate upload expects. */
function certificateForm(p12: Buffer, password: string) {
  const boundary = `----cert${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="password"\r\n\r\n${password}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="agency.p12"\r\nContent-Type: application/x-pkcs12\r\n\r\n`),
    p12,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

const uploadCertificate = (p12: Buffer, password: string, token = tokens.admin!) => post('/api/admin/agencies/H20.11/certificate', token, certificateForm(p12, password));

/** A dossier of Sở Công Thương driven to the agency leader's signing step, with `result` attached by the handler as KQ01. */
async function atSignStep(result: { name: string; content: Buffer }) {
  const dossier = await http.submitComplete(tokens.citizen!);
  await actOn('officer', dossier.code, '1100');
  await actOn('officer', dossier.code, '2000');
  await actOn('leader', dossier.code, '2101', { assignee: userIds.handler });
  // Only someone working on the dossier now attaches its result.
  expect((await post(`/api/staff/dossiers/${dossier.id}/files`, tokens.clerk!, multipartFile('KQ01', result))).statusCode).toBe(409);
  const attached = await post(`/api/staff/dossiers/${dossier.id}/files`, tokens.handler!, multipartFile('KQ01', result));
  expect(attached.statusCode, attached.body).toBe(201);
  await actOn('handler', dossier.code, '2600');
  await actOn('leader', dossier.code, '3100');
  return { ...dossier, resultFileId: attached.json().id as string };
}

/** The agency leader takes "sign the result" (3200) on the dossier; the raw answer. */
async function sign(code: string) {
  const task = (await openTaskOf(env, 'director', code))!;
  return http.call('POST', `/api/tasks/${task.id}/actions`, tokens.director, { actionCode: '3200' }, { 'if-match': `"${task.version}"` });
}

const resultFiles = async (dossierId: string) =>
  ((await http.call('GET', `/api/dossiers/${dossierId}`, tokens.citizen)).json().files as { id: string; componentCode: string; sha256: string }[]).filter((f) => f.componentCode === 'KQ01');

const signatureOf = async (dossierId: string, fileId: string, token = tokens.citizen!) => (await http.call('GET', `/api/dossiers/${dossierId}/files/${fileId}/signature`, token)).json();

describe('the agency’s certificate is checked when an admin uploads it', () => {
  test('a wrong password, a file that is no PKCS#12, one without its private key, an expired one: each refused with its reason', async () => {
    const good = await demoCertificate('Sở Công Thương');
    const wrong = await uploadCertificate(good.p12, 'not-the-password');
    expect([wrong.statusCode, wrong.json().type, wrong.json().errors[0].path]).toEqual([422, '/problems/certificate-password-wrong', '/body/password']);
    expect(wrong.json().messageVi).toBe('Mật khẩu của chứng thư số không đúng');
    const unreadable = await uploadCertificate(resultPdf, 'x');
    expect([unreadable.statusCode, unreadable.json().type]).toEqual([422, '/problems/certificate-unreadable']);
    const keys = forge.pki.rsa.generateKeyPair({ bits: 1024 });
    const certificate = forge.pki.createCertificate();
    certificate.publicKey = keys.publicKey;
    certificate.validity.notAfter = new Date(Date.now() + 86_400_000);
    certificate.sign(keys.privateKey, forge.md.sha256.create());
    const certificateOnly = Buffer.from(forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(null, [certificate], 'pw')).getBytes(), 'binary');
    const keyless = await uploadCertificate(certificateOnly, 'pw');
    expect([keyless.statusCode, keyless.json().type]).toEqual([422, '/problems/certificate-no-private-key']);
    const old = await demoCertificate('Sở Công Thương', new Date(Date.now() - 4 * 365 * 86_400_000));
    const expired = await uploadCertificate(old.p12, old.password);
    expect([expired.statusCode, expired.json().type, expired.json().messageVi]).toEqual([422, '/problems/certificate-expired', 'Chứng thư số đã hết hạn']);
    expect((await uploadCertificate(good.p12, good.password, tokens.director)).statusCode).toBe(403);
    // Nothing was replaced: the seeded certificate is still the one in use.
    const list = (await http.call('GET', '/api/admin/agencies/H20.11/certificates', tokens.admin)).json();
    expect(list).toEqual([expect.objectContaining({ subject: 'Sở Công Thương', issuer: 'Sở Công Thương', active: true })]);
  });
});

describe('the citizen’s document wallet', () => {
  test('an issued result is reused in a later dossier without uploading it again; only by its holder, only for input components', async () => {
    const dossier = await atSignStep({ name: 'giay-chung-nhan.pdf', content: resultPdf });
    expect((await sign(dossier.code)).statusCode).toBe(200);
    const inWallet = async () => ((await http.call('GET', '/api/wallet', tokens.citizen)).json() as { id: string; sha256: string; dossier: { id: string } }[]).filter((f) => f.dossier.id === dossier.id);
    // Not before the result is issued.
    expect(await inWallet()).toEqual([]);
    await actOn('clerk', dossier.code, '3300');
    await actOn('officer', dossier.code, '4000');
    const [issued] = await inWallet();
    expect(issued).toMatchObject({ originalName: 'giay-chung-nhan.pdf', mediaType: 'application/pdf', name: expect.stringContaining('Giấy chứng nhận'), dossier: { code: dossier.code } });
    expect((await http.call('GET', '/api/wallet', tokens.officer)).statusCode).toBe(403);

    const draft = (await http.call('POST', '/api/dossiers', tokens.citizen, { procedureCode: '2.000331' })).json();
    const attach = (body: Record<string, unknown>, token = tokens.citizen) => http.call('POST', `/api/dossiers/${draft.id}/files/from-wallet`, token, body);
    const attached = await attach({ componentCode: 'TP99', walletFileId: issued!.id });
    expect(attached.statusCode, attached.body).toBe(201);
    expect(attached.json()).toMatchObject({ componentCode: 'TP99', originalName: 'giay-chung-nhan.pdf', sha256: issued!.sha256 });
    expect((await http.call('GET', `/api/dossiers/${draft.id}`, tokens.citizen)).json().files.map((f: { componentCode: string }) => f.componentCode)).toEqual(['TP99']);
    // A result component is the agency's to fill; a file outside the wallet is refused; staff have no wallet.
    expect((await attach({ componentCode: 'KQ01', walletFileId: issued!.id })).statusCode).toBe(422);
    expect((await attach({ componentCode: 'TP99', walletFileId: dossier.resultFileId })).json().type).toBe('/problems/wallet-file-unknown');
    expect((await attach({ componentCode: 'TP99', walletFileId: issued!.id }, tokens.officer)).statusCode).toBe(403);
  });
});

describe('signing the result at the agency leader’s step', () => {
  let signed: { id: string; code: string; fileId: string; content: Buffer };

  test('success: the result PDF is signed with the agency’s certificate and stored as a new file', async () => {
    const dossier = await atSignStep({ name: 'giay-chung-nhan.pdf', content: resultPdf });
    expect(await signatureOf(dossier.id, dossier.resultFileId)).toEqual({ valid: false, reason: 'no-signature', signer: null, signedAt: null, fingerprint: null });
    const before = Date.now();
    const res = await sign(dossier.code);
    expect(res.statusCode, res.body).toBe(200);
    const [file, ...others] = await resultFiles(dossier.id);
    expect(others).toEqual([]);
    expect(file!.id).not.toBe(dossier.resultFileId);
    const download = await http.call('GET', `/api/dossiers/${dossier.id}/files/${file!.id}?download=true`, tokens.citizen);
    const content = download.rawPayload;
    expect(file!.sha256).toBe((await import('node:crypto')).createHash('sha256').update(content).digest('hex'));
    expect(content.toString('latin1')).toMatch(/\/SubFilter \/adbe\.pkcs7\.detached/);
    // The download carries its check; the check endpoint says who signed and when.
    expect(download.headers['x-signature-status']).toBe('valid');
    expect(decodeURIComponent(String(download.headers['x-signature-signer']))).toBe('Sở Công Thương');
    const check = await signatureOf(dossier.id, file!.id);
    expect(check).toMatchObject({ valid: true, signer: 'Sở Công Thương', fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(new Date(check.signedAt).getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(await signatureOf(dossier.id, file!.id, tokens.auditor!)).toEqual(check);
    expect((await http.call('GET', `/api/dossiers/${dossier.id}/files/${file!.id}/signature`, tokens.officerOther)).statusCode).toBe(404);
    // The audit trail names the signed file and the certificate; the chain still verifies.
    const history = (await http.call('GET', `/api/dossiers/${dossier.id}/history`, tokens.auditor)).json();
    expect(history.find((e: { type: string }) => e.type === 'result.signed').data).toMatchObject({ files: [{ unsignedFileId: dossier.resultFileId, fileId: file!.id }], certificate: check.fingerprint });
    expect((await http.call('GET', `/api/dossiers/${dossier.id}/history/verify`, tokens.auditor)).json()).toMatchObject({ ok: true });
    signed = { id: dossier.id, code: dossier.code, fileId: file!.id, content };
  });

  test('a tampered copy, bytes appended after signing, or a look-alike certificate are detected', async () => {
    const trusted = async () => true;
    expect(await verifyPdf(signed.content, trusted)).toMatchObject({ valid: true });
    // One byte of the signed text changed.
    const text = signed.content.toString('latin1');
    const at = text.indexOf('/MediaBox');
    const tampered = Buffer.from(signed.content);
    tampered[at + 2] = tampered[at + 2]! ^ 0x20;
    // The signature itself is intact, so who signed is still known; what they signed is not what is here.
    expect(await verifyPdf(tampered, trusted)).toMatchObject({ valid: false, reason: 'tampered', signer: 'Sở Công Thương' });
    expect(await verifyPdf(Buffer.concat([signed.content, Buffer.from('\n% added later\n')]), trusted)).toMatchObject({ valid: false, reason: 'tampered' });
    // The clerk, now holding the dossier, replaces the result with the tampered copy: the check says so.
    const replaced = await post(`/api/staff/dossiers/${signed.id}/files`, tokens.clerk!, multipartFile('KQ01', { name: 'giay-chung-nhan.pdf', content: tampered }));
    expect(replaced.statusCode, replaced.body).toBe(201);
    expect(await signatureOf(signed.id, replaced.json().id)).toMatchObject({ valid: false, reason: 'tampered', signer: 'Sở Công Thương' });
    const download = await http.call('GET', `/api/dossiers/${signed.id}/files/${replaced.json().id}`, tokens.citizen);
    expect(download.headers['x-signature-status']).toBe('tampered');
    // Signed with a certificate that merely bears the agency's name: not the agency's.
    const impostor = await demoCertificate('Sở Công Thương');
    const forged = await signPdf(resultPdf, impostor, { signer: 'Sở Công Thương', reason: 'x', signedAt: new Date() });
    const forgedUpload = await post(`/api/staff/dossiers/${signed.id}/files`, tokens.clerk!, multipartFile('KQ01', { name: 'gia-mao.pdf', content: forged }));
    expect(await signatureOf(signed.id, forgedUpload.json().id)).toMatchObject({ valid: false, reason: 'untrusted', signer: 'Sở Công Thương' });
  });

  test('not a PDF: the action fails and nothing moves', async () => {
    const dossier = await atSignStep({ name: 'ket-qua.png', content: PNG });
    const res = await sign(dossier.code);
    expect([res.statusCode, res.json().type]).toEqual([422, '/problems/signing-not-pdf']);
    expect(res.json().messageVi).toContain('"ket-qua.png"');
    expect((await openTaskOf(env, 'director', dossier.code))!.step.elementId).toBe('sign');
  });

  test('wrong password: a certificate whose sealed password no longer opens (SIGNING_SECRET changed) cannot sign', async () => {
    const dossier = await atSignStep({ name: 'giay-chung-nhan.pdf', content: resultPdf });
    useSigningSecret('a-different-secret-than-at-upload');
    try {
      const res = await sign(dossier.code);
      expect([res.statusCode, res.json().type]).toEqual([422, '/problems/certificate-password-wrong']);
    } finally {
      useSigningSecret(undefined);
    }
    expect((await resultFiles(dossier.id)).map((f) => f.id)).toEqual([dossier.resultFileId]);
    expect((await sign(dossier.code)).statusCode).toBe(200);
  });

  test('expired certificate: refused at signing, with its reason; a new one uploaded signs again and old signatures stay valid', async () => {
    // Four years ago an admin uploaded a certificate valid then; it expired a year ago.
    const then = new Date(Date.now() - 4 * 365 * 86_400_000);
    const old = await demoCertificate('Sở Công Thương', then);
    vi.useFakeTimers({ toFake: ['Date'], now: then });
    try {
      const admin = env.accounts.find((a) => a.description === 'admin')!;
      expect((await uploadCertificate(old.p12, old.password, await http.login(admin.login, admin.password))).statusCode).toBe(201);
    } finally {
      vi.useRealTimers();
    }
    const dossier = await atSignStep({ name: 'giay-chung-nhan.pdf', content: resultPdf });
    const res = await sign(dossier.code);
    expect([res.statusCode, res.json().type, res.json().messageVi]).toEqual([422, '/problems/certificate-expired', 'Chứng thư số đã hết hạn']);

    const fresh = await demoCertificate('Sở Công Thương');
    const uploaded = await uploadCertificate(fresh.p12, fresh.password);
    expect([uploaded.statusCode, uploaded.json().active]).toEqual([201, true]);
    const list = (await http.call('GET', '/api/admin/agencies/H20.11/certificates', tokens.admin)).json();
    expect(list.map((c: { active: boolean }) => c.active)).toEqual([true, false, false]);
    expect((await sign(dossier.code)).statusCode).toBe(200);
    const [file] = await resultFiles(dossier.id);
    expect(await signatureOf(dossier.id, file!.id)).toMatchObject({ valid: true, fingerprint: uploaded.json().fingerprint });
    // The first result, signed with the seed certificate now retired, still verifies: retired certificates stay trusted.
    expect(await checkDossierPdf(env.t.db, signed.id, signed.content)).toMatchObject({ valid: true, signer: 'Sở Công Thương' });
    expect(await verifyPdf(signed.content, async () => false)).toMatchObject({ valid: false, reason: 'untrusted' });
  });

  test('no certificate: the agency has none in use, so the signing step refuses', async () => {
    const dossier = await atSignStep({ name: 'giay-chung-nhan.pdf', content: resultPdf });
    const agency = (await env.t.db.selectFrom('agency').select('id').where('code', '=', 'H20.11').executeTakeFirstOrThrow()).id;
    await env.t.db.updateTable('agency_certificate').set({ retired_at: new Date() }).where('agency_id', '=', agency).where('retired_at', 'is', null).execute();
    const res = await sign(dossier.code);
    expect([res.statusCode, res.json().type]).toEqual([422, '/problems/certificate-no-certificate']);
    expect(res.json().messageVi).toContain('Cơ quan chưa có chứng thư số để ký');
    expect((await openTaskOf(env, 'director', dossier.code))!.step.elementId).toBe('sign');
  });
});
