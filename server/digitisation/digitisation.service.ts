import type { Db } from '../../engine/db/database.js';
import { appendHistoryOnly, inTransaction } from '../../engine/runtime/command.js';
import { actorAt, grantsOf, isAuditor } from '../accounts/grants.js';
import type { SessionUser } from '../accounts/account.service.js';
import { fullNamesOf } from '../accounts/account.repository.js';
import { dossierNotFound, findDossier, readableDossier, type DossierFileView } from '../dossiers/dossier.service.js';
import * as dossierRepo from '../dossiers/dossier.repository.js';
import { checkedContent, safeOriginalName } from '../files.js';
import { HttpProblem, type Bilingual } from '../problems.js';
import { isAgencyCertificate } from '../signatures/certificate.service.js';
import { verifyPdf } from '../signatures/signature.service.js';
import { digitisedEvent, reclassifiedEvent, revokedEvent } from './digitisation-events.js';
import * as repo from './digitisation.repository.js';
import type { DigitisationMark, DossierDigitisation } from './digitisation.api.js';

/**
 * Digitisation (số hóa): a one-stop officer or a clerk (văn thư) of the dossier's agency certifies each received
 * component and each issued result as digitised — a certified electronic copy of the paper original (bản sao điện
 * tử chứng thực: the file itself, or a scan attached to the mark) or an electronic original (bản gốc điện tử: a PDF
 * whose signature verifies) — takes a mistaken mark back with a reason, and files what the citizen put under
 * "other documents" in the component it belongs to. Each change joins the dossier's hash-chained history. The
 * agency summary counts the digitised components (migration 0015), and the citizen's wallet offers the
 * digitised results.
 */

/** Who certifies digitisation: the reception desk (one-stop officer) and the clerk (văn thư). */
export const DIGITISER_ROLES = ['one-stop-officer', 'clerk'];

/**
 * The template's "other documents" component (tài liệu khác): a place for papers outside the template, not a
 * component of it — it does not count as digitised until its files are reclassified (the same code is written in
 * migration 0015's recount).
 */
export const OTHER_DOCUMENTS = 'TP99';

const PDF = 'application/pdf';

type Dossier = NonNullable<Awaited<ReturnType<typeof findDossier>>>;
type MarkRow = Awaited<ReturnType<typeof repo.activeMarks>>[number];

const mayManage = (user: SessionUser, dossier: Dossier) => actorAt(user, dossier.agency_id).groups.some((g) => DIGITISER_ROLES.includes(g));

/** The dossier for its agency's staff (and auditors, to read); anyone else is told it does not exist. */
async function staffDossier(db: Db, user: SessionUser, id: string, purpose: 'read' | 'manage'): Promise<Dossier> {
  const dossier = await findDossier(db, id);
  const staff = dossier && grantsOf(user).some((g) => g.agencyId === dossier.agency_id);
  if (!dossier || !(staff || (purpose === 'read' && isAuditor(user)))) throw dossierNotFound();
  if (purpose === 'read') return dossier;
  if (!mayManage(user, dossier)) {
    throw new HttpProblem(403, 'digitisation-forbidden', {
      vi: 'Chỉ cán bộ một cửa hoặc văn thư của cơ quan mới số hóa, hủy số hóa hay phân loại lại giấy tờ',
      en: 'Only a one-stop officer or a clerk of the agency may digitise, undo digitisation or reclassify documents',
    });
  }
  if (!dossier.instance_id) {
    throw new HttpProblem(409, 'dossier-not-submitted', { vi: 'Hồ sơ chưa nộp nên chưa số hóa được', en: 'A draft is not digitised' });
  }
  return dossier;
}

const fileNotFound = () => new HttpProblem(404, 'file-not-found', { vi: 'Không tìm thấy tệp', en: 'File not found' });

async function liveFile(db: Db, dossierId: string, fileId: string) {
  const file = await repo.liveFile(db, dossierId, fileId);
  if (!file) throw fileNotFound();
  return file;
}

