import { ROLE_KEYS, USER_STATUSES } from '@goalpost/db';
import { z } from 'zod';
import { email } from '../auth/schema.ts';

export const role = z.enum(ROLE_KEYS, { error: `Use one of: ${ROLE_KEYS.join(', ')}.` });
export const userId = z.object({ userId: z.uuid() });
const name = z.string().trim().min(1, 'Enter a name.').max(200, 'Use at most 200 characters.');

/** What the list can be sorted by; each maps to one ORDER BY in service.ts. */
export const USER_SORTS = ['name', 'email', 'status', 'lastLoginAt', 'createdAt'] as const;
export type UserSort = (typeof USER_SORTS)[number];

const filter = {
  search: z.string().trim().max(200).optional(),
  role: role.optional(),
  /** As the list shows it: locked wins over active, deactivated over everything. */
  status: z.enum([...USER_STATUSES, 'locked']).optional(),
  sort: z.enum(USER_SORTS).default('name'),
  dir: z.enum(['asc', 'desc']).default('asc'),
};

export const listInput = z.object({
  ...filter,
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(25),
});

/** The list's filter and order, without paging: everything that matches, up to the export cap. */
export const exportInput = z.object(filter);

export const createInput = z.object({
  email,
  name,
  roles: z.array(role).min(1, 'Give the user at least one role.').default(['user']),
});

export const updateInput = z.object({ userId: z.uuid(), name, email });

export const roleChangeInput = z.object({ userId: z.uuid(), role });

/** Actions on many people at once: one request, each person in their own transaction. */
const userIds = z.array(z.uuid()).min(1, 'Select at least one user.').max(500, 'Select at most 500 users at a time.');
export const manyUsersInput = z.object({ userIds });
export const manyRoleChangeInput = z.object({ userIds, role });

/** 20 MB of CSV text is far more than 10,000 rows needs, and bounds what one request may hold. */
export const bulkValidateInput = z.object({
  fileName: z.string().trim().min(1).max(255),
  csv: z.string().max(20_000_000, 'The file is larger than 20 MB. Split it into smaller files.'),
});
export const importId = z.object({ importId: z.uuid() });

/** What to do with the rows that are not plain new people: the admin's explicit choices. */
export const bulkCommitInput = z.object({
  importId: z.uuid(),
  /** Register the good rows and leave the rows with problems out (they stay in the report). */
  skipProblems: z.boolean().default(false),
  /** Rows for people who already have an account: leave them, or set their name and roles from the file. */
  existing: z.enum(['skip', 'update']).optional(),
});

const reportPage = {
  importId: z.uuid(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(500).default(100),
};
export const bulkErrorsInput = z.object(reportPage);
export const bulkExistingInput = z.object(reportPage);

/** The user's supervisor (who gives their budgets the final approval), or null for none. */
export const setSupervisorInput = z.object({ userId: z.uuid(), supervisorId: z.uuid().nullable() });

/** An accountant assigned to a user: reads, comments on and first-approves that user's budgets. */
export const accountantInput = z.object({ userId: z.uuid(), accountantId: z.uuid() });
