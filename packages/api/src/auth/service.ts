import { LoginAttempt, PasswordResetToken, Role, User, UserRole } from '@goalpost/db';
import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import { type AuditAction, recordAudit } from '../audit/service.ts';
import type { Actor, Context, ServiceContext } from '../context.ts';
import { sendMail } from '../mail/service.ts';
import { accountUnlockedByResetMail, passwordResetMail } from '../mail/templates.ts';
import { queues } from '../queues.ts';
import { findLiveToken, issueLink } from './links.ts';
import { hashPassword, passwordProblem, verifyAgainstNothing, verifyPassword } from './password.ts';
import type * as schema from './schema.ts';
import { blankSessionCookie, createSession, invalidateSession, invalidateUserSessions } from './session.ts';

const WRONG_CREDENTIALS = 'That email and password do not match. Check both, or reset your password.';
const LOCKED =
  'This account is locked after too many failed sign-in attempts. Reset your password to unlock it, or ask an administrator.';
const DEACTIVATED = 'This account has been deactivated. Ask an administrator to reactivate it.';
const ACCOUNT_EXISTS = 'email: An account with this email already exists. Sign in or reset your password.';
const accountExists = () => new TRPCError({ code: 'CONFLICT', message: ACCOUNT_EXISTS });
const BAD_LINK = 'This link is invalid, already used or expired. Ask for a new one.';
const SAME_PASSWORD = 'This is your current password. Choose a new one.';
const ADDRESS_UNKNOWN =
  'This request could not be traced to your network address, so it was refused. Try again; if it keeps happening, tell your administrator.';