const fileRef = (file: { id: string; component_code: string; original_name: string }) => ({ id: file.id, componentCode: file.component_code, originalName: file.original_name });

function markView(row: MarkRow, names: Map<string, string>): DigitisationMark {
  return {
    kind: row.kind,
    certifiedBy: { id: row.certified_by, name: names.get(row.certified_by) ?? null },
    certifiedAt: row.certified_at,
    signer: row.signer,
    scan: row.scan_sha256 ? { originalName: row.scan_name!, mediaType: row.scan_media_type!, size: row.scan_size!, sha256: row.scan_sha256 } : null,
  };
}

/** The dossier's files with their marks, for the agency's staff and auditors. */
export async function dossierDigitisation(db: Db, user: SessionUser, dossierId: string): Promise<DossierDigitisation> {
  const dossier = await staffDossier(db, user, dossierId, 'read');
  const [files, marks, components] = await Promise.all([dossierRepo.liveFiles(db, dossierId), repo.activeMarks(db, dossierId), dossierRepo.componentsOfProcedure(db, dossier.procedure_id)]);
  const names = await fullNamesOf(db, [...new Set(marks.map((m) => m.certified_by))]);
  const byFile = new Map(marks.map((m) => [m.file_id, markView(m, names)]));
  return {
    canManage: Boolean(dossier.instance_id) && mayManage(user, dossier),
    otherDocumentsCode: components.some((c) => c.code === OTHER_DOCUMENTS && c.kind === 'input') ? OTHER_DOCUMENTS : null,
    files: files.map((f) => ({ fileId: f.id, componentCode: f.component_code, mark: byFile.get(f.id) ?? null })),
  };
}

const originalRefusals: Record<'not-pdf' | 'no-signature' | 'tampered' | 'expired' | 'untrusted', Bilingual> = {
  'not-pdf': { vi: 'Chỉ tệp PDF có chữ ký số hợp lệ mới là bản gốc điện tử', en: 'Only a PDF with a valid digital signature is an electronic original' },
  'no-signature': {
    vi: 'Tệp không có chữ ký số nên không phải bản gốc điện tử; hãy số hóa dưới dạng bản sao điện tử chứng thực',
    en: 'The file carries no digital signature, so it is no electronic original; digitise it as a certified copy',
  },
  tampered: { vi: 'Chữ ký số của tệp không hợp lệ: nội dung đã bị thay đổi sau khi ký', en: 'The file’s signature does not verify: its content changed after signing' },
  expired: { vi: 'Chứng thư số đã hết hạn hoặc chưa có hiệu lực vào lúc ký', en: 'The signer’s certificate was not valid at the signing time' },
  untrusted: {
    vi: 'Kết quả không được ký bằng chứng thư số của cơ quan giải quyết',
    en: 'The result is not signed with a certificate of the agency',
  },
};

/**
 * Whether the file is an electronic original: a PDF whose signature verifies. A result must carry the agency's own
 * signature; a received document may come signed by another issuer, whose certificate this system does not hold
 * (the officer certifies where it comes from), so only an intact signature is required of it.
 */
async function requireSignedOriginal(db: Db, dossier: Dossier, file: { sha256: string; media_type: string; component_kind: string | null }) {
  const refuse = (reason: keyof typeof originalRefusals) => new HttpProblem(422, `electronic-original-${reason}`, originalRefusals[reason], [{ path: '/body/kind', message: originalRefusals[reason] }]);
  if (file.media_type !== PDF) throw refuse('not-pdf');
  const check = await verifyPdf(await dossierRepo.blobContent(db, file.sha256), (fingerprint) => isAgencyCertificate(db, dossier.agency_id, fingerprint));
  if (check.valid) return { signer: check.signer, fingerprint: check.fingerprint };
  if (check.reason === 'untrusted' && file.component_kind !== 'result' && check.signer && check.fingerprint) return { signer: check.signer, fingerprint: check.fingerprint };
  throw refuse(check.reason);
}

