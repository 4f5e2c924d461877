import { AuditEvent } from '@goalpost/db';
import type { BaseContext } from '../context.ts';

export type AuditAction =
  | 'user.locked'
  | 'user.unlocked'
  | 'user.unlocked-by-reset'
  | 'user.invited'
  | 'user.bulk-registered'
  | 'user.role-assigned'
  | 'user.role-removed'
  | 'user.deactivated'
  | 'user.reactivated'
  | 'user.supervisor-set'
  | 'user.accountant-assigned'
  | 'user.accountant-unassigned'
  | 'user.signed-up'
  | 'user.invite-accepted'
  | 'password.reset'
  | 'password.reset-requested'
  | 'password.reset-link-issued'
  | 'mail.viewed'
  | 'password.changed';

/**
 * Adds an audit row to the caller's unit of work, so it is written with the change it describes.
 * The actor is the context's (override it where the person acting is not signed in yet, as when
 * an invite is accepted); the time is the clock's; the trace id ties it to the request's logs.
 */
export function recordAudit(
  ctx: BaseContext,
  action: AuditAction,
  subjectUserId: string | null,
  data?: Record<string, unknown>,
  options: { actorId?: string | null } = {},
): void {
  ctx.em.create(AuditEvent, {
    org: ctx.services.orgId,
    actor: options.actorId === undefined ? (ctx.actor?.id ?? null) : options.actorId,
    action,
    subjectUser: subjectUserId,
    data: data ?? null,
    traceId: ctx.traceId,
    at: ctx.services.clock.now(),
  });
}
