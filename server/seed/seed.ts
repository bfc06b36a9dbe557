import { createHmac } from 'node:crypto';
import type { Db } from '../../engine/db/database.js';
import { hashPassword } from '../accounts/password.js';
import { insertRoles, insertUser, sharedSecret } from '../accounts/account.repository.js';
import { insertAgency, insertField } from '../catalogue/catalogue.repository.js';
import { saveProcedure } from '../catalogue/catalogue-admin.service.js';
import { demoCertificate, storeCertificate } from '../signatures/certificate.service.js';
import { seedDemoQuestions } from '../questions/question.seed.js';
import { agencies, DEMO_EMAIL_DOMAIN, demoCitizen, fields, procedures, roleLogins, staffRoles } from './demo-data.js';

export interface DemoAccount {
  login: string;
  password: string;
  description: string;
}

/**
 * Demo passwords are derived from a secret generated once per database, so they are never in the source, the
 * same on every start (and printable then), and different on every installation.
 */
async function demoPassword(db: Db, login: string): Promise<string> {
  const secret = await sharedSecret(db, 'demo-passwords');
  return createHmac('sha256', secret).update(login).digest('base64url').slice(0, 14);
}

function demoAccounts() {
  const accounts: { email: string; fullName: string; description: string; roles: { role: string; agencyCode: string | null }[] }[] = [
    { email: `admin@${DEMO_EMAIL_DOMAIN}`, fullName: 'Quản trị hệ thống', description: 'admin', roles: [{ role: 'admin', agencyCode: null }] },
    { email: `thanhtra@${DEMO_EMAIL_DOMAIN}`, fullName: 'Thanh tra tỉnh', description: 'auditor', roles: [{ role: 'auditor', agencyCode: null }] },
  ];
  for (const agency of agencies) {
    for (const role of staffRoles) {
      accounts.push({
        email: `${roleLogins[role].login}.${agency.slug}@${DEMO_EMAIL_DOMAIN}`,
        fullName: `${roleLogins[role].name} — ${agency.name}`,
        description: `${role} @ ${agency.code}`,
        roles: [{ role, agencyCode: agency.code }],
      });
    }
  }
  return accounts;
}

/** Loads the demo catalogue and accounts into an empty database; on any other database it changes nothing. */
export async function seedDemo(db: Db): Promise<{ created: boolean; accounts: DemoAccount[] }> {
  const staff = demoAccounts();
  const created = await db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('agency').select('id').limit(1).execute();
    if (existing.length) return false;
    const agencyIds = new Map<string, string>();
    for (const a of agencies) agencyIds.set(a.code, (await insertAgency(trx, { code: a.code, name: a.name, level: a.level })).id);
    // Each agency signs its results with a self-signed demo certificate (CN = its name) until an admin uploads its own.
    const certificates = await Promise.all(agencies.map((a) => demoCertificate(a.name)));
    for (const [i, a] of agencies.entries()) await storeCertificate(trx, agencyIds.get(a.code)!, certificates[i]!, null);
    for (const f of fields) await insertField(trx, f);
    for (const p of procedures) {
      await saveProcedure(
        trx,
        p.code,
        {
          name: p.name,
          agencyCode: p.agency,
          fieldCode: p.field,
          level: p.level,
          timeLimitDays: p.timeLimitDays,
          fee: p.fee,
          processKey: p.processKey,
          eformSchema: p.eform,
          description: null,
          legalBasis: p.legalBasis ?? null,
          published: true,
          components: p.components.map((c) => ({
            code: c.code,
            name: c.name,
            kind: c.kind ?? 'input',
            required: c.required ?? c.kind === 'result',
            manyFiles: c.manyFiles ?? false,
            signatureRequired: c.signatureRequired ?? false,
            maxSizeMb: 10,
            allowedTypes: ['application/pdf', 'image/jpeg', 'image/png'],
          })),
        },
        false,
      );
    }
    const people = [...staff, { email: demoCitizen.email, fullName: demoCitizen.fullName, description: 'citizen', roles: [{ role: 'citizen', agencyCode: null }] }];
    // scrypt runs on libuv's thread pool: hashing all at once uses every core.
    const plain: string[] = [];
    for (const account of people) plain.push(await demoPassword(trx, account.email));
    const passwords = await Promise.all(plain.map(hashPassword));
    for (const [i, account] of people.entries()) {
      const isCitizen = account.roles[0]!.role === 'citizen';
      const user = await insertUser(trx, {
        kind: isCitizen ? 'citizen' : 'staff',
        full_name: account.fullName,
        id_number: isCitizen ? demoCitizen.idNumber : null,
        email: account.email,
        phone: isCitizen ? demoCitizen.phone : null,
        password_hash: passwords[i]!,
        locked_at: null,
      });
      await insertRoles(trx, account.roles.map((r) => ({ user_id: user.id, role: r.role, agency_id: r.agencyCode ? agencyIds.get(r.agencyCode)! : null })));
    }
    await seedDemoQuestions(trx);
    return true;
  });
  // Only accounts that exist (an installation may have removed some) are listed.
  const all = [...staff, { email: demoCitizen.email, description: `citizen (ID ${demoCitizen.idNumber})` }];
  const existing = new Set((await db.selectFrom('app_user').select('email').where('email', 'in', all.map((a) => a.email)).execute()).map((u) => u.email));
  const accounts: DemoAccount[] = [];
  for (const a of all.filter((x) => existing.has(x.email))) {
    accounts.push({ login: a.email, password: await demoPassword(db, a.email), description: a.description });
  }
  return { created, accounts };
}
