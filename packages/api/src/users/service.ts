import {
  AuditEvent,
  PasswordResetToken,
  query,
  Role,
  type RoleKey,
  User,
  UserAccountant,
  UserRole,
  type UserStatus,
} from '@goalpost/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import { type AuditAction, recordAudit } from '../audit/service.ts';
import { issueLink, retireLinks } from '../auth/links.ts';
import { invalidateUserSessions, userChanged } from '../auth/session.ts';
import type { ActorContext } from '../context.ts';
import { newMailStatus, sendMail } from '../mail/service.ts';
import { inviteMail, passwordResetMail } from '../mail/templates.ts';
import { toApiError } from '../platform/errors.ts';
import { containing } from '../platform/search.ts';
import { assertAnotherAdmin, lockAdmins } from './admins.ts';
import type * as schema from './schema.ts';

type Ctx = ActorContext;

const EMAIL_TAKEN = 'email: A user with this email already exists. Search for them in the list.';

const notFound = () =>
  new TRPCError({ code: 'NOT_FOUND', message: 'No such user. It may have been removed; reload the list.' });

async function loadUser({ em, services }: Ctx, userId: string): Promise<User> {
  const user = await em.findOne(User, { id: userId, org: services.orgId });
  if (!user) throw notFound();
  return user;
}

async function rolesOf(em: EntityManager, userIds: string[]): Promise<Map<string, RoleKey[]>> {
  const rows = await em.find(UserRole, { user: { $in: userIds } }, { populate: ['role'] });
  const byUser = new Map<string, RoleKey[]>();
  for (const row of rows) byUser.set(row.user.id, [...(byUser.get(row.user.id) ?? []), row.role.key]);
  return byUser;
}

/** The one status the list shows for a person: deactivated wins, then locked, then invited or active. */
export type DisplayStatus = UserStatus | 'locked';

function displayStatus(user: { status: UserStatus; lockedAt?: Date | null }): DisplayStatus {
  if (user.status === 'deactivated') return 'deactivated';
  return user.lockedAt ? 'locked' : user.status;
}

/** The same rule in SQL, for filtering and sorting the list (keep the two in step). */
const DISPLAY_STATUS_SQL = `(case when u.status = 'deactivated' then 'deactivated' when u.locked_at is not null then 'locked' else u.status end)`;

interface UserRecord {
  id: string;
  email: string;
  name: string;
  status: UserStatus;
  lockedAt?: Date | null;
  failedLoginCount: number;
  lastLoginAt?: Date | null;
  createdAt: Date;
}

function view(user: UserRecord, roles: RoleKey[]) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    status: user.status,
    displayStatus: displayStatus(user),
    locked: user.lockedAt !== null && user.lockedAt !== undefined,
    lockedAt: user.lockedAt ?? null,
    failedLoginCount: user.failedLoginCount,
    roles: [...roles].sort(),
    lastLoginAt: user.lastLoginAt ?? null,
    createdAt: user.createdAt,
  };
}
export type UserView = ReturnType<typeof view>;

/** ORDER BY for each sort the list offers; the direction comes from a zod enum. Ties break on email (unique). */
const ORDER_BY: Record<schema.UserSort, (dir: 'asc' | 'desc') => string> = {
  name: (dir) => `u.name ${dir}, u.email ${dir}`,
  email: (dir) => `u.email ${dir}`,
  status: (dir) => `${DISPLAY_STATUS_SQL} ${dir}, u.name asc, u.email asc`,
  // People who never signed in come last either way.
  lastLoginAt: (dir) => `u.last_login_at ${dir} nulls last, u.name asc, u.email asc`,
  createdAt: (dir) => `u.created_at ${dir}, u.email asc`,
};

/** The list's filters as SQL over `users u`, with $n parameters appended to `values`. */
function whereOf(orgId: string, input: z.infer<typeof schema.exportInput>, values: unknown[]): string {
  const param = (value: unknown) => `$${values.push(value)}`;
  const clauses = [`u.org_id = ${param(orgId)}`];
  if (input.search) {
    // Same expression as users_search_trgm_idx, so the trigram index serves it.
    clauses.push(`(u.email || ' ' || lower(u.name)) like ${param(containing(input.search.toLowerCase()))}`);
  }
  if (input.status) clauses.push(`${DISPLAY_STATUS_SQL} = ${param(input.status)}`);
  if (input.role) {
    clauses.push(
      `exists (select 1 from user_roles ur join roles r on r.id = ur.role_id where ur.user_id = u.id and r.key = ${param(input.role)})`,
    );
  }
  return clauses.join(' and ');
}

