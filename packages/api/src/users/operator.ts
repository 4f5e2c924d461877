/**
 * What an operator can do from the server's shell (`npm run admin`, apps/server/src/cli/admin.ts)
 * when no admin can sign in: five wrong guesses lock anyone, the only admin included. Audited with
 * no actor and `via: 'cli'`.
 */
import { User } from '@goalpost/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../audit/service.ts';
import { issueLink } from '../auth/links.ts';
import type { Services } from '../context.ts';

/** The parts of the server a command needs: no HTTP, no queue, no rate limits. */
export type OperatorServices = Pick<Services, 'orm' | 'orgId' | 'settings' | 'clock'>;

/** A command that cannot do what was asked; its message tells the operator why. */
export class CommandRefused extends Error {}

async function userByEmail(em: EntityManager, services: OperatorServices, email: string): Promise<User> {
  const user = await em.findOne(User, { org: services.orgId, email: email.trim().toLowerCase() });
  if (!user) throw new CommandRefused(`No user has the email ${email}.`);
  return user;
}

/** Ends a lockout, as an admin's Unlock does. */
export async function operatorUnlock(
  services: OperatorServices,
  email: string,
): Promise<{ email: string; wasLocked: boolean }> {
  const em = services.orm.em.fork();
  const user = await userByEmail(em, services, email);
  const wasLocked = Boolean(user.lockedAt);
  if (wasLocked || user.failedLoginCount) {
    user.lockedAt = null;
    user.failedLoginCount = 0;
    recordAudit(em, {
      orgId: services.orgId,
      at: services.clock.now(),
      actorId: null,
      action: 'user.unlocked',
      subjectUserId: user.id,
      data: { wasLocked, via: 'cli' },
    });
    await em.flush();
  }
  return { email: user.email, wasLocked };
}

/**
 * A single-use link to set a new password, printed instead of mailed (the mail may not arrive, or
 * go to someone who lost the mailbox). Using it also ends a lockout, as any reset link does.
 */
export async function operatorResetLink(
  services: OperatorServices,
  email: string,
): Promise<{ email: string; url: string }> {
  const em = services.orm.em.fork();
  const user = await userByEmail(em, services, email);
  if (user.status !== 'active') {
    throw new CommandRefused(
      user.status === 'invited'
        ? `${user.email} has not accepted their invitation yet: an admin can resend it under Users.`
        : `${user.email} is deactivated: an admin must reactivate them under Users first.`,
    );
  }
  const link = await issueLink(em, services, user.id, 'reset');
  recordAudit(em, {
    orgId: services.orgId,
    at: services.clock.now(),
    actorId: null,
    action: 'password.reset-link-issued',
    subjectUserId: user.id,
    data: { via: 'cli' },
  });
  await em.flush();
  return { email: user.email, url: link.url };
}
