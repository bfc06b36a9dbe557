import { createHash } from 'node:crypto';
import forge from 'node-forge';
import { PDFDocument } from 'pdf-lib';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { P12Signer } from '@signpdf/signer-p12';
import { SignPdf } from '@signpdf/signpdf';
import type { Db } from '../../engine/db/database.js';
import { appendHistoryOnly } from '../../engine/runtime/command.js';
import type { SessionUser } from '../accounts/account.service.js';
import { fileContent, findDossier } from '../dossiers/dossier.service.js';
import * as dossierRepo from '../dossiers/dossier.repository.js';
import { HttpProblem } from '../problems.js';
import { onAction, type TakenAction } from '../tasks/action-hooks.js';
import { certificateInfo, isAgencyCertificate, signingCertificate } from './certificate.service.js';
import { recordSignedOriginals } from '../digitisation/digitisation-events.js';

/**
 * PAdES signatures on result documents: the agency leader's "sign the result" action signs every PDF of the
 * procedure's signature-required result components with the agency's certificate (adbe.pkcs7.detached, SHA-256),
 * and anyone who may read the file can have its signature checked.
 */

/** The action that signs (schemas/action-codes.json: "Ký số kết quả", the standard flow's `sign` step). */
export const SIGN_ACTION = '3200';
const PDF = 'application/pdf';

const notPdf = (name: string) =>
  new HttpProblem(422, 'signing-not-pdf', {
    vi: `Không ký được tệp kết quả "${name}": chỉ ký số được tệp PDF hợp lệ, không mã hóa`,
    en: `Cannot sign the result file "${name}": only a valid, unencrypted PDF can be signed`,
  });

/** ASCII for the signature dictionary's text strings, which pdf-lib writes in PDFDocEncoding; the certificate carries the real name. */
const ascii = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^\x20-\x7e]/g, '?');

/** A bytea may come back as a plain Uint8Array (PGlite); Buffer views it without a copy. */
const asBuffer = (bytes: Uint8Array) => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

/** Adds a signature field to the PDF and fills it with a detached PKCS#7 signature over its byte range. */
export async function signPdf(pdf: Uint8Array, certificate: { p12: Buffer; password: string }, meta: { signer: string; reason: string; signedAt: Date }, fileName = 'PDF'): Promise<Buffer> {
  let prepared: Buffer;
  try {
    const doc = await PDFDocument.load(pdf, { updateMetadata: false });
    pdflibAddPlaceholder({ pdfDoc: doc, reason: ascii(meta.reason), contactInfo: '', name: ascii(meta.signer), location: 'Viet Nam', signingTime: meta.signedAt });
    // Without object streams the signature dictionary stays in plain sight for the byte-range search.
    prepared = Buffer.from(await doc.save({ useObjectStreams: false }));
  } catch {
    throw notPdf(fileName);
  }
  return new SignPdf().sign(prepared, new P12Signer(certificate.p12, { passphrase: certificate.password }), meta.signedAt);
}

export type SignatureCheck =
  | { valid: true; signer: string; signedAt: Date; fingerprint: string }
  | { valid: false; reason: 'no-signature' }
  | { valid: false; reason: 'tampered' | 'expired' | 'untrusted'; signer: string | null; signedAt: Date | null; fingerprint: string | null };

const byteRangePattern = /^\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/;

/**
 * Checks the PDF's (last) signature with node-forge: the byte range must cover the whole file but the signature
 * itself; the SHA-256 of those bytes must equal the signed messageDigest attribute; the signed attributes must
 * verify under the signer certificate's key; the certificate must have been valid at the signing time and be one
 * the agency registered (`trusted`) — a self-made certificate with the agency's name is not the agency.
 */