/** A row of the list query: one page's people, each row also carrying the number of matches. */
interface UserRow {
  total: number;
  /** Null when the page is past the end: the row then carries only the total. */
  id: string | null;
  email: string;
  name: string;
  status: UserStatus;
  locked_at: Date | null;
  failed_login_count: number;
  last_login_at: Date | null;
  created_at: Date;
  roles: RoleKey[];
}

/**
 * One page of people and the number of matches, in one statement read as plain rows (nothing on a
 * page is changed, so no entities). Prepared unless searching: a search's best plan depends on
 * its term (trigram index or not), so PostgreSQL plans that each time.
 */
async function selectUsers(
  { em, services }: Ctx,
  input: z.infer<typeof schema.exportInput>,
  page: { limit: number; offset: number },
) {
  const values: unknown[] = [];
  const matches = `from users u where ${whereOf(services.orgId, input, values)}`;
  const order = ORDER_BY[input.sort](input.dir);
  const rows = await query<UserRow>(
    em,
    `select matched.total, page.*,
            array(select r.key from user_roles ur join roles r on r.id = ur.role_id
                  where ur.user_id = page.id order by r.key) as roles
     from (select count(*)::int as total ${matches}) matched
     left join lateral (
       select u.id, u.email, u.name, u.status, u.locked_at, u.failed_login_count, u.last_login_at, u.created_at
       ${matches} order by ${order} limit $${values.push(page.limit)} offset $${values.push(page.offset)}
     ) page on true
     order by ${order.replaceAll('u.', 'page.')}`,
    values,
    { prepare: !input.search },
  );
  const items = rows.flatMap((r) =>
    r.id === null
      ? []
      : [
          view(
            {
              id: r.id,
              email: r.email,
              name: r.name,
              status: r.status,
              lockedAt: r.locked_at,
              failedLoginCount: r.failed_login_count,
              lastLoginAt: r.last_login_at,
              createdAt: r.created_at,
            },
            r.roles,
          ),
        ],
  );
  return { items, total: rows[0]?.total ?? 0 };
}

export async function list(ctx: Ctx, input: z.infer<typeof schema.listInput>) {
  const { items, total } = await selectUsers(ctx, input, {
    limit: input.pageSize,
    offset: (input.page - 1) * input.pageSize,
  });
  return { items, total, page: input.page, pageSize: input.pageSize };
}

/** The most rows one export returns; the page says so when a filter matches more. */
export const EXPORT_CAP = 50_000;

/** Everyone the list's filter matches, in its order, for a CSV the browser builds (capped). */
export async function exportList(ctx: Ctx, input: z.infer<typeof schema.exportInput>) {
  const { items, total } = await selectUsers(ctx, input, { limit: EXPORT_CAP, offset: 0 });
  return { items, total, truncated: total > items.length, cap: EXPORT_CAP };
}

export async function get(ctx: Ctx, { userId }: { userId: string }) {
  const user = await loadUser(ctx, userId);
  const roles = await rolesOf(ctx.em, [user.id]);
  const audit = await ctx.em.find(
    AuditEvent,
    { subjectUser: user.id },
    { orderBy: { at: 'desc', id: 'desc' }, limit: 50, populate: ['actor'] },
  );
  // The newest working invite link: the panel says until when the person can still use it.
  const invite =
    user.status === 'invited'
      ? await ctx.em.findOne(
          PasswordResetToken,
          { user: user.id, purpose: 'invite', usedAt: null, expiresAt: { $gt: ctx.services.clock.now() } },
          { orderBy: { createdAt: 'desc' } },
        )
      : null;
  const supervisor = user.supervisor
    ? await ctx.em.findOne(User, { id: user.supervisor.id }, { fields: ['id', 'name', 'email'] })
    : null;
  const accountants = await ctx.em.find(
    UserAccountant,
    { user: user.id },
    { populate: ['accountant'], orderBy: { accountant: { name: 'asc' } } },
  );
  return {
    ...view(user, roles.get(user.id) ?? []),
    inviteExpiresAt: invite?.expiresAt ?? null,
    /** Gives this user's budgets their final approval. */
    supervisor: supervisor ? { id: supervisor.id, name: supervisor.name, email: supervisor.email } : null,
    /** Read, comment on and first-approve this user's budgets. */
    accountants: accountants.map((a) => ({ id: a.accountant.id, name: a.accountant.name, email: a.accountant.email })),
    audit: audit.map((a) => ({
      id: a.id,
      action: a.action as AuditAction,
      at: a.at,
      actorName: a.actor?.name ?? null,
      data: a.data,
    })),
  };
}

