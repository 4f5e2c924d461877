import { AuditEvent, Import, query, Role, type RoleKey, User, UserAccountant, UserRole } from '@goalpost/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import { recordAudit } from '../audit/service.ts';
import { issueLink } from '../auth/links.ts';
import { invalidateUserSessions } from '../auth/session.ts';
import type { ActorContext } from '../context.ts';
import { sendMail } from '../mail/service.ts';
import { inviteMail } from '../mail/templates.ts';
import { containing } from '../platform/search.ts';
import { queues } from '../queues.ts';
import { type BulkRowError, summarise } from './bulk.ts';
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

function view(user: User, roles: RoleKey[]) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    status: user.status,
    locked: user.lockedAt !== null && user.lockedAt !== undefined,
    lockedAt: user.lockedAt ?? null,
    failedLoginCount: user.failedLoginCount,
    roles: [...roles].sort(),
    lastLoginAt: user.lastLoginAt ?? null,
    createdAt: user.createdAt,
  };
}
export type UserView = ReturnType<typeof view>;

export async function list({ em, services }: Ctx, input: z.infer<typeof schema.listInput>) {
  const qb = em.createQueryBuilder(User, 'u').where({ org: services.orgId });
  if (input.search) {
    // Same expression as users_search_trgm_idx, so the trigram index serves it.
    qb.andWhere(`(u.email || ' ' || lower(u.name)) like ?`, [containing(input.search.toLowerCase())]);
  }
  if (input.status === 'locked') qb.andWhere({ lockedAt: { $ne: null } });
  else if (input.status) qb.andWhere({ status: input.status });
  if (input.role) {
    qb.andWhere(
      'exists (select 1 from user_roles ur join roles r on r.id = ur.role_id where ur.user_id = u.id and r.key = ?)',
      [input.role],
    );
  }
  const total = await qb.clone().getCount();
  const users = await qb
    .orderBy({ name: 'asc', email: 'asc' })
    .limit(input.pageSize)
    .offset((input.page - 1) * input.pageSize)
    .getResultList();
  const roles = await rolesOf(
    em,
    users.map((u) => u.id),
  );
  return { items: users.map((u) => view(u, roles.get(u.id) ?? [])), total, page: input.page, pageSize: input.pageSize };
}

export async function get(deps: Ctx, { userId }: { userId: string }) {
  const user = await loadUser(deps, userId);
  const roles = await rolesOf(deps.em, [user.id]);
  const audit = await deps.em.find(
    AuditEvent,
    { subjectUser: user.id },
    { orderBy: { at: 'desc' }, limit: 50, populate: ['actor'] },
  );
  const supervisor = user.supervisor
    ? await deps.em.findOne(User, { id: user.supervisor.id }, { fields: ['id', 'name', 'email'] })
    : null;
  const accountants = await deps.em.find(
    UserAccountant,
    { user: user.id },
    { populate: ['accountant'], orderBy: { accountant: { name: 'asc' } } },
  );
  return {
    ...view(user, roles.get(user.id) ?? []),
    /** Gives this user's budgets their final approval. */
    supervisor: supervisor ? { id: supervisor.id, name: supervisor.name, email: supervisor.email } : null,
    /** Read, comment on and first-approve this user's budgets. */
    accountants: accountants.map((a) => ({ id: a.accountant.id, name: a.accountant.name, email: a.accountant.email })),
    audit: audit.map((a) => ({ id: a.id, action: a.action, at: a.at, actorName: a.actor?.name ?? null, data: a.data })),
  };
}

async function sendInvite(ctx: Ctx, user: User): Promise<void> {
  const link = await issueLink(ctx, user.id, 'invite');
  await sendMail(
    ctx,
    { address: user.email, userId: user.id },
    inviteMail({
      name: user.name,
      invitedBy: ctx.actor.name,
      url: link.url,
      days: ctx.services.settings.inviteTokenDays,
    }),
  );
}

/** Registers one person and mails (or captures) their invite; a taken email is CONFLICT. */
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
  return view(user, input.roles);
}

export async function resendInvite(ctx: Ctx, { userId }: { userId: string }) {
  const user = await loadUser(ctx, userId);
  if (user.status !== 'invited') {
    throw new TRPCError({
      code: 'CONFLICT',
      message: 'This user has already accepted their invite; they can reset their password instead.',
    });
  }
  await ctx.em.transactional((em) => sendInvite({ ...ctx, em }, user));
  return { ok: true as const };
}

/**
 * Runs a change that could remove an admin under a per-organisation lock, so two admins demoting
 * each other at the same moment cannot leave nobody in charge.
 */
async function withAdminGuard<T>(ctx: Ctx, fn: (tx: Ctx) => Promise<T>): Promise<T> {
  return ctx.em.transactional(async (em) => {
    await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 1))', [`admins:${ctx.services.orgId}`]);
    return fn({ ...ctx, em });
  });
}

/** Refuses changes that would leave the organisation without an active admin. */
async function assertAnotherAdmin(ctx: Ctx, userId: string): Promise<void> {
  const [row] = await ctx.em.execute<{ n: string }[]>(
    `select count(*) as n from users u join user_roles ur on ur.user_id = u.id join roles r on r.id = ur.role_id
     where u.org_id = ? and r.key = 'admin' and u.status = 'active' and u.id <> ?`,
    [ctx.services.orgId, userId],
  );
  if (Number(row?.n ?? 0) === 0) {
    throw new TRPCError({
      code: 'CONFLICT',
      message: 'At least one active admin must remain. Make someone else an admin first.',
    });
  }
}

