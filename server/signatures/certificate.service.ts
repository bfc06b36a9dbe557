import { createCipheriv, createDecipheriv, createHash, generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';
import type { Db } from '../../engine/db/database.js';
import { sharedSecret } from '../accounts/account.repository.js';
import { agencyIdByCode } from '../catalogue/catalogue.repository.js';
import { HttpProblem, type Bilingual } from '../problems.js';
import * as repo from './certificate.repository.js';

/**
 * Agencies' signing certificates (PKCS#12). The file is kept as uploaded — PKCS#12 already encrypts the private
 * key under its password — and the password is sealed with AES-256-GCM under a key derived from SIGNING_SECRET
 * (or, unset, a secret generated once and kept in the database, as for JWT_SECRET). So a database copy alone does
 * not yield a usable key when SIGNING_SECRET is set, and every server of a deployment signs with the same rows.
 */

export type CertificateFailure = 'no-certificate' | 'unreadable' | 'password-wrong' | 'no-private-key' | 'expired' | 'not-yet-valid';

const failures: Record<CertificateFailure, Bilingual> = {
  'no-certificate': { vi: 'Cơ quan chưa có chứng thư số để ký; quản trị viên cần tải lên tệp PKCS#12 của cơ quan', en: 'The agency has no signing certificate; an admin must upload its PKCS#12 file' },
  unreadable: { vi: 'Không đọc được tệp chứng thư số (cần tệp PKCS#12: .p12 hoặc .pfx)', en: 'The certificate file cannot be read (a PKCS#12 .p12/.pfx file is expected)' },
  'password-wrong': { vi: 'Mật khẩu của chứng thư số không đúng', en: 'Wrong password for the certificate file' },
  'no-private-key': { vi: 'Tệp chứng thư số không có khóa bí mật (được bảo vệ bằng mật khẩu) khớp với chứng thư', en: 'The certificate file holds no password-protected private key matching its certificate' },
  expired: { vi: 'Chứng thư số đã hết hạn', en: 'The certificate has expired' },
  'not-yet-valid': { vi: 'Chứng thư số chưa đến ngày có hiệu lực', en: 'The certificate is not valid yet' },
};

/** A certificate that cannot sign, said plainly (domain.md, problem 6: signing must report why it failed). */
export function certificateProblem(reason: CertificateFailure, path: string | null = null): HttpProblem {
  const message = failures[reason];
  return new HttpProblem(422, `certificate-${reason}`, message, path ? [{ path, message }] : []);
}

export interface CertificateInfo {
  /** The subject's common name (an agency's name). */
  subject: string;
  issuer: string;
  serial: string;
  /** SHA-256 of the certificate's DER, hex. */
  fingerprint: string;
  notBefore: Date;
  notAfter: Date;
}

/** forge reads a name's strings as raw bytes: UTF8String and BMPString (UTF-16BE) are decoded here. */
function text(attribute: { value: string; valueTagClass: number }): string {
  if (attribute.valueTagClass === forge.asn1.Type.UTF8) return forge.util.decodeUtf8(attribute.value);
  if (attribute.valueTagClass === forge.asn1.Type.BMPSTRING) return Buffer.from(attribute.value, 'binary').swap16().toString('utf16le');
  return attribute.value;
}

export function certificateInfo(certificate: forge.pki.Certificate): CertificateInfo {
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes();
  const name = (dn: forge.pki.Certificate['subject']) => {
    const cn = dn.getField('CN') as { value: string; valueTagClass: number } | null;
    return cn ? text(cn) : dn.attributes.map((a) => text(a as { value: string; valueTagClass: number })).join(', ');
  };
  return {
    subject: name(certificate.subject),
    issuer: name(certificate.issuer),
    serial: certificate.serialNumber,
    fingerprint: createHash('sha256').update(Buffer.from(der, 'binary')).digest('hex'),
    notBefore: certificate.validity.notBefore,
    notAfter: certificate.validity.notAfter,
  };
}

export interface OpenedCertificate {
  privateKey: forge.pki.rsa.PrivateKey;
  certificate: forge.pki.Certificate;
  info: CertificateInfo;
}

/**
 * Opens a PKCS#12 file as @signpdf/signer-p12 will: a password-protected (shrouded) private key and the
 * certificate whose public key matches it.
 */
export function openP12(p12: Buffer, password: string, paths: { file?: string; password?: string } = {}): OpenedCertificate {
  let asn1: forge.asn1.Asn1;
  try {
    // A bytea may come back as a plain Uint8Array (PGlite): Buffer's binary string is what forge reads.
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(p12).toString('binary')));
  } catch {
    throw certificateProblem('unreadable', paths.file);
  }
  let store: forge.pkcs12.Pkcs12Pfx;
  try {
    store = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (err) {
    const wrongPassword = /password|MAC/i.test((err as Error).message);
    throw certificateProblem(wrongPassword ? 'password-wrong' : 'unreadable', wrongPassword ? paths.password : paths.file);
  }
  const keyBag = store.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!]?.[0];
  const privateKey = keyBag?.key as forge.pki.rsa.PrivateKey | undefined;
  const certificates = (store.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? []).flatMap((b) => (b.cert ? [b.cert] : []));
  const certificate = privateKey && certificates.find((c) => {
    const key = c.publicKey as forge.pki.rsa.PublicKey;
    return key.n?.equals(privateKey.n) && key.e?.equals(privateKey.e);
  });
  if (!privateKey || !certificate) throw certificateProblem('no-private-key', paths.file);
  return { privateKey, certificate, info: certificateInfo(certificate) };
}