export async function verifyPdf(bytes: Uint8Array, trusted: (fingerprint: string) => Promise<boolean>): Promise<SignatureCheck> {
  const pdf = asBuffer(bytes);
  // Read only around the last /ByteRange: most downloads are unsigned, and a scan of the raw bytes costs no copy.
  const found = pdf.lastIndexOf('/ByteRange');
  const last = found < 0 ? null : byteRangePattern.exec(pdf.subarray(found, found + 100).toString('latin1'));
  if (!last) return { valid: false, reason: 'no-signature' };
  const [start, gapStart, gapEnd, tailLength] = last.slice(1, 5).map(Number) as [number, number, number, number];
  const tampered = (signer: string | null = null, signedAt: Date | null = null, fingerprint: string | null = null) =>
    ({ valid: false, reason: 'tampered', signer, signedAt, fingerprint }) as const;
  // Bytes outside the range (an appended update, a cut) would be unsigned content.
  if (start !== 0 || gapStart >= gapEnd || gapEnd + tailLength !== pdf.length || pdf[gapStart] !== 0x3c || pdf[gapEnd - 1] !== 0x3e) return tampered();

  let message: forge.pkcs7.PkcsSignedData & { rawCapture: Record<string, unknown> };
  try {
    const der = Buffer.from(pdf.subarray(gapStart + 1, gapEnd - 1).toString('latin1'), 'hex');
    // The signature is zero-padded to its placeholder's size: parse the DER object, not the whole buffer.
    const fromDer = forge.asn1.fromDer as unknown as (bytes: forge.util.ByteStringBuffer, options: { parseAllBytes: boolean }) => forge.asn1.Asn1;
    message = forge.pkcs7.messageFromAsn1(fromDer(forge.util.createBuffer(der.toString('binary')), { parseAllBytes: false })) as typeof message;
  } catch {
    return tampered();
  }
  const capture = message.rawCapture as { authenticatedAttributes?: forge.asn1.Asn1[]; signature?: string; digestAlgorithm?: string };
  const attributes = capture.authenticatedAttributes ?? [];
  const attribute = (oid: string) => attributes.find((a) => forge.asn1.derToOid((a.value as forge.asn1.Asn1[])[0]!.value as string) === oid);
  const valueOf = (oid: string) => ((attribute(oid)?.value as forge.asn1.Asn1[] | undefined)?.[1]?.value as forge.asn1.Asn1[] | undefined)?.[0];
  const signingTime = valueOf(forge.pki.oids.signingTime!);
  const signedAt = signingTime ? forge.asn1.utcTimeToDate(signingTime.value as string) : null;
  const digest = valueOf(forge.pki.oids.messageDigest!)?.value as string | undefined;
  if (!capture.signature || !digest || !capture.digestAlgorithm || forge.asn1.derToOid(capture.digestAlgorithm) !== forge.pki.oids.sha256) return tampered(null, signedAt);

  const signed = Buffer.concat([pdf.subarray(0, gapStart), pdf.subarray(gapEnd, gapEnd + tailLength)]);
  const contentOk = createHash('sha256').update(signed).digest('binary') === digest;
  // The signature is over the DER of the attributes as a SET (RFC 5652 §5.4), not over their [0] tagging.
  const set = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, attributes);
  const attributesDigest = forge.md.sha256.create().update(forge.asn1.toDer(set).getBytes()).digest().bytes();
  const signer = message.certificates.find((c) => {
    try {
      return (c.publicKey as forge.pki.rsa.PublicKey).verify(attributesDigest, capture.signature!);
    } catch {
      return false;
    }
  });
  const info = signer ? certificateInfo(signer) : null;
  if (!contentOk || !info) return tampered(info?.subject ?? null, signedAt, info?.fingerprint ?? null);
  const at = signedAt ?? new Date(0);
  if (at < info.notBefore || at > info.notAfter) return { valid: false, reason: 'expired', signer: info.subject, signedAt, fingerprint: info.fingerprint };
  if (!(await trusted(info.fingerprint))) return { valid: false, reason: 'untrusted', signer: info.subject, signedAt, fingerprint: info.fingerprint };
  return { valid: true, signer: info.subject, signedAt: at, fingerprint: info.fingerprint };
}

/** A dossier file's signature check, trusting the certificates of the dossier's agency. */
export async function checkDossierPdf(db: Db, dossierId: string, content: Uint8Array): Promise<SignatureCheck> {
  const dossier = (await findDossier(db, dossierId))!;
  return verifyPdf(content, (fingerprint) => isAgencyCertificate(db, dossier.agency_id, fingerprint));
}

