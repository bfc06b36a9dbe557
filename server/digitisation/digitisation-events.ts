import type { Db } from '../../engine/db/database.js';
import type { PendingEvent } from '../../engine/runtime/command.js';
import * as repo from './digitisation.repository.js';
import type { DigitisationKind } from './digitisation.table.js';

/**
 * The dossier history's digitisation events (hash-chained with the rest, so auditors replay and verify them), and
 * the electronic originals the signing step records. Apart from the service so that the signing step can use it
 * without importing the signature checks back.
 */
export const DIGITISED_EVENT = 'file.digitised';
export const DIGITISATION_REVOKED_EVENT = 'file.digitisation-revoked';
export const RECLASSIFIED_EVENT = 'file.reclassified';

interface FileRef {
  id: string;
  componentCode: string;
  originalName: string;
}

export function digitisedEvent(
  file: FileRef,
  mark: { kind: DigitisationKind; scan?: { sha256: string; name: string } | null; signer?: string | null; fingerprint?: string | null; bySigning?: boolean },
): PendingEvent {
  return {
    type: DIGITISED_EVENT,
    elementId: null,
    data: {
      fileId: file.id,
      componentCode: file.componentCode,
      fileName: file.originalName,
      kind: mark.kind,
      ...(mark.scan ? { scan: { sha256: mark.scan.sha256, name: mark.scan.name } } : {}),
      ...(mark.signer ? { signer: mark.signer, fingerprint: mark.fingerprint ?? null } : {}),
      // Recorded by the agency leader's signing step, not marked by hand.
      ...(mark.bySigning ? { bySigning: true } : {}),
    },
  };
}

export const revokedEvent = (file: FileRef, kind: DigitisationKind, reason: string): PendingEvent => ({
  type: DIGITISATION_REVOKED_EVENT,
  elementId: null,
  data: { fileId: file.id, componentCode: file.componentCode, fileName: file.originalName, kind, reason },
});

export const reclassifiedEvent = (file: FileRef, to: string): PendingEvent => ({
  type: RECLASSIFIED_EVENT,
  elementId: null,
  data: { fileId: file.id, fileName: file.originalName, from: file.componentCode, to },
});

/**
 * A result the agency signed is its electronic original (bản gốc điện tử): the signing step records it as
 * digitised, certified by the leader who signed, in the signing action's transaction. Files already marked keep
 * their mark. Returns the history events to append with the signing's own.
 */
export async function recordSignedOriginals(
  trx: Db,
  dossierId: string,
  originals: (FileRef & { signer: string; fingerprint: string })[],
  signedBy: string,
  at: Date,
): Promise<PendingEvent[]> {
  const events: PendingEvent[] = [];
  for (const file of originals) {
    if (await repo.activeMark(trx, file.id)) continue;
    await repo.insertMark(trx, {
      file_id: file.id,
      dossier_id: dossierId,
      kind: 'electronic-original',
      scan_sha256: null,
      scan_size: null,
      scan_media_type: null,
      scan_name: null,
      signer: file.signer,
      signer_fingerprint: file.fingerprint,
      certified_by: signedBy,
      certified_at: at,
      revoked_by: null,
      revoked_at: null,
      revoke_reason: null,
    });
    events.push(digitisedEvent(file, { kind: 'electronic-original', signer: file.signer, fingerprint: file.fingerprint, bySigning: true }));
  }
  return events;
}
