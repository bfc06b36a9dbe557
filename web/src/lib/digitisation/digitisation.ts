import type { DigitisationMark as ServerDigitisationMark, DossierDigitisation as ServerDossierDigitisation } from '../../../../server/digitisation/digitisation.api.js';
import type { DigitisationKind } from '../../../../server/digitisation/digitisation.table.js';
import type { Component, HistoryEvent, ProcedureDetail } from '../api/types.js';
import type { Lang } from '../i18n/messages.js';
import { translate } from '../i18n/translate.js';

/** Digitisation (số hóa) as server/digitisation/digitisation.routes.ts answers it; dates are ISO 8601 strings. */
export type { DigitisationKind };
export { DIGITISATION_KINDS } from '../../../../server/digitisation/digitisation.api.js';
export type DigitisationMark = ServerDigitisationMark<string>;
/** GET /api/staff/dossiers/:id/digitisation */
export type DossierDigitisation = ServerDossierDigitisation<string>;

/** Where a file under "other documents" may go: the procedure's other input components. */
export const reclassifyTargets = (procedure: ProcedureDetail, otherDocumentsCode: string): Component[] =>
  procedure.components.filter((c) => c.kind === 'input' && c.code !== otherDocumentsCode);

/** The file's mark in force, if any (undefined while the dossier's digitisation is unknown). */
export const markOf = (digitisation: DossierDigitisation | null, fileId: string): DigitisationMark | null | undefined =>
  digitisation ? (digitisation.files.find((f) => f.fileId === fileId)?.mark ?? null) : undefined;

const kindKeys = { 'scanned-copy': 'digitisation.kind.scanned-copy', 'electronic-original': 'digitisation.kind.electronic-original' } as const;
const text = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * The officer's timeline line for a digitisation event of the dossier's history (server/digitisation/
 * digitisation-events.ts): what was done to which file; an undo's reason as its note. Null for other events.
 */
export function digitisationEntry(event: HistoryEvent, lang: Lang): { title: string; note?: string } | null {
  const name = text(event.data.fileName);
  switch (event.type) {
    case 'file.digitised':
      if (event.data.bySigning) return { title: translate(lang, 'digitisation.history.signed', { name }) };
      return { title: translate(lang, 'digitisation.history.marked', { name, kind: translate(lang, kindKeys[event.data.kind as DigitisationKind] ?? kindKeys['scanned-copy']) }) };
    case 'file.digitisation-revoked':
      return { title: translate(lang, 'digitisation.history.unmarked', { name }), note: text(event.data.reason) || undefined };
    case 'file.reclassified':
      return { title: translate(lang, 'digitisation.history.reclassified', { name, from: text(event.data.from), to: text(event.data.to) }) };
    default:
      return null;
  }
}
