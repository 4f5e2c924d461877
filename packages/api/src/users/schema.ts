import { ROLE_KEYS, USER_STATUSES } from '@goalpost/db';
import { z } from 'zod';
import { email } from '../auth/schema.ts';

export const role = z.enum(ROLE_KEYS, { error: `Use one of: ${ROLE_KEYS.join(', ')}.` });
export const userId = z.object({ userId: z.uuid() });

export const listInput = z.object({
  search: z.string().trim().max(200).optional(),
  role: role.optional(),
  status: z.enum([...USER_STATUSES, 'locked']).optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(25),
});

export const createInput = z.object({
  email,
  name: z.string().trim().min(1, 'Enter a name.').max(200, 'Use at most 200 characters.'),
  roles: z.array(role).min(1, 'Give the user at least one role.').default(['user']),
});

export const roleChangeInput = z.object({ userId: z.uuid(), role });

/** 20 MB of CSV text is far more than 10,000 rows needs, and bounds what one request may hold. */
export const bulkValidateInput = z.object({
  fileName: z.string().trim().min(1).max(255),
  csv: z.string().max(20_000_000, 'The file is larger than 20 MB. Split it into smaller files.'),
});
export const importId = z.object({ importId: z.uuid() });
export const bulkErrorsInput = z.object({
  importId: z.uuid(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(500).default(100),
});

/** The user's supervisor (who gives their budgets the final approval), or null for none. */
export const setSupervisorInput = z.object({ userId: z.uuid(), supervisorId: z.uuid().nullable() });

/** An accountant assigned to a user: reads, comments on and first-approves that user's budgets. */
export const accountantInput = z.object({ userId: z.uuid(), accountantId: z.uuid() });
