/**
 * What an operator can do from the server's shell (`npm run admin`, apps/server/src/cli/admin.ts)
 * when no admin can sign in: five wrong guesses lock anyone, the only admin included. Audited with
 * no actor and `via: 'cli'`.
 */
import { User } from '@goalpost/db';
import { recordAudit } from '../audit/service.ts';
import { issueLink } from '../auth/links.ts';
import type { BaseContext } from '../context.ts';

/** A command that cannot do what was asked; its message tells the operator why. */
export class CommandRefused extends Error {}

async function userByEmail(ctx: BaseContext, email: string): Promise<User> {
  const user = await ctx.em.findOne(User, { org: ctx.services.orgId, email: email.trim().toLowerCase() });
  if (!user) throw new CommandRefused(`No user has the email ${email}.`);
  return user;
}

/** Ends a lockout, as an admin's Unlock does. */
export async function operatorUnlock(ctx: BaseContext, { email }: { email: string }) {
  const user = await userByEmail(ctx, email);
  const wasLocked = Boolean(user.lockedAt);
  if (wasLocked || user.failedLoginCount) {
    user.lockedAt = null;
    user.failedLoginCount = 0;
    recordAudit(ctx, 'user.unlocked', user.id, { wasLocked, via: 'cli' });
    await ctx.em.flush();
  }
  return { email: user.email, wasLocked };
}

/**
 * A single-use link to set a new password, printed instead of mailed (the mail may not arrive, or
 * go to someone who lost the mailbox). Using it also ends a lockout, as any reset link does.
 */
export async function operatorResetLink(ctx: BaseContext, { email }: { email: string }) {
  const user = await userByEmail(ctx, email);
  if (user.status !== 'active') {
    throw new CommandRefused(
      user.status === 'invited'
        ? `${user.email} has not accepted their invitation yet: an admin can resend it under Users.`
        : `${user.email} is deactivated: an admin must reactivate them under Users first.`,
    );
  }
  const url = await ctx.em.transactional(async (em) => {
    const tx = { ...ctx, em };
    const link = await issueLink(tx, user.id, 'reset');
    recordAudit(tx, 'password.reset-link-issued', user.id, { via: 'cli' });
    return link.url;
  });
  return { email: user.email, url };
}