/** For those who may read the file (its dossier's readers); a file that is not a PDF has no signature. */
export async function fileSignature(db: Db, user: SessionUser, dossierId: string, fileId: string): Promise<SignatureCheck> {
  const file = await fileContent(db, user, dossierId, fileId);
  if (file.mediaType !== PDF) return { valid: false, reason: 'no-signature' };
  return checkDossierPdf(db, dossierId, file.content);
}

/** Response headers that carry a check next to the file's bytes (the signer percent-encoded: headers are ASCII). */
export function signatureHeaders(check: SignatureCheck): Record<string, string> {
  if (!check.valid && check.reason === 'no-signature') return {};
  return {
    'x-signature-status': check.valid ? 'valid' : check.reason,
    ...(check.signer ? { 'x-signature-signer': encodeURIComponent(check.signer) } : {}),
    ...(check.signedAt ? { 'x-signature-signed-at': check.signedAt.toISOString() } : {}),
  };
}

/**
 * The signing step, run in the sign action's own transaction: each live PDF of a signature-required result
 * component is signed with the agency's certificate and stored as a new file (by its content hash) in place of the
 * unsigned one. Any failure — no certificate, expired, wrong password, not a PDF — throws, and the action does not
 * happen. Nothing to sign (a result issued on paper) signs nothing.
 */
async function signResults({ trx, dossierId, actor, outcome, at }: TakenAction): Promise<void> {
  const dossier = (await findDossier(trx, dossierId))!;
  const codes = new Set((await dossierRepo.componentsOfProcedure(trx, dossier.procedure_id)).filter((c) => c.kind === 'result' && c.signature_required).map((c) => c.code));
  const files = (await dossierRepo.liveFiles(trx, dossierId)).filter((f) => codes.has(f.component_code));
  if (!files.length) return;
  const certificate = await signingCertificate(trx, dossier.agency_id, at);
  const signedFiles: Record<string, unknown>[] = [];
  // A signed result is the electronic original (bản gốc điện tử): recorded as digitised with the signing.
  const originals: Parameters<typeof recordSignedOriginals>[2] = [];
  for (const file of files) {
    if (file.media_type !== PDF) throw notPdf(file.original_name);
    const { content } = (await dossierRepo.fileWithContent(trx, dossierId, file.id))!;
    const check = await verifyPdf(content, (fingerprint) => isAgencyCertificate(trx, dossier.agency_id, fingerprint));
    if (check.valid) {
      originals.push({ id: file.id, componentCode: file.component_code, originalName: file.original_name, signer: check.signer, fingerprint: check.fingerprint });
      continue;
    }
    const signed = await signPdf(content, certificate, { signer: certificate.opened.info.subject, reason: `Ky so ket qua ho so ${dossier.code ?? ''}`, signedAt: at }, file.original_name);
    const sha256 = createHash('sha256').update(signed).digest('hex');
    await dossierRepo.storeBlob(trx, { sha256, size: signed.length, media_type: PDF, content: signed });
    await dossierRepo.deleteFiles(trx, dossierId, { id: file.id }, at);
    const row = await dossierRepo.insertFile(trx, { dossier_id: dossierId, component_code: file.component_code, sha256, size: signed.length, media_type: PDF, original_name: file.original_name });
    signedFiles.push({ unsignedFileId: file.id, fileId: row.id, sha256, componentCode: file.component_code });
    originals.push({ id: row.id, componentCode: file.component_code, originalName: file.original_name, signer: certificate.opened.info.subject, fingerprint: certificate.opened.info.fingerprint });
  }
  const digitised = await recordSignedOriginals(trx, dossierId, originals, actor.id, at);
  if (signedFiles.length || digitised.length) {
    // The audit trail names what was signed and with which certificate.
    await appendHistoryOnly(trx, outcome.instanceId, actor.id, at, [
      ...(signedFiles.length
        ? [{ type: 'result.signed', elementId: null, data: { files: signedFiles, certificate: certificate.opened.info.fingerprint, signer: certificate.opened.info.subject } }]
        : []),
      ...digitised,
    ]);
  }
}

/** Installs the signing step on the sign action (idempotent). */
export function installSigning(): void {
  onAction(SIGN_ACTION, signResults);
}
