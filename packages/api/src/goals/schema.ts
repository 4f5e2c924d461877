import { z } from 'zod';
import { isCurrency } from '../money/index.ts';

export const goalId = z.object({ goalId: z.uuid() });

export const currency = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isCurrency, { error: 'Use an ISO 4217 currency code, such as EUR or USD.' });

/** A calendar date as people mean it, without a time zone: 'YYYY-MM-DD'. */
export const isoDate = z.iso.date({ error: 'Use a date like 2027-12-31.' });

const name = z.string().trim().min(1, 'Enter a name.').max(200, 'Use at most 200 characters.');
const description = z.string().trim().max(2000, 'Use at most 2,000 characters.');
const category = z.string().trim().max(100, 'Use at most 100 characters.');
/** Money in minor units of the goal's currency (cents for EUR). */
const targetAmountMinor = z
  .bigint({ error: 'Enter the target as an amount.' })
  .nonnegative('The target cannot be negative.')
  .max(10n ** 18n - 1n, 'The target is too large.');

export const createInput = z.object({
  name,
  description: description.nullish(),
  category: category.nullish(),
  targetAmountMinor,
  currency,
  targetDate: isoDate.nullish(),
});

export const updateInput = z.object({
  goalId: z.uuid(),
  /** The version the edit started from: a stale one answers CONFLICT. */
  version: z.number().int().min(1),
  name: name.optional(),
  description: description.nullish(),
  category: category.nullish(),
  targetAmountMinor: targetAmountMinor.optional(),
  targetDate: isoDate.nullish(),
});

export const GOAL_SORTS = ['name', 'targetDate', 'updated', 'target'] as const;

export const listInput = z.object({
  status: z.enum(['active', 'archived', 'all']).default('active'),
  category: category.optional(),
  search: z.string().trim().max(200).optional(),
  sort: z.enum(GOAL_SORTS).default('updated'),
  direction: z.enum(['asc', 'desc']).optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(100).default(25),
});

export const archiveInput = z.object({ goalId: z.uuid(), archived: z.boolean() });

export const historyInput = z.object({
  goalId: z.uuid(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});
