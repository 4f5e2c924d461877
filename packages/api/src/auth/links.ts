import { PasswordResetToken, type TokenPurpose } from '@goalpost/db';
import type { BaseContext, Services } from '../context.ts';
import { generateToken, hashToken } from './token.ts';

const PAGES: Record<TokenPurpose, string> = { reset: '/reset-password', invite: '/accept-invite' };

/**
 * A single-use link for `purpose`, replacing any unused one the user had: only the newest mailed
 * link works. The token is in the URL only; the database keeps its hash. Call it inside the
 * caller's transaction: the old link dies only when the new one is saved.
 */
export async function issueLink(
  ctx: BaseContext,
  userId: string,
  purpose: TokenPurpose,
): Promise<{ url: string; tokenHash: string; expiresAt: Date }> {
  const { em, services } = ctx;
  if (!em.isInTransaction()) throw new Error('issueLink must run inside a transaction.');
  const now = services.clock.now();
  await retireLinks(ctx, userId, purpose);
  const token = generateToken();
  const lifetimeMs =
    purpose === 'reset' ? services.settings.resetTokenMinutes * 60_000 : services.settings.inviteTokenDays * 86_400_000;
  const expiresAt = new Date(now.getTime() + lifetimeMs);
  em.create(PasswordResetToken, {
    id: hashToken(token),
    org: services.orgId,
    user: userId,
    purpose,
    expiresAt,
    createdAt: now,
  });
  return { url: linkUrl(services, purpose, token), tokenHash: hashToken(token), expiresAt };
}

/**
 * Makes a user's unused links (of one purpose, or all) stop working, marked as superseded so the
 * outbox can tell them from links the person used.
 */
export async function retireLinks(ctx: BaseContext, userId: string, purpose?: TokenPurpose): Promise<number> {
  const now = ctx.services.clock.now();
  return ctx.em.nativeUpdate(
    PasswordResetToken,
    { user: userId, usedAt: null, ...(purpose ? { purpose } : {}) },
    { usedAt: now, supersededAt: now },
  );
}

export function linkUrl(services: Pick<Services, 'settings'>, purpose: TokenPurpose, token: string): string {
  const url = new URL(PAGES[purpose], services.settings.publicUrl);
  url.searchParams.set('token', token);
  return url.toString();
}

/** The unused, unexpired token row for a link, or null. */
export async function findLiveToken({ em, services }: BaseContext, token: string, purpose: TokenPurpose) {
  return em.findOne(
    PasswordResetToken,
    { id: hashToken(token), purpose, usedAt: null, expiresAt: { $gt: services.clock.now() } },
    { populate: ['user'] },
  );
}

/** Deletes links that were used or expired more than a week ago (kept a while for support questions). */
export async function purgeSpentLinks({ em, services }: BaseContext): Promise<number> {
  const now = services.clock.now();
  const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
  return em.nativeDelete(PasswordResetToken, {
    $or: [{ usedAt: { $lte: weekAgo } }, { expiresAt: { $lte: weekAgo } }],
  });
}