async function enforceLimit(ctx: Context, key: string, limit: number): Promise<void> {
  const { allowed, retryAfterSeconds } = await ctx.services.rateLimiter.hit(
    key,
    limit,
    ctx.services.settings.rateLimitWindowSeconds,
  );
  if (!allowed) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    throw new TRPCError({
      code: 'TOO_MANY_REQUESTS',
      message: `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    });
  }
}

/**
 * Per-address limits need the client's address. Without one (the request did not come through the
 * proxies TRUST_PROXY names, see clientIp) the request is refused rather than counted under a key
 * such as `unknown`, which every such request would share: one client could then lock everyone
 * else out of signing in, and the limit would hold nobody back.
 */
async function enforceAddressLimit(ctx: Context, action: string, limit: number): Promise<void> {
  if (!ctx.req.ip) {
    ctx.services.log.warn(
      { traceId: ctx.traceId, action },
      'refused: the client address is unknown (check TRUST_PROXY)',
    );
    throw new TRPCError({ code: 'BAD_REQUEST', message: ADDRESS_UNKNOWN });
  }
  await enforceLimit(ctx, `${action}:ip:${ctx.req.ip}`, limit);
}

/**
 * Reserves one sign-in attempt before the password is checked, in a single statement: parallel
 * requests each take their own number, and once LOCKOUT_THRESHOLD consecutive attempts are
 * reserved no further password is checked, however the requests interleave. Null: refuse as locked.
 */
async function reserveAttempt(ctx: Context, userId: string): Promise<number | null> {
  const [row] = await ctx.em.execute<{ failed_login_count: number }[]>(
    `update users set failed_login_count = failed_login_count + 1
     where id = ? and locked_at is null and failed_login_count < ? returning failed_login_count`,
    [userId, ctx.services.settings.lockoutThreshold],
  );
  return row ? Number(row.failed_login_count) : null;
}

/**
 * Locks the account once every reserved attempt is spent, whichever request sees it first (a wrong
 * password, or one more attempt arriving). Only the request that set the lock audits it, so a
 * burst audits one lock.
 */
async function lockIfSpent(ctx: Context, user: User, now: Date): Promise<void> {
  const { settings } = ctx.services;
  const locked = await ctx.em.execute(
    `update users set locked_at = ? where id = ? and locked_at is null and failed_login_count >= ? returning id`,
    [now, user.id, settings.lockoutThreshold],
  );
  if (locked.length === 0) return;
  recordAudit(ctx, 'user.locked', user.id, { failures: settings.lockoutThreshold, ip: ctx.req.ip }, { actorId: null });
}

/**
 * The right password ends the run of failures, unless the account was locked while it was being
 * checked: then a burst of guesses that locked it must not also let one of them in.
 */
async function claimSuccess(ctx: Context, user: User, now: Date): Promise<boolean> {
  const claimed = await ctx.em.execute(
    'update users set failed_login_count = 0, last_login_at = ? where id = ? and locked_at is null returning id',
    [now, user.id],
  );
  return claimed.length === 1;
}

/**
 * Signs in. Five consecutive failures (configurable) lock an account until a password reset
 * through the mailed link, an admin or the operator's `npm run admin -- unlock` ends the lock.
 * Answers never tell whether an email has an account: unknown addresses take as long, get the same
 * wording, and "lock" after the same number of failures (counted from login_attempts, one request
 * at a time). A deactivated account answers like any other, except to its right password.
 */
export async function login(ctx: Context, input: z.infer<typeof schema.loginInput>): Promise<{ ok: true }> {
  const { em, services, req } = ctx;
  const { settings } = services;
  await enforceAddressLimit(ctx, 'login', settings.loginLimitPerIp);
  await enforceLimit(ctx, `login:account:${input.email}`, settings.loginLimitPerAccount);
  const now = services.clock.now();
  const attempt = (user: User | null, success: boolean, reason: string) =>
    em.create(LoginAttempt, { org: services.orgId, email: input.email, user, ip: req.ip, success, reason, at: now });
  const refuse = async (locked: boolean): Promise<never> => {
    await em.flush();
    throw new TRPCError({ code: locked ? 'FORBIDDEN' : 'UNAUTHORIZED', message: locked ? LOCKED : WRONG_CREDENTIALS });
  };

  const user = await em.findOne(User, { org: services.orgId, email: input.email });
  if (!user?.passwordHash) {
    const failures = await countFailureWithoutPassword(ctx, user, input.email, now);
    await verifyAgainstNothing(input.password);
    throw new TRPCError({
      code: failures >= settings.lockoutThreshold ? 'FORBIDDEN' : 'UNAUTHORIZED',
      message: failures >= settings.lockoutThreshold ? LOCKED : WRONG_CREDENTIALS,
    });
  }
  const reserved = await reserveAttempt(ctx, user.id);
  if (reserved === null) {
    await verifyAgainstNothing(input.password);
    await lockIfSpent(ctx, user, now);
    attempt(user, false, 'locked');
    return refuse(true);
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) {
    await lockIfSpent(ctx, user, now);
    attempt(user, false, 'wrong-password');
    // The answer follows the attempt's number, not which request happened to set the lock, so a
    // burst gets the same answers as one against an unknown email (the fifth failure "locks").
    return refuse(reserved >= settings.lockoutThreshold);
  }
  if (!(await claimSuccess(ctx, user, now))) {
    attempt(user, false, 'locked-while-checking');
    return refuse(true);
  }
  if (user.status !== 'active') {
    // Only someone who knows the password learns that the account exists and is deactivated.
    attempt(user, false, 'deactivated');
    await em.flush();
    throw new TRPCError({ code: 'FORBIDDEN', message: DEACTIVATED });
  }
  attempt(user, true, 'ok');
  await createSession(ctx, user);
  return { ok: true };
}

/**
 * A failure for an email with no password to check (no account, or an invitation not yet
 * accepted). There is no counter to reserve, so the attempts of one email are counted one request
 * at a time under an advisory lock, and a burst "locks" after as many failures as a real account.
 */
async function countFailureWithoutPassword(ctx: Context, user: User | null, email: string, now: Date): Promise<number> {
  const { services, req } = ctx;
  return ctx.em.transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 2))', [`login:${services.orgId}:${email}`]);
    const failures = await tx.count(LoginAttempt, { org: services.orgId, email, success: false });
    tx.create(LoginAttempt, {
      org: services.orgId,
      email,
      user: user?.id ?? null,
      ip: req.ip,
      success: false,
      reason: user ? `not-${user.status}` : 'unknown-email',
      at: now,
    });
    return failures + 1;
  });
}

export async function logout(ctx: Context & { actor: Actor }): Promise<{ ok: true }> {
  await invalidateSession(ctx, ctx.actor.sessionId);
  ctx.req.setCookie(blankSessionCookie(ctx.services.settings.production));
  return { ok: true };
}

export function me(ctx: Context) {
  if (!ctx.actor) return null;
  const { id, email, name, roles } = ctx.actor;
  return { id, email, name, roles };
}

/**
 * Always answers the same way and in the same time, whether or not the address has an account:
 * the lookup and the mail happen in the password-reset-request job.
 */
export async function requestPasswordReset(
  ctx: Context,
  input: z.infer<typeof schema.requestPasswordResetInput>,
): Promise<{ ok: true }> {
  const { services } = ctx;
  await enforceAddressLimit(ctx, 'reset', services.settings.resetLimitPerIp);
  await enforceLimit(ctx, `reset:account:${input.email}`, services.settings.resetLimitPerAccount);
  await services.jobs.send(queues.passwordResetRequest, { email: input.email }, { traceId: ctx.traceId });
  return { ok: true };
}

/** The password-reset-request job: mails a reset link if the address belongs to an active user. */
export async function sendPasswordResetLink(
  ctx: ServiceContext,
  { email }: { email: string },
): Promise<'sent' | 'no-account'> {
  const { services } = ctx;
  const user = await ctx.em.findOne(User, { org: services.orgId, email, status: 'active' });
  if (!user) return 'no-account';
  await ctx.em.transactional(async (em) => {
    const tx = { ...ctx, em };
    const link = await issueLink(tx, user.id, 'reset');
    await sendMail(
      tx,
      { address: user.email, userId: user.id },
      passwordResetMail({ name: user.name, url: link.url, minutes: services.settings.resetTokenMinutes }),
      { linkTokenId: link.tokenHash },
    );
    recordAudit(tx, 'password.reset-requested', user.id);
  });
  return 'sent';
}

/** Lets the reset and invite pages greet the person, or say at once that the link is dead. */
export async function checkToken(ctx: Context, input: z.infer<typeof schema.checkTokenInput>) {
  const row = await findLiveToken(ctx, input.token, input.purpose);
  if (!row) return { valid: false as const };
  return { valid: true as const, email: row.user.email, name: row.user.name };
}

async function assertAcceptable(ctx: Context, password: string, user: { email: string; name: string }) {
  const problem = await passwordProblem(password, ctx.services.settings.passwordMinLength, [
    user.email.split('@')[0] ?? '',
    ...user.name.split(/\s+/),
  ]);
  if (problem) throw new TRPCError({ code: 'BAD_REQUEST', message: `password: ${problem}` });
}

/**
 * Sets a new password through a mailed link. The link proves the person holds the mailbox, so it
 * also ends a lockout; admins are told (the user's history and a mail to each active admin), since
 * a lock marks a possible attack and a mailbox can be taken over too.
 */
export async function resetPassword(ctx: Context, input: z.infer<typeof schema.resetPasswordInput>) {
  const { em, services } = ctx;
  const row = await findLiveToken(ctx, input.token, 'reset');
  if (!row) throw new TRPCError({ code: 'BAD_REQUEST', message: BAD_LINK });
  await assertAcceptable(ctx, input.password, row.user);
  if (row.user.passwordHash && (await verifyPassword(row.user.passwordHash, input.password))) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: `password: ${SAME_PASSWORD}` });
  }
  const passwordHash = await hashPassword(input.password);
  const now = services.clock.now();
  await em.transactional(async (txEm) => {
    const tx = { ...ctx, em: txEm };
    // The update is conditional, so two uses of one token race to exactly one winner.
    const claimed = await txEm.nativeUpdate(PasswordResetToken, { id: row.id, usedAt: null }, { usedAt: now });
    if (claimed !== 1) throw new TRPCError({ code: 'BAD_REQUEST', message: BAD_LINK });
    // Read under the row lock, so a lock set by a sign-in racing this reset is seen and reported.
    const [before] = await txEm.execute<{ locked_at: Date | null }[]>(
      'select locked_at from users where id = ? for update',
      [row.user.id],
    );
    await txEm.nativeUpdate(
      User,
      { id: row.user.id },
      { passwordHash, passwordChangedAt: now, failedLoginCount: 0, lockedAt: null },
    );
    await invalidateUserSessions(tx, row.user.id);
    const audit = (action: AuditAction, data?: Record<string, unknown>) =>
      recordAudit(tx, action, row.user.id, data, { actorId: row.user.id });
    audit('password.reset');
    if (!before?.locked_at) return;
    audit('user.unlocked-by-reset', { lockedAt: before.locked_at });
    await tellAdminsOfUnlock(tx, row.user);
  });
  return { ok: true as const };
}

/** A mail to each active admin that `user` ended their lockout with a password reset (in the caller's transaction). */
async function tellAdminsOfUnlock(ctx: ServiceContext, user: User): Promise<void> {
  const grants = await ctx.em.find(
    UserRole,
    { org: ctx.services.orgId, role: { key: 'admin' }, user: { status: 'active' } },
    { populate: ['user'] },
  );
  const usersPage = new URL('/admin/users', ctx.services.settings.publicUrl).toString();
  for (const { user: admin } of grants) {
    await sendMail(
      ctx,
      { address: admin.email, userId: admin.id },
      accountUnlockedByResetMail({ adminName: admin.name, user, url: usersPage }),
    );
  }
}

export async function acceptInvite(ctx: Context, input: z.infer<typeof schema.acceptInviteInput>) {
  const { em, services } = ctx;
  const row = await findLiveToken(ctx, input.token, 'invite');
  if (!row || row.user.status === 'deactivated') throw new TRPCError({ code: 'BAD_REQUEST', message: BAD_LINK });
  const name = input.name ?? row.user.name;
  await assertAcceptable(ctx, input.password, { email: row.user.email, name });
  const passwordHash = await hashPassword(input.password);
  const now = services.clock.now();
  await em.transactional(async (tx) => {
    const claimed = await tx.nativeUpdate(PasswordResetToken, { id: row.id, usedAt: null }, { usedAt: now });
    if (claimed !== 1) throw new TRPCError({ code: 'BAD_REQUEST', message: BAD_LINK });
    await tx.nativeUpdate(
      User,
      { id: row.user.id },
      { passwordHash, passwordChangedAt: now, status: 'active', name, lastLoginAt: now },
    );
    recordAudit({ ...ctx, em: tx }, 'user.invite-accepted', row.user.id, undefined, { actorId: row.user.id });
    // They just proved who they are with the link and chose a password: signed in, not sent to a form.
    await createSession({ ...ctx, em: tx }, row.user);
  });
  return { ok: true as const, email: row.user.email };
}

export async function signUp(ctx: Context, input: z.infer<typeof schema.signUpInput>) {
  const { em, services } = ctx;
  if (!services.settings.signupEnabled) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'Self sign-up is turned off. Ask an administrator for an invite.',
    });
  }
  await enforceAddressLimit(ctx, 'signup', services.settings.resetLimitPerIp);
  await assertAcceptable(ctx, input.password, input);
  if (await em.count(User, { org: services.orgId, email: input.email })) throw accountExists();
  const now = services.clock.now();
  const user = em.create(User, {
    org: services.orgId,
    email: input.email,
    name: input.name,
    passwordHash: await hashPassword(input.password),
    status: 'active',
    passwordChangedAt: now,
    createdAt: now,
    updatedAt: now,
  });
  const role = await em.findOneOrFail(Role, { org: services.orgId, key: 'user' });
  em.create(UserRole, { user, role, org: services.orgId, grantedAt: now });
  recordAudit(ctx, 'user.signed-up', user.id, undefined, { actorId: user.id });
  // Someone signing up with the same email meanwhile trips users_org_email_unique: CONFLICT.
  await em.flush();
  await createSession(ctx, user);
  return { ok: true as const };
}

/**
 * Changing the password signs out every other session; this browser gets a fresh one. The new
 * password, the revocation and the new session commit together or not at all.
 */
export async function changePassword(
  ctx: Context & { actor: Actor },
  input: z.infer<typeof schema.changePasswordInput>,
) {
  const { em, services, actor } = ctx;
  await enforceLimit(ctx, `password-change:${actor.id}`, services.settings.loginLimitPerAccount);
  const user = await em.findOneOrFail(User, { id: actor.id });
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'currentPassword: Your current password is not correct.' });
  }
  if (input.newPassword === input.currentPassword) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: `newPassword: ${SAME_PASSWORD}` });
  }
  await assertAcceptable(ctx, input.newPassword, user);
  const passwordHash = await hashPassword(input.newPassword);
  await em.transactional(async (tx) => {
    const now = services.clock.now();
    await tx.nativeUpdate(User, { id: user.id }, { passwordHash, passwordChangedAt: now });
    await invalidateUserSessions({ em: tx, services }, user.id);
    recordAudit({ ...ctx, em: tx }, 'password.changed', user.id);
    await createSession({ ...ctx, em: tx }, user);
  });
  return { ok: true as const };
}
