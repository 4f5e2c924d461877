import { AuditEvent, Import, Role, type RoleKey, User, UserRole } from '@goalpost/db';
import { type EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import { type AuditAction, recordAudit } from '../audit/service.ts';
import { issueLink } from '../auth/links.ts';
import { invalidateUserSessions } from '../auth/session.ts';
import type { Actor, Services } from '../context.ts';
import { dispatchMail, recordMail } from '../mail/service.ts';
import { inviteMail } from '../mail/templates.ts';
import { queues } from '../platform/jobs.ts';
import { summarise } from './bulk.ts';
import type * as schema from './schema.ts';

type Deps = { em: EntityManager; services: Services; actor: Actor };

const emailTaken = () =>
  new TRPCError({
    code: 'CONFLICT',
    message: 'email: A user with this email already exists. Search for them in the list.',
  });

const notFound = () =>
  new TRPCError({ code: 'NOT_FOUND', message: 'No such user. It may have been removed; reload the list.' });

async function loadUser({ em, services }: Deps, userId: string): Promise<User> {
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

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function list({ em, services }: Deps, input: z.infer<typeof schema.listInput>) {
  const qb = em.createQueryBuilder(User, 'u').where({ org: services.orgId });
  if (input.search) {
    // Same expression as users_search_trgm_idx, so the trigram index serves it.
    qb.andWhere(`(u.email || ' ' || lower(u.name)) like ?`, [`%${escapeLike(input.search.toLowerCase())}%`]);
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

export async function get(deps: Deps, userId: string) {
  const user = await loadUser(deps, userId);
  const roles = await rolesOf(deps.em, [user.id]);
  const audit = await deps.em.find(
    AuditEvent,
    { subjectUser: user.id },
    { orderBy: { at: 'desc' }, limit: 50, populate: ['actor'] },
  );
  return {
    ...view(user, roles.get(user.id) ?? []),
    audit: audit.map((a) => ({ id: a.id, action: a.action, at: a.at, actorName: a.actor?.name ?? null, data: a.data })),
  };
}

function audit(deps: Deps, action: AuditAction, subjectUserId: string | null, data?: Record<string, unknown>) {
  recordAudit(deps.em, {
    orgId: deps.services.orgId,
    at: deps.services.clock.now(),
    actorId: deps.actor.id,
    action,
    subjectUserId,
    data,
  });
}

async function sendInvite(deps: Deps, user: User): Promise<string> {
  const link = await issueLink(deps.em, deps.services, user.id, 'invite');
  const mail = recordMail(
    deps.em,
    deps.services,
    { address: user.email, userId: user.id },
    inviteMail({
      name: user.name,
      invitedBy: deps.actor.name,
      url: link.url,
      days: deps.services.settings.inviteTokenDays,
    }),
  );
  return mail.id;
}

export async function create(deps: Deps, input: z.infer<typeof schema.createInput>) {
  const { em, services } = deps;
  if (await em.count(User, { org: services.orgId, email: input.email })) throw emailTaken();
  const now = services.clock.now();
  const user = em.create(User, {
    org: services.orgId,
    email: input.email,
    name: input.name,
    status: 'invited',
    createdAt: now,
    updatedAt: now,
  });
  const roles = await em.find(Role, { org: services.orgId, key: { $in: input.roles } });
  for (const role of roles)
    em.create(UserRole, { user, role, org: services.orgId, grantedBy: deps.actor.id, grantedAt: now });
  const mailId = await sendInvite(deps, user);
  audit(deps, 'user.invited', user.id, { roles: input.roles });
  await em.flush().catch((error) => {
    // Another admin registered the same email between the check above and this insert.
    if (error instanceof UniqueConstraintViolationException) throw emailTaken();
    throw error;
  });
  await dispatchMail(services, [mailId]);
  return view(user, input.roles);
}

export async function resendInvite(deps: Deps, userId: string) {
  const user = await loadUser(deps, userId);
  if (user.status !== 'invited') {
    throw new TRPCError({
      code: 'CONFLICT',
      message: 'This user has already accepted their invite; they can reset their password instead.',
    });
  }
  const mailId = await sendInvite(deps, user);
  await deps.em.flush();
  await dispatchMail(deps.services, [mailId]);
  return { ok: true as const };
}

/**
 * Runs a change that could remove an admin under a per-organisation lock, so two admins demoting
 * each other at the same moment cannot leave nobody in charge.
 */
async function withAdminGuard<T>(deps: Deps, fn: (deps: Deps) => Promise<T>): Promise<T> {
  return deps.em.transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 1))', [`admins:${deps.services.orgId}`]);
    return fn({ ...deps, em: tx });
  });
}

/** Refuses changes that would leave the organisation without an active admin. */
async function assertAnotherAdmin(deps: Deps, userId: string): Promise<void> {
  const [row] = await deps.em.execute<{ n: string }[]>(
    `select count(*) as n from users u join user_roles ur on ur.user_id = u.id join roles r on r.id = ur.role_id
     where u.org_id = ? and r.key = 'admin' and u.status = 'active' and u.id <> ?`,
    [deps.services.orgId, userId],
  );
  if (Number(row?.n ?? 0) === 0) {
    throw new TRPCError({
      code: 'CONFLICT',
      message: 'At least one active admin must remain. Make someone else an admin first.',
    });
  }
}