async function sendInvite(ctx: Ctx, user: User) {
  const link = await issueLink(ctx, user.id, 'invite');
  return sendMail(
    ctx,
    { address: user.email, userId: user.id },
    inviteMail({
      name: user.name,
      invitedBy: ctx.actor.name,
      url: link.url,
      days: ctx.services.settings.inviteTokenDays,
    }),
    { linkTokenId: link.tokenHash },
  );
}

/**
 * Registers one person and mails their invite, or captures it for the outbox when no mail server
 * is configured (`mail` says which, so the page can tell the admin to hand the link over).
 * A taken email is CONFLICT.
 */
export async function create(ctx: Ctx, input: z.infer<typeof schema.createInput>) {
  const { services } = ctx;
  if (await ctx.em.count(User, { org: services.orgId, email: input.email })) {
    throw new TRPCError({ code: 'CONFLICT', message: EMAIL_TAKEN });
  }
  const user = await ctx.em.transactional(async (em) => {
    const tx = { ...ctx, em };
    const user = em.create(User, { org: services.orgId, email: input.email, name: input.name, status: 'invited' });
    const roles = await em.find(Role, { org: services.orgId, key: { $in: input.roles } });
    for (const role of roles) {
      em.create(UserRole, {
        user,
        role,
        org: services.orgId,
        grantedBy: ctx.actor.id,
        grantedAt: services.clock.now(),
      });
    }
    // Another admin registering the same email meanwhile trips users_org_email_unique: CONFLICT.
    await em.flush();
    await sendInvite(tx, user);
    recordAudit(tx, 'user.invited', user.id, { roles: input.roles });
    return user;
  });
  return { ...view(user, input.roles), mail: newMailStatus(services) };
}

/**
 * Changes a person's name or email. A new email gets the mails from now on; links already mailed
 * to the old address stop working (it may have been a typo that reached someone else), and an
 * invited person gets a fresh invite at the new address.
 */
export async function update(ctx: Ctx, input: z.infer<typeof schema.updateInput>) {
  const reinvited = await ctx.em.transactional(async (em) => {
    const tx = { ...ctx, em };
    const user = await loadUser(tx, input.userId);
    const changes: Record<string, { from: string; to: string }> = {};
    if (user.name !== input.name) changes.name = { from: user.name, to: input.name };
    if (user.email !== input.email) changes.email = { from: user.email, to: input.email };
    if (!Object.keys(changes).length) return false;
    user.name = input.name;
    user.email = input.email;
    // A taken email trips users_org_email_unique here: CONFLICT, with the field named.
    await em.flush();
    await userChanged(tx, user.id);
    recordAudit(tx, 'user.updated', user.id, changes);
    if (!changes.email) return false;
    await retireLinks(tx, user.id);
    if (user.status !== 'invited') return false;
    await sendInvite(tx, user);
    return true;
  });
  return { ...(await get(ctx, { userId: input.userId })), reinvited: reinvited ? newMailStatus(ctx.services) : null };
}

export async function resendInvite(ctx: Ctx, { userId }: { userId: string }) {
  await ctx.em.transactional((em) => applyResendInvite({ ...ctx, em }, userId));
  return { ok: true as const, mail: newMailStatus(ctx.services) };
}

async function applyResendInvite(tx: Ctx, userId: string): Promise<boolean> {
  const user = await loadUser(tx, userId);
  assertInvited(user);
  await sendInvite(tx, user);
  recordAudit(tx, 'user.invite-resent', user.id, { mail: newMailStatus(tx.services) });
  return true;
}

