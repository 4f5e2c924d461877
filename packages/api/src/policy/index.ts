import type { RoleKey } from '@goalpost/db';

/**
 * Who may do what. Every role-gated procedure names one action here and the middleware in
 * trpc.ts asks `can`; handlers never look at roles themselves. Object-level rules (owners,
 * grants) join this module as later features need them.
 */
export const permissions = {
  'manage-users': ['admin'],
  'read-mail-outbox': ['admin'],
  'read-audit-log': ['admin'],
  /** Who has access to a goal, budget or forecast, and why (sharing.whoHasAccess). */
  'review-access': ['admin'],
  /** Hand over someone else's approvals, or look at their delegations. */
  'delegate-for-others': ['admin'],
  'manage-dead-letters': ['admin'],
  /** List and revoke anyone's personal access tokens. */
  'manage-api-tokens': ['admin'],
} as const satisfies Record<string, readonly RoleKey[]>;

export type Action = keyof typeof permissions;
export const actions = Object.keys(permissions) as Action[];

export function can(actor: { roles: readonly RoleKey[] } | null, action: Action): boolean {
  if (!actor) return false;
  const allowed: readonly RoleKey[] = permissions[action];
  return actor.roles.some((role) => allowed.includes(role));
}
