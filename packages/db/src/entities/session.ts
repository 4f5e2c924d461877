import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdStamp } from './columns.ts';
import { tenant } from './organisation.ts';
import { User } from './user.ts';

/**
 * A signed-in browser. The primary key is the SHA-256 of the cookie's token (hex), so a leaked
 * table cannot be replayed as cookies.
 */
export const Session = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  properties: {
    id: p.string().length(64).primary(),
    org: tenant,
    user: () => p.manyToOne(User).deleteRule('cascade'),
    expiresAt: p.datetime(),
    createdAt: createdStamp(),
    ip: p.string().length(64).nullable(),
    userAgent: p.string().length(512).nullable(),
  },
  indexes: [
    // Revoking all of a user's sessions (logout everywhere, password change).
    { name: 'sessions_user_idx', properties: ['user'] },
    { name: 'sessions_expires_idx', properties: ['expiresAt'] },
  ],
});
export type Session = InferEntity<typeof Session>;

export const TOKEN_PURPOSES = ['reset', 'invite'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

/** Single-use links sent by mail: password reset and invite acceptance. Stored as SHA-256 hashes. */
export const PasswordResetToken = defineEntity({
  name: 'PasswordResetToken',
  tableName: 'password_reset_tokens',
  properties: {
    id: p.string().length(64).primary(),
    org: tenant,
    user: () => p.manyToOne(User).deleteRule('cascade'),
    purpose: p.enum(TOKEN_PURPOSES),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    /** Set with usedAt when a newer link (or an email change) replaced this one before it was used. */
    supersededAt: p.datetime().nullable(),
    createdAt: createdStamp(),
  },
  indexes: [{ name: 'password_reset_tokens_user_idx', properties: ['user'] }],
});
export type PasswordResetToken = InferEntity<typeof PasswordResetToken>;

/** Every sign-in attempt, kept for lockout decisions on unknown emails and for the security audit. */
export const LoginAttempt = defineEntity({
  name: 'LoginAttempt',
  tableName: 'login_attempts',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    org: tenant,
    email: p.string().length(320),
    user: () => p.manyToOne(User).nullable().deleteRule('set null'),
    ip: p.string().length(64).nullable(),
    success: p.boolean(),
    reason: p.string().length(40),
    at: createdStamp(),
  },
  // Counting recent failures for one email.
  indexes: [{ name: 'login_attempts_email_at_idx', properties: ['org', 'email', 'at'] }],
});
export type LoginAttempt = InferEntity<typeof LoginAttempt>;