export async function assignRole(deps: Deps, input: z.infer<typeof schema.roleChangeInput>) {
  const user = await loadUser(deps, input.userId);
  const role = await deps.em.findOneOrFail(Role, { org: deps.services.orgId, key: input.role });
  if (!(await deps.em.count(UserRole, { user, role }))) {
    deps.em.create(UserRole, {
      user,
      role,
      org: deps.services.orgId,
      grantedBy: deps.actor.id,
      grantedAt: deps.services.clock.now(),
    });
    audit(deps, 'user.role-assigned', user.id, { role: input.role });
    await deps.em.flush();
  }
  return get(deps, user.id);
}

export async function removeRole(deps: Deps, input: z.infer<typeof schema.roleChangeInput>) {
  await withAdminGuard(deps, async (tx) => {
    const user = await loadUser(tx, input.userId);
    if (input.role === 'admin') await assertAnotherAdmin(tx, user.id);
    const role = await tx.em.findOneOrFail(Role, { org: tx.services.orgId, key: input.role });
    const removed = await tx.em.nativeDelete(UserRole, { user, role });
    if (removed) audit(tx, 'user.role-removed', user.id, { role: input.role });
  });
  return get(deps, input.userId);
}

export async function deactivate(deps: Deps, userId: string) {
  if (userId === deps.actor.id)
    throw new TRPCError({ code: 'CONFLICT', message: 'You cannot deactivate your own account.' });
  await withAdminGuard(deps, async (tx) => {
    const user = await loadUser(tx, userId);
    await assertAnotherAdmin(tx, user.id);
    user.status = 'deactivated';
    audit(tx, 'user.deactivated', user.id);
    await tx.em.flush();
    await invalidateUserSessions(tx.em, user.id);
  });
  return get(deps, userId);
}

export async function reactivate(deps: Deps, userId: string) {
  const user = await loadUser(deps, userId);
  if (user.status !== 'deactivated') return get(deps, user.id);
  user.status = user.passwordHash ? 'active' : 'invited';
  audit(deps, 'user.reactivated', user.id);
  await deps.em.flush();
  return get(deps, user.id);
}

export async function unlock(deps: Deps, userId: string) {
  const user = await loadUser(deps, userId);
  if (user.lockedAt || user.failedLoginCount) {
    const wasLocked = Boolean(user.lockedAt);
    user.lockedAt = null;
    user.failedLoginCount = 0;
    audit(deps, 'user.unlocked', user.id, { wasLocked });
    await deps.em.flush();
  }
  return get(deps, user.id);
}

async function loadImport({ em, services }: Deps, importId: string): Promise<Import> {
  const imp = await em.findOne(Import, { id: importId, org: services.orgId, kind: 'users' });
  if (!imp) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such import. Upload the file again.' });
  return imp;
}

/** Queues a checked file for the commit job. Only a clean dry run can be committed. */
export async function commitImport(deps: Deps, importId: string) {
  const imp = await loadImport(deps, importId);
  if (imp.status !== 'validated') {
    const why =
      imp.status === 'failed'
        ? 'This file has problems; fix them and check the file again.'
        : 'This import has already been started.';
    throw new TRPCError({ code: 'CONFLICT', message: why });
  }
  // Conditional, so two clicks queue one job; reverted if the queue refuses, so it never hangs.
  const claimed = await deps.em.nativeUpdate(
    Import,
    { id: imp.id, status: 'validated' },
    { status: 'queued', updatedAt: deps.services.clock.now() },
  );
  if (!claimed) throw new TRPCError({ code: 'CONFLICT', message: 'This import has already been started.' });
  try {
    await deps.services.jobs.send(queues.usersBulkRegister.name, { importId: imp.id });
  } catch (error) {
    await deps.em.nativeUpdate(Import, { id: imp.id, status: 'queued' }, { status: 'validated' });
    throw error;
  }
  return { ...summarise(imp), status: 'queued' as const };
}

export async function importStatus(deps: Deps, importId: string) {
  return summarise(await loadImport(deps, importId));
}

export async function importErrors(deps: Deps, input: z.infer<typeof schema.bulkErrorsInput>) {
  const imp = await deps.em.findOne(
    Import,
    { id: input.importId, org: deps.services.orgId, kind: 'users' },
    { populate: ['report'] },
  );
  if (!imp) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such import. Upload the file again.' });
  const errors = ((imp.report as { errors?: unknown[] } | null)?.errors ?? []) as import('./bulk.ts').BulkRowError[];
  const start = (input.page - 1) * input.pageSize;
  return {
    items: errors.slice(start, start + input.pageSize),
    total: errors.length,
    page: input.page,
    pageSize: input.pageSize,
  };
}
