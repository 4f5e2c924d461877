import { WORKFLOW_STATES } from '@goalpost/db';
import { z } from 'zod';
import { GRANULARITIES } from '../budgets/periods.ts';
import { amount, conflict } from '../budgets/schema.ts';
import { EXAMPLES, examplePermissions, isoDate, permissions } from '../goals/schema.ts';
import { minorUnits, timestamp } from '../rest/schema.ts';

export const forecastId = z.object({ forecastId: z.uuid().meta({ example: EXAMPLES.forecastId }) });
const name = z.string().trim().min(1, 'Enter a name.').max(200, 'Use at most 200 characters.');

export const createInput = z.object({ budgetId: z.uuid(), name });
export const renameInput = z.object({ forecastId: z.uuid(), name });

export const FORECAST_FIELDS = ['forecast', 'actual'] as const;

/** One save from the forecast grid: each cell with the value it was edited from (see budgets.save). */
export const saveInput = z
  .object({
    forecastId: z.uuid().meta({ example: EXAMPLES.forecastId }),
    cells: z
      .array(z.object({ lineKey: z.uuid(), period: isoDate, field: z.enum(FORECAST_FIELDS), from: amount, to: amount }))
      .max(120_000, 'Save at most 120,000 cells at once.'),
  })
  .meta({
    examples: [
      {
        forecastId: EXAMPLES.forecastId,
        cells: [{ lineKey: EXAMPLES.lineKey, period: '2027-01-01', field: 'actual', from: null, to: '391250' }],
      },
    ],
  });

export const historyInput = z.object({
  forecastId: z.uuid(),
  lineKey: z.uuid().optional(),
  period: isoDate.optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});

export const FORECAST_SORTS = ['name', 'updated'] as const;

/** Every forecast the caller may read, wherever the access comes from (forecasts.list, GET /forecasts). */
export const listInput = z.object({
  goalId: z
    .uuid()
    .meta({ description: "Only the forecasts of this goal's budgets.", example: EXAMPLES.goalId })
    .optional(),
  budgetId: z.uuid().meta({ description: 'Only the forecasts of this budget.', example: EXAMPLES.budgetId }).optional(),
  search: z
    .string()
    .trim()
    .max(200, 'Search with at most 200 characters.')
    .meta({ description: "Part of the forecast's name, in any case.", example: 'outlook' })
    .optional(),
  sort: z.enum(FORECAST_SORTS).default('updated'),
  direction: z
    .enum(['asc', 'desc'])
    .meta({ description: 'When left out, names A–Z, the latest update first.' })
    .optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(100).default(25),
});

// Answers (the REST document describes them; rest/schema.ts for money and timestamps).

const day = z.string().meta({ description: 'A calendar date, YYYY-MM-DD.', example: '2027-01-01' });
const perPeriod = z.array(minorUnits.nullable());

export const getOutput = z
  .object({
    id: z.uuid(),
    name: z.string(),
    ownerName: z.string(),
    budget: z.object({
      id: z.uuid(),
      name: z.string(),
      goalId: z.uuid(),
      goalName: z.string(),
      state: z.enum(WORKFLOW_STATES),
    }),
    currency: z.string(),
    digits: z.number().int(),
    granularity: z.enum(GRANULARITIES),
    permissions,
    updatedAt: timestamp,
    periods: z.array(day),
    /** The budget's current lines; budget, forecast and actual amounts aligned with `periods`. */
    lines: z.array(
      z.object({
        key: z.uuid(),
        category: z.string(),
        description: z.string().nullable(),
        budget: perPeriod,
        forecast: perPeriod,
        actual: perPeriod,
      }),
    ),
  })
  .meta({
    examples: [
      {
        id: EXAMPLES.forecastId,
        name: 'Q1 outlook',
        ownerName: 'Ada Lovelace',
        budget: {
          id: EXAMPLES.budgetId,
          name: 'Fit-out 2027',
          goalId: EXAMPLES.goalId,
          goalName: 'New office',
          state: 'draft',
        },
        currency: 'EUR',
        digits: 2,
        granularity: 'monthly',
        permissions: examplePermissions,
        updatedAt: EXAMPLES.at,
        periods: ['2027-01-01', '2027-02-01'],
        lines: [
          {
            key: EXAMPLES.lineKey,
            category: 'Travel',
            description: 'Flights',
            budget: ['400000', null],
            forecast: ['410000', null],
            actual: ['391250', null],
          },
        ],
      },
    ],
  });

export const saveOutput = z
  .object({
    applied: z.object({ cells: z.number().int(), lines: z.number().int() }),
    /** Always empty here: a save with conflicts answers 409 CONFLICT, these in its `data.conflicts`. */
    conflicts: z.array(conflict),
  })
  .meta({ examples: [{ applied: { cells: 1, lines: 0 }, conflicts: [] }] });

export const listOutput = z
  .object({
    items: z.array(
      z.object({
        id: z.uuid(),
        name: z.string(),
        budget: z.object({ id: z.uuid(), name: z.string(), state: z.enum(WORKFLOW_STATES) }),
        goal: z.object({ id: z.uuid(), name: z.string() }),
        ownerId: z.uuid(),
        ownerName: z.string(),
        /** The budget's currency, granularity and periods, which the forecast follows. */
        currency: z.string(),
        granularity: z.enum(GRANULARITIES),
        periodStart: day,
        periodEnd: day,
        updatedAt: timestamp,
        /** What the caller may do with it, as on GET /forecasts/{forecastId}. */
        permissions,
      }),
    ),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  })
  .meta({
    examples: [
      {
        items: [
          {
            id: EXAMPLES.forecastId,
            name: 'Q1 outlook',
            budget: { id: EXAMPLES.budgetId, name: 'Fit-out 2027', state: 'draft' },
            goal: { id: EXAMPLES.goalId, name: 'New office' },
            ownerId: EXAMPLES.userId,
            ownerName: 'Ada Lovelace',
            currency: 'EUR',
            granularity: 'monthly',
            periodStart: '2027-01-01',
            periodEnd: '2027-12-01',
            updatedAt: EXAMPLES.at,
            permissions: examplePermissions,
          },
        ],
        total: 1,
        page: 1,
        pageSize: 25,
      },
    ],
  });
