import { GRANT_LEVELS } from '@goalpost/db';
import { z } from 'zod';
import { SUBJECT_TYPES } from '../policy/objects.ts';

/** What is shared: `{ type: 'budget', id }`. */
export const subject = z.object({
  type: z.enum(SUBJECT_TYPES, { error: `Use one of: ${SUBJECT_TYPES.join(', ')}.` }),
  id: z.uuid(),
});

export const level = z.enum(GRANT_LEVELS, { error: `Use one of: ${GRANT_LEVELS.join(', ')}.` });
/** When the access ends; null or left out: until revoked. */
const expiresAt = z.date({ error: 'Give the expiry as a date and time.' }).nullable();

export const subjectInput = z.object({ subject });

export const grantInput = z.object({
  subject,
  userId: z.uuid(),
  level,
  expiresAt: expiresAt.optional(),
});

export const updateInput = z
  .object({ grantId: z.uuid(), level: level.optional(), expiresAt: expiresAt.optional() })
  .refine((v) => v.level !== undefined || v.expiresAt !== undefined, {
    message: 'Change the level, the expiry or both.',
  });

export const grantId = z.object({ grantId: z.uuid() });

export const searchUsersInput = z.object({
  search: z.string().trim().min(1, 'Type part of a name or email.').max(100, 'Use at most 100 characters.'),
  limit: z.number().int().min(1).max(20).default(10),
});

export const sharedWithMeInput = z.object({
  type: z.enum(SUBJECT_TYPES).optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(100).default(25),
});