/**
 * Marks a file as digitised: `electronic-original` when its signature verifies (see requireSignedOriginal), or
 * `scanned-copy` — the file itself, or `scan` (the officer's scan of the paper original, checked as an upload to the
 * file's component) — certified as a copy of the original seen at the desk.
 */
export async function markDigitised(
  db: Db,
  user: SessionUser,
  dossierId: string,
  fileId: string,
  input: { kind: 'electronic-original' } | { kind: 'scanned-copy'; scan?: { originalName: string; content: Buffer } },
): Promise<DigitisationMark> {
  const dossier = await staffDossier(db, user, dossierId, 'manage');
  const file = await liveFile(db, dossierId, fileId);
  let signed: { signer: string; fingerprint: string } | null = null;
  let scan: { sha256: string; mediaType: string; size: number; name: string; content: Buffer } | null = null;
  if (input.kind === 'electronic-original') {
    signed = await requireSignedOriginal(db, dossier, file);
  } else if (input.scan) {
    const component = (await dossierRepo.componentsOfProcedure(db, dossier.procedure_id)).find((c) => c.code === file.component_code);
    if (!component) throw componentGone(file.component_code);
    const checked = await checkedContent(input.scan.content, { maxSizeMb: component.max_size_mb, allowedTypes: component.allowed_types, path: '/body/file' });
    scan = { ...checked, name: safeOriginalName(input.scan.originalName, 'scan'), content: input.scan.content };
  }
  const now = new Date();
  const row = await inTransaction(db, async (trx) => {
    // The instance's lock (taken by the append) orders the marks, signing and reclassification of one dossier.
    await appendHistoryOnly(trx, dossier.instance_id!, user.id, now, [digitisedEvent(fileRef(file), { kind: input.kind, scan, ...signed })]);
    await liveFile(trx, dossierId, fileId);
    if (await repo.activeMark(trx, fileId)) {
      throw new HttpProblem(409, 'already-digitised', { vi: 'Tệp đã được số hóa; hủy số hóa trước nếu cần đánh dấu lại', en: 'The file is already digitised; undo that first to mark it again' });
    }
    if (scan) await dossierRepo.storeBlob(trx, { sha256: scan.sha256, size: scan.size, media_type: scan.mediaType, content: scan.content });
    return repo.insertMark(trx, {
      file_id: fileId,
      dossier_id: dossierId,
      kind: input.kind,
      scan_sha256: scan?.sha256 ?? null,
      scan_size: scan?.size ?? null,
      scan_media_type: scan?.mediaType ?? null,
      scan_name: scan?.name ?? null,
      signer: signed?.signer ?? null,
      signer_fingerprint: signed?.fingerprint ?? null,
      certified_by: user.id,
      certified_at: now,
      revoked_by: null,
      revoked_at: null,
      revoke_reason: null,
    });
  });
  return markView(row, new Map([[user.id, user.fullName]]));
}

const componentGone = (code: string) =>
  new HttpProblem(409, 'component-unknown', { vi: `Thủ tục không còn thành phần ${code}`, en: `The procedure no longer has the component ${code}` });

/** Takes a mistaken mark back; the mark is kept, with who took it back, when and why. */
export async function unmarkDigitised(db: Db, user: SessionUser, dossierId: string, fileId: string, reason: string): Promise<void> {
  const why = reason.trim();
  if (!why) {
    throw new HttpProblem(422, 'reason-required', { vi: 'Cần ghi lý do hủy số hóa', en: 'Give the reason for undoing the digitisation' }, [
      { path: '/body/reason', message: { vi: 'Nhập lý do', en: 'Enter a reason' } },
    ]);
  }
  const dossier = await staffDossier(db, user, dossierId, 'manage');
  const file = await liveFile(db, dossierId, fileId);
  const now = new Date();
  const notDigitised = () => new HttpProblem(409, 'not-digitised', { vi: 'Tệp chưa được số hóa', en: 'The file is not digitised' });
  await inTransaction(db, async (trx) => {
    const mark = await repo.activeMark(trx, fileId);
    if (!mark) throw notDigitised();
    await appendHistoryOnly(trx, dossier.instance_id!, user.id, now, [revokedEvent(fileRef(file), mark.kind, why)]);
    // Under the instance's lock: another officer may have taken it back meanwhile.
    if (!(await repo.revokeMark(trx, fileId, { by: user.id, at: now, reason: why }))) throw notDigitised();
  });
}

