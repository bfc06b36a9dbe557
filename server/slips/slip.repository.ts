import type { Db } from '../../engine/db/database.js';

/** Who the slips name as the applicant, and how to reach them. */
export async function applicantOf(db: Db, userId: string) {
  return db.selectFrom('app_user').select(['full_name', 'phone', 'email']).where('id', '=', userId).executeTakeFirstOrThrow();
}
