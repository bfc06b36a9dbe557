import type { MessageKey } from '../i18n/messages.js';

/** A walk-in applicant as the officer types them at the counter (phone and email may stay empty). */
export interface WalkIn {
  fullName: string;
  idNumber: string;
  phone: string;
  email: string;
}

export interface CounterDraftRequest {
  procedureCode: string;
  applicant: { fullName: string; idNumber: string; phone?: string; email?: string };
}

/** The API's own rules (server/accounts/account.routes.ts PersonFields), checked before asking it. */
const ID_NUMBER = /^(\d{9}|\d{12})$/;
const PHONE = /^(\+84|0)\d{9,10}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What is wrong with the reception form, by the API's field path; empty when it may be sent. */
export function walkInProblems(procedureCode: string, applicant: WalkIn): { path: string; message: MessageKey }[] {
  const problems: { path: string; message: MessageKey }[] = [];
  if (!procedureCode) problems.push({ path: '/body/procedureCode', message: 'officer.counter.procedureRequired' });
  if (applicant.fullName.trim().length < 2) problems.push({ path: '/body/applicant/fullName', message: 'officer.counter.fullNameRequired' });
  if (!ID_NUMBER.test(applicant.idNumber.trim())) problems.push({ path: '/body/applicant/idNumber', message: 'officer.counter.idNumberInvalid' });
  if (applicant.phone.trim() && !PHONE.test(applicant.phone.trim())) problems.push({ path: '/body/applicant/phone', message: 'officer.counter.phoneInvalid' });
  if (applicant.email.trim() && !EMAIL.test(applicant.email.trim())) problems.push({ path: '/body/applicant/email', message: 'officer.counter.emailInvalid' });
  return problems;
}

/** `POST /api/counter/dossiers`: values trimmed, empty optional ones left out. */
export function walkInRequest(procedureCode: string, applicant: WalkIn): CounterDraftRequest {
  const [phone, email] = [applicant.phone.trim(), applicant.email.trim()];
  return {
    procedureCode,
    applicant: { fullName: applicant.fullName.trim(), idNumber: applicant.idNumber.trim(), ...(phone ? { phone } : {}), ...(email ? { email } : {}) },
  };
}