function assertInvited(user: User): void {
  if (user.status === 'deactivated') {
    throw new TRPCError({ code: 'CONFLICT', message: 'This user is deactivated. Reactivate them first.' });
  }
  if (user.status !== 'invited') {
    throw new TRPCError({
      code: 'CONFLICT',
      message: 'This user has already accepted their invite; send them a password reset instead.',
    });
  }
}

/**
 * A fresh invite link for the admin to hand over (links are stored only as hashes, so an existing
 * one cannot be read back). The earlier links stop working. Audited: the admin now holds a way
 * into the person's account until they use it.
 */
export async function inviteLink(ctx: Ctx, { userId }: { userId: string }) {
  const user = await loadUser(ctx, userId);
  assertInvited(user);
  return ctx.em.transactional(async (em) => {
    const tx = { ...ctx, em };
    const link = await issueLink(tx, user.id, 'invite');
    recordAudit(tx, 'user.invite-link-copied', user.id);
    return { url: link.url, expiresAt: link.expiresAt };
  });
}

/** Mails (or captures) a reset link for an active person; a lock stays until an admin lifts it. */
export async function sendPasswordReset(ctx: Ctx, { userId }: { userId: string }) {
  const user = await loadUser(ctx, userId);
  if (user.status === 'invited') {
    throw new TRPCError({
      code: 'CONFLICT',
      message: 'This user has not accepted their invite yet; copy or resend the invite instead.',
    });
  }
  if (user.status === 'deactivated') {
    throw new TRPCError({ code: 'CONFLICT', message: 'This user is deactivated. Reactivate them first.' });
  }
  await ctx.em.transactional(async (em) => {
    const tx = { ...ctx, em };
    const link = await issueLink(tx, user.id, 'reset');
    await sendMail(
      tx,
      { address: user.email, userId: user.id },
      passwordResetMail({ name: user.name, url: link.url, minutes: ctx.services.settings.resetTokenMinutes }),
      { linkTokenId: link.tokenHash },
    );
    recordAudit(tx, 'password.reset-sent', user.id);
  });
  return { ok: true as const, mail: newMailStatus(ctx.services) };
}

/**
 * Runs a change that could remove an admin under the organisation's admin lock (see admins.ts).
 */
async function withAdminGuard<T>(ctx: Ctx, fn: (tx: Ctx) => Promise<T>): Promise<T> {
  return ctx.em.transactional(async (em) => {
    await lockAdmins(em, ctx.services.orgId);
    return fn({ ...ctx, em });
  });
}

/** Idempotent: assigning a role the person already has (a double click) changes nothing. */
async function applyAssignRole(ctx: Ctx, userId: string, roleKey: RoleKey): Promise<boolean> {
  const user = await loadUser(ctx, userId);
  const role = await ctx.em.findOneOrFail(Role, { org: ctx.services.orgId, key: roleKey });
  return ctx.em.transactional(async (em) => {
    const inserted = await em.execute<{ user_id: string }[]>(
      `insert into user_roles (user_id, role_id, org_id, granted_by_id, granted_at) values (?, ?, ?, ?, ?)
       on conflict do nothing returning user_id`,
      [user.id, role.id, ctx.services.orgId, ctx.actor.id, ctx.services.clock.now()],
    );
    if (inserted.length) recordAudit({ ...ctx, em }, 'user.role-assigned', user.id, { role: roleKey });
    if (inserted.length) await userChanged({ ...ctx, em }, user.id);
    return inserted.length > 0;
  });
}

async function applyRemoveRole(ctx: Ctx, userId: string, roleKey: RoleKey): Promise<boolean> {
  return withAdminGuard(ctx, async (tx) => {
    const user = await loadUser(tx, userId);
    if (roleKey === 'admin') await assertAnotherAdmin(tx.em, tx.services.orgId, user.id);
    const role = await tx.em.findOneOrFail(Role, { org: tx.services.orgId, key: roleKey });
    const removed = await tx.em.nativeDelete(UserRole, { user, role });
    if (removed) recordAudit(tx, 'user.role-removed', user.id, { role: roleKey });
    if (removed) await userChanged(tx, user.id);
    return removed > 0;
  });
}

