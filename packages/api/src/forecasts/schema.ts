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
