import type { MessageKey } from '../i18n/messages.js';

/** The admin's sections: the landing page's cards and the admin pages' own navigation. */
export const ADMIN_SECTIONS: { href: string; title: MessageKey; text: MessageKey }[] = [
  { href: '/admin/procedures', title: 'admin.procedures.title', text: 'admin.procedures.text' },
  { href: '/admin/catalogue', title: 'admin.catalogue.title', text: 'admin.catalogue.text' },
  { href: '/admin/processes', title: 'admin.processes.title', text: 'admin.processes.text' },
  { href: '/admin/staff', title: 'admin.staff.title', text: 'admin.staff.text' },
  { href: '/admin/calendar', title: 'admin.calendar.title', text: 'admin.calendar.text' },
  { href: '/admin/certificates', title: 'admin.certificates.title', text: 'admin.certificates.text' },
  { href: '/admin/mail', title: 'admin.mail.title', text: 'admin.mail.text' },
];