/**
 * Files a document the citizen put under "other documents" in the input component it belongs to (same procedure),
 * where it counts as that component — and as digitised, once marked. The component must take its type and size;
 * one that holds a single file must be empty.
 */
export async function reclassify(db: Db, user: SessionUser, dossierId: string, fileId: string, componentCode: string): Promise<DossierFileView> {
  const dossier = await staffDossier(db, user, dossierId, 'manage');
  const file = await liveFile(db, dossierId, fileId);
  const targetProblem = (status: number, code: string, message: Bilingual) => new HttpProblem(status, code, message, [{ path: '/body/componentCode', message }]);
  if (file.component_code !== OTHER_DOCUMENTS) {
    throw new HttpProblem(409, 'not-other-documents', {
      vi: 'Chỉ phân loại lại được giấy tờ nằm trong "Tài liệu khác"',
      en: 'Only a file under "other documents" can be reclassified',
    });
  }
  const target = (await dossierRepo.componentsOfProcedure(db, dossier.procedure_id)).find((c) => c.code === componentCode);
  if (!target) {
    throw targetProblem(422, 'unknown-component', { vi: `Thủ tục không có thành phần ${componentCode}`, en: `No component ${componentCode} in this procedure` });
  }
  if (target.kind !== 'input' || target.code === OTHER_DOCUMENTS) {
    throw targetProblem(422, 'reclassify-target-invalid', {
      vi: 'Chỉ chuyển được sang một thành phần hồ sơ mà công dân nộp (không phải kết quả hay tài liệu khác)',
      en: 'Choose an input component of the dossier (not a result, nor other documents)',
    });
  }
  await checkedContent(Buffer.from(await dossierRepo.blobContent(db, file.sha256)), { maxSizeMb: target.max_size_mb, allowedTypes: target.allowed_types, path: '/body/componentCode' });
  const now = new Date();
  await inTransaction(db, async (trx) => {
    await appendHistoryOnly(trx, dossier.instance_id!, user.id, now, [reclassifiedEvent(fileRef(file), target.code)]);
    if ((await liveFile(trx, dossierId, fileId)).component_code !== OTHER_DOCUMENTS) {
      throw new HttpProblem(409, 'not-other-documents', { vi: 'Giấy tờ vừa được phân loại lại', en: 'The file was reclassified meanwhile' });
    }
    if (!target.many_files && (await dossierRepo.liveFiles(trx, dossierId)).some((f) => f.component_code === target.code)) {
      throw targetProblem(409, 'component-occupied', {
        vi: `Thành phần "${target.name}" chỉ nhận một tệp và đã có tệp`,
        en: `The component ${target.code} takes one file and already holds one`,
      });
    }
    await repo.moveFile(trx, fileId, target.code);
  });
  return { id: file.id, componentCode: target.code, originalName: file.original_name, mediaType: file.media_type, size: file.size, sha256: file.sha256, uploadedAt: file.created_at };
}

/** The certified scan attached to a file's mark, for those who may read the dossier. */
export async function scanContent(db: Db, user: SessionUser, dossierId: string, fileId: string) {
  await readableDossier(db, user, dossierId);
  const scan = await repo.scanOf(db, dossierId, fileId);
  if (!scan) throw new HttpProblem(404, 'scan-not-found', { vi: 'Tệp không có bản quét được chứng thực', en: 'The file has no certified scan' });
  return { content: Buffer.from(scan.content), mediaType: scan.scan_media_type!, originalName: scan.scan_name! };
}
