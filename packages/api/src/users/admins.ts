/**
 * The one rule about admins: an organisation always keeps at least one active admin. Changes that
 * could break it (removing the role, deactivating, a bulk file replacing roles) run under a
 * per-organisation lock, so two admins demoting each other at the same moment cannot leave nobody
 * in charge.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { TRPCError } from '@trpc/server';

export const LAST_ADMIN = 'At least one active admin must remain. Make someone else an admin first.';

/** Takes the organisation's admin lock until the transaction `em` is in ends. */
export async function lockAdmins(em: EntityManager, orgId: string): Promise<void> {
  await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 1))', [`admins:${orgId}`]);
}

/** Active admins of the organisation other than `userIds`. */
export async function activeAdminsExcept(em: EntityManager, orgId: string, userIds: string[]): Promise<number> {
  const [row] = await em.execute<{ n: string }[]>(
    `select count(*) as n from users u join user_roles ur on ur.user_id = u.id join roles r on r.id = ur.role_id
     where u.org_id = ? and r.key = 'admin' and u.status = 'active'
       and u.id not in (select value::uuid from json_array_elements_text(?::json))`,
    [orgId, JSON.stringify(userIds)],
  );
  return Number(row?.n ?? 0);
}

/** Refuses a change to `userId` that would leave the organisation without an active admin. */
export async function assertAnotherAdmin(em: EntityManager, orgId: string, userId: string): Promise<void> {
  if ((await activeAdminsExcept(em, orgId, [userId])) === 0) {
    throw new TRPCError({ code: 'CONFLICT', message: LAST_ADMIN });
  }
}
