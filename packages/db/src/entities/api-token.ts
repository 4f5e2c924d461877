import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdStamp, uuidKey } from './columns.ts';
import { tenant } from './organisation.ts';
import { User } from './user.ts';

export const API_TOKEN_SCOPES = ['read', 'write'] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

/**
 * A personal access token for the REST API (/api/v1). Like a session, only the SHA-256 of the
 * secret is kept (`hash`), so the table cannot be replayed; the secret is shown once, on creation.
 * `prefix` (the secret's first characters) lets a person tell their tokens apart in lists.
 */
export const ApiToken = defineEntity({
  name: 'ApiToken',
  tableName: 'api_tokens',
  properties: {
    id: uuidKey(),
    org: tenant,
    user: () => p.manyToOne(User).deleteRule('cascade'),
    name: p.string().length(100),
    scope: p.enum(API_TOKEN_SCOPES),
    hash: p.string().length(64).unique('api_tokens_hash_unique'),
    prefix: p.string().length(16),
    expiresAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    revokedBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    createdBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    createdAt: createdStamp(),
  },
  indexes: [
    { name: 'api_tokens_user_idx', properties: ['user'] },
    { name: 'api_tokens_org_created_idx', properties: ['org', 'createdAt'] },
  ],
});
export type ApiToken = InferEntity<typeof ApiToken>;
