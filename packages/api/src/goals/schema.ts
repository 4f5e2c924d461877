import { GOAL_STATUSES, WORKFLOW_STATES } from '@goalpost/db';
import { z } from 'zod';
import { GRANULARITIES } from '../budgets/periods.ts';
import { isCurrency } from '../money/index.ts';
import { OBJECT_ACTIONS } from '../policy/objects.ts';
import { minorUnits, timestamp } from '../rest/schema.ts';

export const goalId = z.object({ goalId: z.uuid().meta({ example: '0f8b6f1e-3c2a-4d7e-9a51-6b2f0c9d4e11' }) });

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

// Answers (the REST document describes them; rest/schema.ts for money and timestamps).

const EXAMPLE_GOAL_ID = '0f8b6f1e-3c2a-4d7e-9a51-6b2f0c9d4e11';
const EXAMPLE_USER_ID = '5a1c9e27-8d43-4f0b-b6e2-2c7d9f1a3b58';
const EXAMPLE_BUDGET_ID = '7d2e4a90-1b6c-4f3e-8a5d-9c0b1e2f3a47';
const EXAMPLE_FORECAST_ID = 'c3e1b2a4-5d6f-4a7b-9c8d-0e1f2a3b4c5d';
export const EXAMPLES = {
  goalId: EXAMPLE_GOAL_ID,
  userId: EXAMPLE_USER_ID,
  budgetId: EXAMPLE_BUDGET_ID,
  forecastId: EXAMPLE_FORECAST_ID,
  lineKey: '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  at: '2027-01-15T09:30:00.000Z',
};

/** A date without a time zone, 'YYYY-MM-DD'. */
const day = z.string().meta({ description: 'A calendar date, YYYY-MM-DD.', example: '2027-01-01' });

/** What the caller may do with an object, for the buttons a page shows. */
export const permissions = z.record(z.enum(OBJECT_ACTIONS), z.boolean());
/** An owner's permissions on their own draft (an owner cannot approve their own budget). */
export const examplePermissions = Object.fromEntries(
  OBJECT_ACTIONS.map((a) => [a, !['approve', 'final-approve'].includes(a)]),
);

export const progress = z.object({
  plannedMinor: minorUnits,
  /**
   * Projected (the pages' word): actuals to date, then the forecast for the remaining months, not
   * the forecast page's "Forecast". Null when no budget of the goal has a forecast yet.
   */
  forecastMinor: minorUnits.nullable(),
  reachedIn: day.nullable(),
  forecastEnd: day.nullable(),
  budgetCount: z.number().int(),
});

const goalFields = {
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  category: z.string().nullable(),
  targetAmountMinor: minorUnits,
  currency: z.string().meta({ example: 'EUR' }),
  targetDate: day.nullable(),
  status: z.enum(GOAL_STATUSES),
  version: z.number().int(),
  ownerId: z.uuid(),
  createdAt: timestamp,
  updatedAt: timestamp,
};

const exampleProgress = {
  plannedMinor: '4800000',
  forecastMinor: null,
  reachedIn: null,
  forecastEnd: null,
  budgetCount: 1,
};
const exampleGoal = {
  id: EXAMPLE_GOAL_ID,
  name: 'New office',
  description: 'Move the Lisbon team by summer',
  category: 'Facilities',
  targetAmountMinor: '5000000',
  currency: 'EUR',
  targetDate: '2027-06-30',
  status: 'active',
  version: 3,
  ownerId: EXAMPLE_USER_ID,
  createdAt: EXAMPLES.at,
  updatedAt: EXAMPLES.at,
  ownerName: 'Ada Lovelace',
};

export const listOutput = z
  .object({
    items: z.array(z.object({ ...goalFields, ownerName: z.string(), progress })),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
    /** Every category among the goals the caller can read, for a filter. */
    categories: z.array(z.string()),
  })
  .meta({
    examples: [
      {
        items: [{ ...exampleGoal, progress: exampleProgress }],
        total: 1,
        page: 1,
        pageSize: 25,
        categories: ['Facilities'],
      },
    ],
  });

export const getOutput = z
  .object({
    ...goalFields,
    ownerName: z.string(),
    permissions,
    progress,
    budgets: z.array(
      z.object({
        id: z.uuid(),
        name: z.string(),
        currency: z.string(),
        fxRate: z.string().nullable(),
        fxRateDate: day.nullable(),
        state: z.enum(WORKFLOW_STATES),
        granularity: z.enum(GRANULARITIES),
        periodStart: day,
        periodEnd: day,
        ownerName: z.string(),
        updatedAt: timestamp,
        /** The current version's total, in the budget's currency. */
        totalMinor: minorUnits,
      }),
    ),
    forecasts: z.array(z.object({ id: z.uuid(), name: z.string(), budgetId: z.uuid(), updatedAt: timestamp })),
  })
  .meta({
    examples: [
      {
        ...exampleGoal,
        permissions: examplePermissions,
        progress: exampleProgress,
        budgets: [
          {
            id: EXAMPLE_BUDGET_ID,
            name: 'Fit-out 2027',
            currency: 'EUR',
            fxRate: null,
            fxRateDate: null,
            state: 'draft',
            granularity: 'monthly',
            periodStart: '2027-01-01',
            periodEnd: '2027-12-01',
            ownerName: 'Ada Lovelace',
            updatedAt: EXAMPLES.at,
            totalMinor: '4800000',
          },
        ],
        forecasts: [
          { id: EXAMPLE_FORECAST_ID, name: 'Q1 outlook', budgetId: EXAMPLE_BUDGET_ID, updatedAt: EXAMPLES.at },
        ],
      },
    ],
  });
