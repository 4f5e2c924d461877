import { AuditEvent } from '@goalpost/db';
import type { EntityManager } from '@mikro-orm/postgresql';

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
  | 'user.signed-up'
  | 'user.invite-accepted'
  | 'password.reset'
  | 'password.reset-requested'
  | 'password.reset-link-issued'
  | 'mail.viewed'
  | 'password.changed';

/** Adds an audit row to the caller's unit of work (written with the change it describes). */
export function recordAudit(
  em: EntityManager,
  event: {
    orgId: string;
    at: Date;
    actorId: string | null;
    action: AuditAction;
    subjectUserId: string | null;
    data?: Record<string, unknown>;
  },
): void {
  em.create(AuditEvent, {
    org: event.orgId,
    actor: event.actorId,
    action: event.action,
    subjectUser: event.subjectUserId,
    data: event.data ?? null,
    at: event.at,
  });
}