export function requireValidAt(info: CertificateInfo, at: Date, path: string | null = null): void {
  if (at > info.notAfter) throw certificateProblem('expired', path);
  if (at < info.notBefore) throw certificateProblem('not-yet-valid', path);
}

let configuredSecret: string | undefined;

/** SIGNING_SECRET from the configuration; unset, the database keeps a generated one (see the module comment). */
export function useSigningSecret(secret: string | undefined): void {
  configuredSecret = secret;
}

async function sealingKey(db: Db): Promise<Buffer> {
  const secret = configuredSecret ?? (await sharedSecret(db, 'certificate-passwords'));
  return createHash('sha256').update(`dvc certificate passwords\0${secret}`).digest();
}

function seal(key: Buffer, text: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

/** The sealed text, or null when it was sealed under another key (SIGNING_SECRET changed) or altered. */
function unseal(key: Buffer, sealed: string): string | null {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || body === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

export interface CertificateView extends CertificateInfo {
  id: string;
  createdAt: Date;
  /** The certificate the agency signs with now; retired ones still vouch for what they signed. */
  active: boolean;
}

const view = (row: Awaited<ReturnType<typeof repo.certificatesOf>>[number]): CertificateView => ({
  id: row.id,
  subject: row.subject,
  issuer: row.issuer,
  serial: row.serial,
  fingerprint: row.fingerprint,
  notBefore: row.not_before,
  notAfter: row.not_after,
  createdAt: row.created_at,
  active: row.retired_at === null,
});

/** Checks a PKCS#12 file (opens with the password, has the key, valid now) and makes it the agency's certificate. */
export async function storeCertificate(
  db: Db,
  agencyId: string,
  upload: { p12: Buffer; password: string },
  uploadedBy: string | null,
  paths: { file?: string; password?: string } = {},
): Promise<CertificateView> {
  const now = new Date();
  const { info } = openP12(upload.p12, upload.password, paths);
  requireValidAt(info, now, paths.file ?? null);
  const sealed = seal(await sealingKey(db), upload.password);
  return view(
    await repo.replaceCertificate(
      db,
      {
        agency_id: agencyId,
        p12: upload.p12,
        password_sealed: sealed,
        subject: info.subject,
        issuer: info.issuer,
        serial: info.serial,
        fingerprint: info.fingerprint,
        not_before: info.notBefore,
        not_after: info.notAfter,
        uploaded_by: uploadedBy,
        retired_at: null,
      },
      now,
    ),
  );
}

const agencyNotFound = (code: string) =>
  new HttpProblem(404, 'agency-not-found', { vi: `Không có cơ quan ${code}`, en: `No agency ${code}` }, [{ path: '/params/code', message: { vi: 'Mã cơ quan không đúng', en: 'Unknown agency code' } }]);

export async function uploadCertificate(db: Db, adminId: string, agencyCode: string, upload: { p12: Buffer; password: string }): Promise<CertificateView> {
  const agencyId = await agencyIdByCode(db, agencyCode);
  if (!agencyId) throw agencyNotFound(agencyCode);
  return db.transaction().execute((trx) => storeCertificate(trx, agencyId, upload, adminId, { file: '/body/file', password: '/body/password' }));
}

export async function agencyCertificates(db: Db, agencyCode: string): Promise<CertificateView[]> {
  const agencyId = await agencyIdByCode(db, agencyCode);
  if (!agencyId) throw agencyNotFound(agencyCode);
  return (await repo.certificatesOf(db, agencyId)).map(view);
}

/** The agency's certificate, opened for signing at `at`; each reason it cannot sign is its own problem. */
export async function signingCertificate(db: Db, agencyId: string, at: Date): Promise<{ p12: Buffer; password: string; opened: OpenedCertificate }> {
  const row = await repo.activeCertificate(db, agencyId);
  if (!row) throw certificateProblem('no-certificate');
  const password = unseal(await sealingKey(db), row.password_sealed);
  if (password === null) throw certificateProblem('password-wrong');
  const opened = openP12(row.p12, password);
  requireValidAt(opened.info, at);
  return { p12: Buffer.from(row.p12), password, opened };
}

export const isAgencyCertificate = repo.isAgencyCertificate;

/**
 * A self-signed certificate for a demo agency (subject CN = its name), valid for three years, as a PKCS#12 file
 * with a random password. The key pair comes from Node's native generator: node-forge's own takes seconds.
 */
export async function demoCertificate(agencyName: string, now = new Date()): Promise<{ p12: Buffer; password: string }> {
  const { privateKey: pem } = await promisify(generateKeyPair)('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const privateKey = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.setRsaPublicKey(privateKey.n, privateKey.e);
  certificate.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(15))}`;
  certificate.validity.notBefore = new Date(now.getTime() - 3_600_000);
  certificate.validity.notAfter = new Date(now.getTime() + 3 * 365 * 86_400_000);
  const subject = [
    { shortName: 'CN', value: agencyName, valueTagClass: forge.asn1.Type.UTF8 },
    { shortName: 'O', value: agencyName, valueTagClass: forge.asn1.Type.UTF8 },
    { shortName: 'C', value: 'VN' },
  ] as forge.pki.CertificateField[];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true },
  ]);
  certificate.sign(privateKey, forge.md.sha256.create());
  const password = randomBytes(18).toString('base64url');
  const p12 = forge.pkcs12.toPkcs12Asn1(privateKey, [certificate], password, { algorithm: 'aes256' });
  return { p12: Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'), password };
}
