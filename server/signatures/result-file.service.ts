import type { Db } from '../../engine/db/database.js';
import { openTasks } from '../../engine/process-core.js';
import { actorAt } from '../accounts/grants.js';
import type { SessionUser } from '../accounts/account.service.js';
import { attachFile, dossierNotFound, findDossier, type DossierFileView } from '../dossiers/dossier.service.js';
import { HttpProblem } from '../problems.js';

/**
 * Result documents (the procedure's result components, KQ01…): attached by whoever works the dossier now — the
 * handler drafting it, a leader reviewing it, the agency leader before signing — and signed by the signing step.
 */
export async function attachResult(db: Db, user: SessionUser, dossierId: string, upload: { componentCode: string; originalName: string; content: Buffer }): Promise<DossierFileView> {
  const dossier = await findDossier(db, dossierId);
  const actor = dossier ? actorAt(user, dossier.agency_id) : undefined;
  if (!dossier?.instance_id || !actor?.groups.length) throw dossierNotFound();
  const instanceId = dossier.instance_id;
  // Someone holds an open staff task of the dossier: one of their groups, not assigned to someone else.
  const requireWorking = async (trx: Db) => {
    const tasks = await openTasks(trx, instanceId);
    const working = tasks.some((t) => !t.candidateGroups.includes('citizen') && t.candidateGroups.some((g) => actor.groups.includes(g)) && (!t.assignee || t.assignee === user.id));
    if (!working) {
      throw new HttpProblem(409, 'not-working-on-dossier', {
        vi: 'Chỉ cán bộ đang xử lý hồ sơ mới đính kèm được kết quả',
        en: 'Only an officer working on the dossier now may attach its result',
      });
    }
  };
  await requireWorking(db);
  return attachFile(db, dossier, 'result', upload, async (trx) => {
    await findDossier(trx, dossierId, true);
    await requireWorking(trx);
  });
}