async function applyDeactivate(ctx: Ctx, userId: string): Promise<boolean> {
  if (userId === ctx.actor.id) {
    throw new TRPCError({ code: 'CONFLICT', message: 'You cannot deactivate your own account.' });
  }
  return withAdminGuard(ctx, async (tx) => {
    const user = await loadUser(tx, userId);
    if (user.status === 'deactivated') return false;
    await assertAnotherAdmin(tx.em, tx.services.orgId, user.id);
    user.status = 'deactivated';
    recordAudit(tx, 'user.deactivated', user.id);
    await tx.em.flush();
    await invalidateUserSessions(tx, user.id);
    return true;
  });
}

export async function assignRole(ctx: Ctx, input: z.infer<typeof schema.roleChangeInput>) {
  await applyAssignRole(ctx, input.userId, input.role);
  return get(ctx, { userId: input.userId });
}

export async function removeRole(ctx: Ctx, input: z.infer<typeof schema.roleChangeInput>) {
  await applyRemoveRole(ctx, input.userId, input.role);
  return get(ctx, { userId: input.userId });
}

export async function deactivate(ctx: Ctx, { userId }: { userId: string }) {
  await applyDeactivate(ctx, userId);
  return get(ctx, { userId });
}

export async function reactivate(ctx: Ctx, { userId }: { userId: string }) {
  const user = await loadUser(ctx, userId);
  if (user.status !== 'deactivated') return get(ctx, { userId: user.id });
  user.status = user.passwordHash ? 'active' : 'invited';
  recordAudit(ctx, 'user.reactivated', user.id);
  await ctx.em.flush();
  await userChanged(ctx, user.id);
  return get(ctx, { userId: user.id });
}

export async function unlock(ctx: Ctx, { userId }: { userId: string }) {
  const user = await loadUser(ctx, userId);
  if (user.lockedAt || user.failedLoginCount) {
    const wasLocked = Boolean(user.lockedAt);
    user.lockedAt = null;
    user.failedLoginCount = 0;
    recordAudit(ctx, 'user.unlocked', user.id, { wasLocked });
    await ctx.em.flush();
  }
  return get(ctx, { userId: user.id });
}

/**
 * One action over many selected people, in one request. Each person is changed in their own
 * transaction by the same code as the one-person action, so each gets the same checks (the last
 * admin, your own account) and one refusal does not undo the others. The answer says, per person,
 * what happened.
 */
async function forEachUser(ctx: Ctx, userIds: string[], apply: (tx: Ctx, userId: string) => Promise<boolean>) {
  const ids = [...new Set(userIds)];
  const people = new Map(
    (await ctx.em.find(User, { id: { $in: ids }, org: ctx.services.orgId }, { fields: ['id', 'name', 'email'] })).map(
      (u) => [u.id, u],
    ),
  );
  const results: {
    userId: string;
    name: string | null;
    email: string | null;
    outcome: 'changed' | 'unchanged' | 'refused';
    message: string | null;
  }[] = [];
  for (const userId of ids) {
    const person = people.get(userId);
    const who = { userId, name: person?.name ?? null, email: person?.email ?? null };
    try {
      // A fresh unit of work per person: a refusal leaves nothing behind for the next one.
      const changed = await apply({ ...ctx, em: ctx.em.fork() }, userId);
      results.push({ ...who, outcome: changed ? 'changed' : 'unchanged', message: null });
    } catch (error) {
      const refusal = toApiError(error);
      if (!refusal || refusal.code === 'INTERNAL_SERVER_ERROR') throw error;
      results.push({ ...who, outcome: 'refused', message: refusal.message });
    }
  }
  const count = (o: string) => results.filter((r) => r.outcome === o).length;
  return { results, changed: count('changed'), unchanged: count('unchanged'), refused: count('refused') };
}

export function bulkAssignRole(ctx: Ctx, input: z.infer<typeof schema.manyRoleChangeInput>) {
  return forEachUser(ctx, input.userIds, (tx, id) => applyAssignRole(tx, id, input.role));
}

