import { AuditEvent, insertRows } from '@goalpost/db';
import type { BaseContext } from '../context.ts';

/**
 * Every kind of audit row. The web app has a readable sentence for each (apps/web/src/lib/history.ts),
 * checked against this list by the type checker.
 */
export const AUDIT_ACTIONS = [
  'user.locked',
  'user.unlocked',
  /** The person ended a lockout by setting a new password through a mailed reset link. */
  'user.unlocked-by-reset',
  /** One person registered: by hand (data: roles) or from a file (data: roles, importId, fileName). */
  'user.invited',
  /** A whole bulk registration (no subject; data: importId, count, fileName, ...). */
  'user.bulk-registered',
  /**
   * Details changed: by an admin (data: name?, email?, each { from, to }) or from a bulk
   * registration file (data: name?, roles?, each { from, to }, and importId, fileName).
   */
  'user.updated',
  'user.role-assigned',
  'user.role-removed',
  'user.deactivated',
  'user.reactivated',
  /** The person's supervisor (final approver) set or cleared (data: supervisorId, from). */
  'user.supervisor-set',
  /** An accountant assigned to review the person's budgets (data: accountantId). */
  'user.accountant-assigned',
  'user.accountant-unassigned',
  'user.signed-up',
  'user.invite-accepted',
  /** A new invite replaced the earlier links (data: mail, queued or captured). */
  'user.invite-resent',
  /** An admin took a fresh invite link to hand over (data: importId, fileName when from a list). */
  'user.invite-link-copied',
  'password.reset',
  'password.reset-requested',
  /** An admin sent the person a reset link. */
  'password.reset-sent',
  /** An operator printed a reset link on the server (data: via 'cli'). */
  'password.reset-link-issued',
  'mail.viewed',
  'password.changed',
  /** A personal access token was created (data: tokenId, name, scope, expiresAt) or revoked (data: tokenId, name). */
  'token.created',
  'token.revoked',
  /** A write through the REST API (data: procedure, method, path, outcome: ok or the error code); the row's token names it. */
  'api.write',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

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
    token: ctx.actor?.token?.id ?? null,
    at: ctx.services.clock.now(),
  });
}

/**
 * The set-based form of recordAudit for bulk work: one statement for many rows of one action, in
 * the transaction `ctx.em` belongs to (thousands of rows cost one round trip, not thousands).
 */
export async function recordAuditMany(
  ctx: BaseContext,
  action: AuditAction,
  entries: { subjectUserId: string; data: Record<string, unknown> | null }[],
  options: { actorId?: string | null } = {},
): Promise<void> {
  const actorId = options.actorId === undefined ? (ctx.actor?.id ?? null) : options.actorId;
  const at = ctx.services.clock.now();
  await insertRows(
    ctx.em,
    'audit_events',
    {
      org_id: 'uuid',
      actor_id: 'uuid',
      action: 'varchar',
      subject_user_id: 'uuid',
      data: 'jsonb',
      trace_id: 'varchar',
      token_id: 'uuid',
      at: 'timestamptz',
    },
    entries.map((e) => ({
      org_id: ctx.services.orgId,
      actor_id: actorId,
      action,
      subject_user_id: e.subjectUserId,
      data: e.data,
      trace_id: ctx.traceId,
      token_id: ctx.actor?.token?.id ?? null,
      at,
    })),
  );
}
