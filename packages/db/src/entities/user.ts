import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { ROLE_KEYS } from '../roles.ts';
import { createdStamp, updatedStamp, uuidKey } from './columns.ts';
import { Import } from './import.ts';
import { tenant } from './organisation.ts';

export const USER_STATUSES = ['invited', 'active', 'deactivated'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: uuidKey(),
    org: tenant,
    /** Stored lower-cased and trimmed; unique per organisation (see the unique below). */
    email: p.string().length(320),
    name: p.string().length(200),
    /** argon2id PHC string; null until an invited user sets a password. */
    passwordHash: p.string().length(255).nullable().hidden(),
    status: p.enum(USER_STATUSES).default('invited'),
    failedLoginCount: p.integer().default(0),
    lockedAt: p.datetime().nullable(),
    /** The supervisor who final-approves this user's budgets (approval workflow). */
    supervisor: () => p.manyToOne(User).nullable().deleteRule('set null'),
    timeZone: p.string().length(64).default('UTC'),
    locale: p.string().length(35).default('en-US'),
    passwordChangedAt: p.datetime().nullable(),
    lastLoginAt: p.datetime().nullable(),
    /** The bulk registration that created this user, if any: its invite links are handed out per import. */
    sourceImport: () => p.manyToOne(Import).nullable().deleteRule('set null'),
    createdAt: createdStamp(),
    updatedAt: updatedStamp(),
  },
  uniques: [{ name: 'users_org_email_unique', properties: ['org', 'email'] }],
  indexes: [
    // The admin list sorts by name.
    { name: 'users_org_name_idx', properties: ['org', 'name'] },
    // The admin search matches any part of the email or name (`%term%`), which a b-tree cannot
    // serve; a trigram index keeps it fast at millions of users. The query must use this exact expression.
    {
      name: 'users_search_trgm_idx',
      expression: `create index "users_search_trgm_idx" on "users" using gin ((email || ' ' || lower(name)) gin_trgm_ops)`,
    },
    { name: 'users_supervisor_idx', properties: ['supervisor'] },
    // The admin list sorts by these too; the org comes first so one organisation's page is a range.
    { name: 'users_org_created_idx', properties: ['org', 'createdAt'] },
    { name: 'users_org_last_login_idx', properties: ['org', 'lastLoginAt'] },
    { name: 'users_source_import_idx', properties: ['sourceImport'], where: 'source_import_id is not null' },
  ],
});
export type User = InferEntity<typeof User>;

export { ROLE_KEYS, type RoleKey } from '../roles.ts';

export const Role = defineEntity({
  name: 'Role',
  tableName: 'roles',
  properties: {
    id: uuidKey(),
    org: tenant,
    key: p.enum(ROLE_KEYS),
    name: p.string().length(100),
  },
  uniques: [{ name: 'roles_org_key_unique', properties: ['org', 'key'] }],
});
export type Role = InferEntity<typeof Role>;

export const UserRole = defineEntity({
  name: 'UserRole',
  tableName: 'user_roles',
  properties: {
    user: () => p.manyToOne(User).primary().deleteRule('cascade'),
    role: () => p.manyToOne(Role).primary().deleteRule('cascade'),
    org: tenant,
    grantedBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    grantedAt: createdStamp(),
  },
  // Role filters in the admin list join from role to users.
  indexes: [{ name: 'user_roles_role_idx', properties: ['role'] }],
});
export type UserRole = InferEntity<typeof UserRole>;

/**
 * An accountant assigned to a user by an admin: while they hold the accountant role they read,
 * comment on and give the first approval of that user's goals, budgets and forecasts.
 */
export const UserAccountant = defineEntity({
  name: 'UserAccountant',
  tableName: 'user_accountants',
  properties: {
    user: () => p.manyToOne(User).primary().deleteRule('cascade'),
    accountant: () => p.manyToOne(User).primary().deleteRule('cascade'),
    org: tenant,
    assignedBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    assignedAt: createdStamp(),
  },
  // "Whose accountant am I": the access check and the approvals inbox.
  indexes: [{ name: 'user_accountants_accountant_idx', properties: ['accountant'] }],
  checks: [{ name: 'user_accountants_not_self', expression: 'user_id <> accountant_id' }],
});
export type UserAccountant = InferEntity<typeof UserAccountant>;