export function bulkRemoveRole(ctx: Ctx, input: z.infer<typeof schema.manyRoleChangeInput>) {
  return forEachUser(ctx, input.userIds, (tx, id) => applyRemoveRole(tx, id, input.role));
}

export function bulkDeactivate(ctx: Ctx, input: z.infer<typeof schema.manyUsersInput>) {
  return forEachUser(ctx, input.userIds, applyDeactivate);
}

export async function bulkResendInvite(ctx: Ctx, input: z.infer<typeof schema.manyUsersInput>) {
  const outcome = await forEachUser(ctx, input.userIds, (tx, id) =>
    tx.em.transactional((em) => applyResendInvite({ ...tx, em }, id)),
  );
  return { ...outcome, mail: newMailStatus(ctx.services) };
}

/** The person must exist here, not be deactivated, and hold `role` (the policy only counts it then). */
async function loadHolderOf(ctx: Ctx, field: string, userId: string, role: RoleKey): Promise<User> {
  const user = await ctx.em.findOne(User, { id: userId, org: ctx.services.orgId });
  if (!user || user.status === 'deactivated') {
    throw new TRPCError({ code: 'BAD_REQUEST', message: `${field}: No such person, or their account is deactivated.` });
  }
  const roles = (await rolesOf(ctx.em, [user.id])).get(user.id) ?? [];
  if (!roles.includes(role)) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `${field}: ${user.name} does not have the ${role} role. Give them the role first.`,
    });
  }
  return user;
}

/** Sets (or clears) whose supervisor gives this user's budgets their final approval. */
export async function setSupervisor(ctx: Ctx, input: z.infer<typeof schema.setSupervisorInput>) {
  const user = await loadUser(ctx, input.userId);
  if (input.supervisorId === user.id) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'supervisorId: Nobody supervises themselves.' });
  }
  const supervisor = input.supervisorId
    ? await loadHolderOf(ctx, 'supervisorId', input.supervisorId, 'supervisor')
    : null;
  const before = user.supervisor?.id ?? null;
  if (before !== (supervisor?.id ?? null)) {
    await ctx.em.transactional(async (em) => {
      await em.nativeUpdate(User, { id: user.id }, { supervisor: supervisor?.id ?? null });
      recordAudit({ ...ctx, em }, 'user.supervisor-set', user.id, {
        from: before,
        to: supervisor?.id ?? null,
        toName: supervisor?.name ?? null,
      });
    });
    ctx.em.clear();
  }
  return get(ctx, { userId: user.id });
}

/** Assigns an accountant to a user. Assigning one already assigned changes nothing. */
export async function assignAccountant(ctx: Ctx, input: z.infer<typeof schema.accountantInput>) {
  const user = await loadUser(ctx, input.userId);
  if (input.accountantId === user.id) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'accountantId: Nobody is their own accountant.' });
  }
  const accountant = await loadHolderOf(ctx, 'accountantId', input.accountantId, 'accountant');
  await ctx.em.transactional(async (em) => {
    const inserted = await query<{ user_id: string }>(
      em,
      `insert into user_accountants (user_id, accountant_id, org_id, assigned_by_id, assigned_at) values ($1, $2, $3, $4, $5)
       on conflict do nothing returning user_id`,
      [user.id, accountant.id, ctx.services.orgId, ctx.actor.id, ctx.services.clock.now()],
    );
    if (inserted.length)
      recordAudit({ ...ctx, em }, 'user.accountant-assigned', user.id, {
        accountantId: accountant.id,
        accountantName: accountant.name,
      });
  });
  return get(ctx, { userId: user.id });
}

export async function unassignAccountant(ctx: Ctx, input: z.infer<typeof schema.accountantInput>) {
  const user = await loadUser(ctx, input.userId);
  const accountant = await ctx.em.findOne(
    User,
    { id: input.accountantId, org: ctx.services.orgId },
    { fields: ['name'] },
  );
  await ctx.em.transactional(async (em) => {
    const removed = await em.nativeDelete(UserAccountant, { user: user.id, accountant: input.accountantId });
    if (removed)
      recordAudit({ ...ctx, em }, 'user.accountant-unassigned', user.id, {
        accountantId: input.accountantId,
        accountantName: accountant?.name ?? null,
      });
  });
  return get(ctx, { userId: user.id });
}
