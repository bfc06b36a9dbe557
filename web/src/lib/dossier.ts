import type { Component, DossierDetail, DossierFile, ProcedureDetail } from './api/types.js';
import type { FieldTarget, ProblemField } from './api/problem.js';
import { bilingual } from './i18n/translate.js';
import { fieldsOf, leaves, missingRequired, valuesFrom, type FieldSpec, type JsonSchema } from './eform/schema.js';

/** National statuses the citizen's pages act on (schemas/dossier-statuses.json). */
export const STATUS = { receptionRejected: 3, supplementRequested: 5, withdrawn: 7, stopped: 8, resolved: 9, resultReturned: 10 } as const;

/** The load dependency of the pages under /dossiers/[id]: invalidate it to reload the dossier after a change. */
export const DOSSIER_DEPENDENCY = 'app:dossier';

/** The wizard's steps, in order; a draft resumes at the first one not yet done. */
export const WIZARD_STEPS = ['form', 'files', 'delivery', 'check'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

/** The components the applicant supplies (result components are the agency's). */
export const inputComponents = (procedure: ProcedureDetail): Component[] => procedure.components.filter((c) => c.kind === 'input');

export const filesOf = (files: DossierFile[], component: Component): DossierFile[] => files.filter((f) => f.componentCode === component.code);

/** Required input components with no file yet. */
export function missingComponents(procedure: ProcedureDetail, files: DossierFile[]): Component[] {
  return inputComponents(procedure).filter((c) => c.required && !filesOf(files, c).length);
}

/** Required components with no file, as the API reports them (at `/files/<code>`). */
export const missingFileProblems = (procedure: ProcedureDetail, files: DossierFile[]): ProblemField[] =>
  missingComponents(procedure, files).map((c) => ({ path: `/files/${c.code}`, message: bilingual('upload.required') }));

/** Where a draft resumes: the eForm while a required field is empty, then the files, then the check page. */
export function resumeStep(dossier: DossierDetail, procedure: ProcedureDetail): WizardStep {
  const fields = fieldsOf(procedure.eformSchema as JsonSchema);
  if (missingRequired(fields, valuesFrom(fields, dossier.form)).length) return 'form';
  if (missingComponents(procedure, dossier.files).length) return 'files';
  return 'check';
}

/** The officer's reason for the open supplement request: the latest note addressed to the applicant. */
export function supplementReason(dossier: DossierDetail): string | undefined {
  if (dossier.nationalStatus !== STATUS.supplementRequested) return undefined;
  return dossier.timeline.findLast((entry) => entry.note)?.note;
}

/** A submitted dossier may be withdrawn until it is closed (rejected, withdrawn, stopped or resolved). */
export function canWithdraw(dossier: DossierDetail): boolean {
  const closed: number[] = [STATUS.receptionRejected, STATUS.withdrawn, STATUS.stopped, STATUS.resolved, STATUS.resultReturned];
  return dossier.state === 'submitted' && dossier.nationalStatus !== null && !closed.includes(dossier.nationalStatus);
}

/** The API reports a missing component of a submission at `/files/<component code>`. */
export const componentOfPath = (path: string): string | undefined => /^\/files\/([^/]+)$/.exec(path)?.[1];

/** The API reports eForm fields under `/body/form`; the pointer inside the form data, or undefined. */
export const formPointerOfPath = (path: string): string | undefined => (path.startsWith('/body/form/') ? path.slice('/body/form'.length) : undefined);

/**
 * The field a dossier's API error path names: an eForm field or a component's upload. `hrefs` gives the page that
 * holds each (when the error shows on another page, e.g. the check page); without it they are on this page.
 */
export function dossierFieldTarget(
  path: string,
  fields: FieldSpec[],
  components: Pick<Component, 'code' | 'name'>[],
  hrefs?: { form: string; files: string },
): FieldTarget | undefined {
  const pointer = formPointerOfPath(path);
  const field = pointer === undefined ? undefined : leaves(fields).find((f) => f.pointer === pointer);
  if (field) return { id: field.id, label: field.label, ...(hrefs && { href: `${hrefs.form}#${field.id}` }) };
  const component = components.find((c) => c.code === componentOfPath(path));
  const id = component && `file-${component.code}`;
  return component && { id: id!, label: component.name, ...(hrefs && { href: `${hrefs.files}#${id}` }) };
}
