import { describe, expect, test } from 'vitest';
import type { DossierDetail, ProcedureDetail } from '../../web/src/lib/api/types.js';
import { canWithdraw, componentOfPath, formPointerOfPath, missingComponents, resumeStep, supplementReason } from '../../web/src/lib/dossier.js';
import { procedures } from '../../server/seed/demo-data.js';

const seed = procedures.find((p) => p.code === '2.000331')!;
const procedure: ProcedureDetail = {
  code: seed.code,
  name: seed.name,
  level: seed.level,
  timeLimitDays: seed.timeLimitDays,
  agency: { code: 'H20.11', name: 'Sở Công Thương' },
  field: { code: 'CNDP', name: 'Công nghiệp địa phương' },
  description: null,
  legalBasis: null,
  processKey: seed.processKey,
  fee: seed.fee,
  eformSchema: seed.eform,
  forms: [],
  components: seed.components.map((c) => ({
    code: c.code,
    name: c.name,
    kind: c.kind ?? 'input',
    required: c.required ?? false,
    manyFiles: c.manyFiles ?? false,
    signatureRequired: false,
    maxSizeMb: 10,
    allowedTypes: ['application/pdf'],
  })),
};
const file = (componentCode: string) => ({ id: componentCode, componentCode, originalName: 'a.pdf', mediaType: 'application/pdf', size: 1, sha256: '', uploadedAt: '' });
const draft: DossierDetail = {
  id: 'd1',
  code: null,
  state: 'draft',
  procedure: { code: seed.code, name: seed.name },
  agency: { code: 'H20.11', name: 'Sở Công Thương' },
  channel: 'online',
  nationalStatus: null,
  submittedAt: null,
  dueAt: null,
  createdAt: '2024-08-21T07:30:00Z',
  form: {},
  files: [],
  pin: null,
  rescheduledDueAt: null,
  timeline: [],
  postal: { collection: null, result: null },
};
const business = { organizationName: 'Công ty A', taxCode: '0101234567', address: 'Hà Nội', representative: 'Lê Văn C' };

describe('a citizen’s dossier', () => {
  test('a draft resumes at the first step not done: eForm, then files, then the check page', () => {
    expect(resumeStep(draft, procedure)).toBe('form');
    expect(resumeStep({ ...draft, form: business }, procedure)).toBe('files');
    expect(missingComponents(procedure, []).map((c) => c.code)).toEqual(['TP05']);
    // Result components (KQ01) are the agency's to supply.
    expect(resumeStep({ ...draft, form: business, files: [file('TP05')] }, procedure)).toBe('check');
  });

  test('the supplement reason is the latest note addressed to the applicant, while a supplement is requested', () => {
    const asked: DossierDetail = {
      ...draft,
      state: 'submitted',
      nationalStatus: 5,
      timeline: [
        { at: '', kind: 'action', action: '5200', note: 'Thiếu bản sao' },
        { at: '', kind: 'action', action: '5200', note: 'Thiếu danh sách trích ngang' },
        { at: '', kind: 'status', status: 5 },
      ],
    };
    expect(supplementReason(asked)).toBe('Thiếu danh sách trích ngang');
    expect(supplementReason({ ...asked, nationalStatus: 4 })).toBeUndefined();
  });

  test('only an open submitted dossier can be withdrawn', () => {
    expect(canWithdraw(draft)).toBe(false);
    expect(canWithdraw({ ...draft, state: 'submitted', nationalStatus: 4 })).toBe(true);
    for (const closed of [3, 7, 8, 9, 10]) expect(canWithdraw({ ...draft, state: 'submitted', nationalStatus: closed })).toBe(false);
  });

  test('the API’s error paths name eForm fields and components', () => {
    expect(formPointerOfPath('/body/form/taxCode')).toBe('/taxCode');
    expect(formPointerOfPath('/body/declarationAccepted')).toBeUndefined();
    expect(componentOfPath('/files/TP05')).toBe('TP05');
    expect(componentOfPath('/body/form/x')).toBeUndefined();
  });
});
