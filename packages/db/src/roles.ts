/**
 * The roles, with the names people read. Free of imports so the web app can use it too
 * (`@goalpost/db/roles`): the one place a role's label is written.
 */
export const ROLE_KEYS = ['admin', 'user', 'accountant', 'supervisor'] as const;
export type RoleKey = (typeof ROLE_KEYS)[number];

export const ROLE_LABELS: Record<RoleKey, string> = {
  admin: 'Admin',
  user: 'User',
  accountant: 'Accountant',
  supervisor: 'Supervisor',
};
