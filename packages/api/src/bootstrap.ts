import { Organisation, PasswordResetToken, ROLE_KEYS, ROLE_LABELS, Role, User, UserRole } from '@goalpost/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { issueLink } from './auth/links.ts';
import { hashPassword } from './auth/password.ts';
import { generateToken } from './auth/token.ts';
import type { ServiceContext } from './context.ts';
import type { Clock } from './platform/clock.ts';

/**
 * First start: the organisation, its roles and the first admin. Later starts find them and change
 * nothing. Returns the admin's generated password only when it was just created.
 */
export async function bootstrap(
  em: EntityManager,
  options: { organisationName: string; adminEmail: string; adminPassword?: string; clock: Clock },
): Promise<{ orgId: string; createdAdmin: { email: string; password: string } | null }> {
  return em.transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(7110001)');
    const now = options.clock.now();
    const org =
      (await findOrganisation(tx)) ?? tx.create(Organisation, { name: options.organisationName, createdAt: now });
    const existing = new Set((await tx.find(Role, { org })).map((r) => r.key));
    for (const key of ROLE_KEYS) if (!existing.has(key)) tx.create(Role, { org, key, name: ROLE_LABELS[key] });
    await tx.flush();
    if (await tx.count(User, { org })) return { orgId: org.id, createdAdmin: null };
    const password = options.adminPassword ?? generateToken().slice(0, 20);
    const admin = tx.create(User, {
      org,
      email: options.adminEmail.trim().toLowerCase(),
      name: 'Administrator',
      passwordHash: await hashPassword(password),
      status: 'active',
      passwordChangedAt: now,
      createdAt: now,
      updatedAt: now,
    });
    for (const role of await tx.find(Role, { org, key: { $in: ['admin', 'user'] } })) {
      tx.create(UserRole, { user: admin, role, org, grantedAt: now });
    }
    await tx.flush();
    return { orgId: org.id, createdAdmin: { email: admin.email, password } };
  });
}

/** The organisation this installation serves (the first one created), or null before the first start. */
export async function findOrganisation(em: EntityManager): Promise<Organisation | null> {
  const [org] = await em.find(Organisation, {}, { orderBy: { createdAt: 'asc' }, limit: 1 });
  return org ?? null;
}

/**
 * A restart before the first admin ever signed in would otherwise strand them: their generated
 * password was printed once. Give them a single-use link to set one instead, but only when no link
 * of theirs is live: every instance starts this way (a rollout starts several), and a new link
 * retires the last, so issuing one per start would leave only the newest pod's link working. Under
 * an advisory lock, instances starting together issue one link between them; the others report
 * when it was issued (`url: null`). Null when the admin has signed in or does not exist.
 */
export async function firstAdminSetupLink(
  ctx: ServiceContext,
  { email }: { email: string },
): Promise<{ url: string | null; issuedAt: Date; expiresAt: Date } | null> {
  return ctx.em.transactional(async (em) => {
    await em.execute('select pg_advisory_xact_lock(7110003)');
    const admin = await em.findOne(User, {
      org: ctx.services.orgId,
      email: email.trim().toLowerCase(),
      status: 'active',
    });
    if (!admin || admin.lastLoginAt) return null;
    const [live] = await em.find(
      PasswordResetToken,
      { user: admin, purpose: 'reset', usedAt: null, expiresAt: { $gt: ctx.services.clock.now() } },
      { orderBy: { createdAt: 'desc' }, limit: 1 },
    );
    if (live) return { url: null, issuedAt: live.createdAt, expiresAt: live.expiresAt };
    const link = await issueLink({ ...ctx, em }, admin.id, 'reset');
    return { url: link.url, issuedAt: ctx.services.clock.now(), expiresAt: link.expiresAt };
  });
}