/** Idempotent: assigning a role the person already has (a double click) changes nothing. */
export async function assignRole(ctx: Ctx, input: z.infer<typeof schema.roleChangeInput>) {
  const user = await loadUser(ctx, input.userId);
  const role = await ctx.em.findOneOrFail(Role, { org: ctx.services.orgId, key: input.role });
  await ctx.em.transactional(async (em) => {
    const inserted = await em.execute<{ user_id: string }[]>(
      `insert into user_roles (user_id, role_id, org_id, granted_by_id, granted_at) values (?, ?, ?, ?, ?)
       on conflict do nothing returning user_id`,
      [user.id, role.id, ctx.services.orgId, ctx.actor.id, ctx.services.clock.now()],
    );
    if (inserted.length) recordAudit({ ...ctx, em }, 'user.role-assigned', user.id, { role: input.role });
  });
  return get(ctx, { userId: user.id });
}

export async function removeRole(ctx: Ctx, input: z.infer<typeof schema.roleChangeInput>) {
  await withAdminGuard(ctx, async (tx) => {
    const user = await loadUser(tx, input.userId);
    if (input.role === 'admin') await assertAnotherAdmin(tx, user.id);
    const role = await tx.em.findOneOrFail(Role, { org: tx.services.orgId, key: input.role });
    const removed = await tx.em.nativeDelete(UserRole, { user, role });
    if (removed) recordAudit(tx, 'user.role-removed', user.id, { role: input.role });
  });
  return get(ctx, { userId: input.userId });
}

export async function deactivate(ctx: Ctx, { userId }: { userId: string }) {
  if (userId === ctx.actor.id) {
    throw new TRPCError({ code: 'CONFLICT', message: 'You cannot deactivate your own account.' });
  }
  await withAdminGuard(ctx, async (tx) => {
    const user = await loadUser(tx, userId);
    await assertAnotherAdmin(tx, user.id);
    user.status = 'deactivated';
    recordAudit(tx, 'user.deactivated', user.id);
    await tx.em.flush();
    await invalidateUserSessions(tx.em, user.id);
  });
  return get(ctx, { userId });
}

export async function reactivate(ctx: Ctx, { userId }: { userId: string }) {
  const user = await loadUser(ctx, userId);
  if (user.status !== 'deactivated') return get(ctx, { userId: user.id });
  user.status = user.passwordHash ? 'active' : 'invited';
  recordAudit(ctx, 'user.reactivated', user.id);
  await ctx.em.flush();
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

async function loadImport({ em, services }: Ctx, importId: string): Promise<Import> {
  const imp = await em.findOne(Import, { id: importId, org: services.orgId, kind: 'users' });
  if (!imp) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such import. Upload the file again.' });
  return imp;
}

/**
 * Queues a checked file for the commit job. Only a clean dry run can be committed. The state
 * change and the job commit together: two clicks queue one job, and a job is never lost.
 */
export async function commitImport(ctx: Ctx, { importId }: { importId: string }) {
  const imp = await loadImport(ctx, importId);
  if (imp.status !== 'validated') {
    const why =
      imp.status === 'failed'
        ? 'This file has problems; fix them and check the file again.'
        : 'This import has already been started.';
    throw new TRPCError({ code: 'CONFLICT', message: why });
  }
  await ctx.em.transactional(async (em) => {
    const claimed = await em.nativeUpdate(
      Import,
      { id: imp.id, status: 'validated' },
      { status: 'queued', updatedAt: ctx.services.clock.now() },
    );
    if (!claimed) throw new TRPCError({ code: 'CONFLICT', message: 'This import has already been started.' });
    await ctx.services.jobs.send(queues.usersBulkRegister, { importId: imp.id }, { em, traceId: ctx.traceId });
  });
  return { ...summarise(imp), status: 'queued' as const };
}

export async function importStatus(ctx: Ctx, { importId }: { importId: string }) {
  return summarise(await loadImport(ctx, importId));
}

export async function importErrors(ctx: Ctx, input: z.infer<typeof schema.bulkErrorsInput>) {
  const imp = await ctx.em.findOne(
    Import,
    { id: input.importId, org: ctx.services.orgId, kind: 'users' },
    { populate: ['report'] },
  );
  if (!imp) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such import. Upload the file again.' });
  const errors = ((imp.report as { errors?: unknown[] } | null)?.errors ?? []) as BulkRowError[];
  const start = (input.page - 1) * input.pageSize;
  return {
    items: errors.slice(start, start + input.pageSize),
    total: errors.length,
    page: input.page,
    pageSize: input.pageSize,
  };
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
      recordAudit({ ...ctx, em }, 'user.supervisor-set', user.id, { from: before, to: supervisor?.id ?? null });
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
      recordAudit({ ...ctx, em }, 'user.accountant-assigned', user.id, { accountantId: accountant.id });
  });
  return get(ctx, { userId: user.id });
}

export async function unassignAccountant(ctx: Ctx, input: z.infer<typeof schema.accountantInput>) {
  const user = await loadUser(ctx, input.userId);
  await ctx.em.transactional(async (em) => {
    const removed = await em.nativeDelete(UserAccountant, { user: user.id, accountant: input.accountantId });
    if (removed)
      recordAudit({ ...ctx, em }, 'user.accountant-unassigned', user.id, { accountantId: input.accountantId });
  });
  return get(ctx, { userId: user.id });
}
