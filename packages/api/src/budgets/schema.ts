import { WORKFLOW_STATES } from '@goalpost/db';
import { z } from 'zod';
import { currency, EXAMPLES, examplePermissions, isoDate, permissions } from '../goals/schema.ts';
import { minorUnits, minorUnitsInput, timestamp } from '../rest/schema.ts';
import { WORKFLOW_ACTIONS } from '../workflow/transitions.ts';
import { GRANULARITIES, isPeriodStart } from './periods.ts';

export const budgetId = z.object({ budgetId: z.uuid() });

const name = z.string().trim().min(1, 'Enter a name.').max(200, 'Use at most 200 characters.');
/** Units of the goal's currency per unit of the budget's, as an exact decimal ("1.0845"). */
export const fxRate = z
  .string()
  .trim()
  .regex(/^\d{1,10}(\.\d{1,10})?$/, 'Enter the rate as a number with a dot, like 1.0845.')
  .refine((v) => Number(v) > 0, 'The rate must be above zero.');

export const createInput = z.object({
  goalId: z.uuid(),
  name,
  /** Defaults to the goal's currency; another one needs fxRate. */
  currency: currency.optional(),
  fxRate: fxRate.optional(),
  fxRateDate: isoDate.optional(),
  /** The first period: 'YYYY-MM-01'. */
  periodStart: isoDate.refine((d) => isPeriodStart(d), 'Periods start on the first day of a month.'),
  periods: z.number().int().min(1, 'A budget has at least one period.').max(60, 'A budget covers at most 60 periods.'),
  granularity: z.enum(GRANULARITIES).default('monthly'),
});

export const updateInput = z.object({
  budgetId: z.uuid(),
  version: z.number().int().min(1),
  name: name.optional(),
  fxRate: fxRate.optional(),
  fxRateDate: isoDate.optional(),
});

export const moveInput = z.object({ budgetId: z.uuid(), goalId: z.uuid(), version: z.number().int().min(1) });

/** A cell's value: minor units of the budget's currency, or null for an empty cell. */
export const amount = minorUnitsInput(10n ** 18n - 1n, 'This amount is too large for one cell.').nullable();

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Use at most ${max.toLocaleString('en-US')} characters.`);
export const LINE_FIELDS = ['category', 'description', 'notes'] as const;
export type LineField = (typeof LINE_FIELDS)[number];
const lineText = { category: text(200), description: text(500), notes: text(4000) } as const;

export const lineInput = z.object({
  key: z.uuid(),
  /** May be empty while a row is being filled in the grid. */
  category: lineText.category,
  description: lineText.description.nullish(),
  notes: lineText.notes.nullish(),
});

/**
 * One save from the grid: every cell and line change of one user action (a 1,000-row paste is one
 * save). Each change carries the value it was edited from; a change whose `from` no longer matches
 * is not applied and comes back as a conflict with the current value.
 */
export const saveInput = z
  .object({
    budgetId: z.uuid().meta({ example: EXAMPLES.budgetId }),
    /** The version being edited: a save aimed at an older revision is refused. */
    versionNumber: z.number().int().min(1),
    cells: z
      .array(z.object({ lineKey: z.uuid(), period: isoDate, from: amount, to: amount }))
      .max(120_000, 'Save at most 120,000 cells at once.')
      .default([]),
    lines: z
      .object({
        added: z
          .array(lineInput.extend({ position: z.number().int().min(0) }))
          .max(20_000)
          .default([]),
        removed: z.array(z.uuid()).max(20_000).default([]),
        changed: z
          .array(
            z.object({
              key: z.uuid(),
              field: z.enum(LINE_FIELDS),
              from: z.string().nullable(),
              to: z.string().trim().max(4000).nullable(),
            }),
          )
          .max(60_000)
          .default([]),
        /** The lines' new order, when rows were moved: their keys, top to bottom. */
        order: z.array(z.uuid()).max(20_000).optional(),
      })
      .default({ added: [], removed: [], changed: [] }),
  })
  .meta({
    examples: [
      {
        budgetId: EXAMPLES.budgetId,
        versionNumber: 1,
        cells: [{ lineKey: EXAMPLES.lineKey, period: '2027-01-01', from: '400000', to: '425000' }],
      },
    ],
  });

export const historyInput = z.object({
  budgetId: z.uuid(),
  /** A line's history, or with `period` one cell's. */
  lineKey: z.uuid().optional(),
  period: isoDate.optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});

export const restoreInput = z.object({ budgetId: z.uuid(), logId: z.number().int().min(1) });

export const getInput = z.object({
  budgetId: z.uuid().meta({ example: EXAMPLES.budgetId }),
  /** An earlier version; the current one when left out. */
  versionNumber: z.number().int().min(1).optional(),
});

export { lineText };

export const BUDGET_SORTS = ['name', 'updated', 'periodStart'] as const;

/** Every budget the caller may read, wherever the access comes from (budgets.list, GET /budgets). */
export const listInput = z.object({
  goalId: z.uuid().meta({ description: 'Only the budgets of this goal.', example: EXAMPLES.goalId }).optional(),
  state: z
    .enum(WORKFLOW_STATES)
    .meta({ description: 'Only budgets whose current version is in this workflow state.', example: 'submitted' })
    .optional(),
  search: z
    .string()
    .trim()
    .max(200, 'Search with at most 200 characters.')
    .meta({ description: "Part of the budget's name, in any case.", example: 'fit-out' })
    .optional(),
  sort: z.enum(BUDGET_SORTS).default('updated'),
  direction: z
    .enum(['asc', 'desc'])
    .meta({ description: 'When left out, names A–Z, the latest update first, the earliest first period first.' })
    .optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(100).default(25),
});

// Answers (the REST document describes them; rest/schema.ts for money and timestamps).

const day = z.string().meta({ description: 'A calendar date, YYYY-MM-DD.', example: '2027-01-01' });
const person = z.object({ id: z.uuid(), name: z.string() }).nullable();

/** One line of a version: its amounts aligned with the budget's `periods` (null: an empty cell). */
export const gridLine = z.object({
  key: z.uuid(),
  category: z.string(),
  description: z.string().nullable(),
  notes: z.string().nullable(),
  amounts: z.array(minorUnits.nullable()),
});

export const getOutput = z
  .object({
    id: z.uuid(),
    name: z.string(),
    goal: z.object({ id: z.uuid(), name: z.string(), currency: z.string() }),
    ownerId: z.uuid(),
    ownerName: z.string(),
    currency: z.string(),
    /** The currency's decimals: minor units / 10^digits is the amount. */
    digits: z.number().int(),
    fxRate: z.string().nullable(),
    fxRateDate: day.nullable(),
    granularity: z.enum(GRANULARITIES),
    periodStart: day,
    periodEnd: day,
    state: z.enum(WORKFLOW_STATES),
    /** The budget's settings version (optimistic locking of budgets.update). */
    version: z.number().int(),
    currentVersionNumber: z.number().int(),
    /** The version shown: send it back as versionNumber when writing cells. */
    versionNumber: z.number().int(),
    versions: z.array(
      z.object({
        number: z.number().int(),
        state: z.enum(WORKFLOW_STATES),
        lockedAt: timestamp.nullable(),
        createdAt: timestamp,
      }),
    ),
    permissions,
    workflow: z.object({
      state: z.enum(WORKFLOW_STATES),
      since: timestamp,
      submittedBy: person,
      approvedBy: person,
      actions: z.array(
        z.object({
          action: z.enum(WORKFLOW_ACTIONS),
          to: z.enum(WORKFLOW_STATES),
          reason: z.enum(['required', 'optional']),
          onBehalfOf: z.string().nullable(),
        }),
      ),
    }),
    updatedAt: timestamp,
    /** The first day of each period, in order. */
    periods: z.array(day),
    lines: z.array(gridLine),
  })
  .meta({
    examples: [
      {
        id: EXAMPLES.budgetId,
        name: 'Fit-out 2027',
        goal: { id: EXAMPLES.goalId, name: 'New office', currency: 'EUR' },
        ownerId: EXAMPLES.userId,
        ownerName: 'Ada Lovelace',
        currency: 'EUR',
        digits: 2,
        fxRate: null,
        fxRateDate: null,
        granularity: 'monthly',
        periodStart: '2027-01-01',
        periodEnd: '2027-02-01',
        state: 'draft',
        version: 1,
        currentVersionNumber: 1,
        versionNumber: 1,
        versions: [{ number: 1, state: 'draft', lockedAt: null, createdAt: EXAMPLES.at }],
        permissions: examplePermissions,
        workflow: {
          state: 'draft',
          since: EXAMPLES.at,
          submittedBy: null,
          approvedBy: null,
          actions: [{ action: 'submit', to: 'submitted', reason: 'optional', onBehalfOf: null }],
        },
        updatedAt: EXAMPLES.at,
        periods: ['2027-01-01', '2027-02-01'],
        lines: [
          {
            key: EXAMPLES.lineKey,
            category: 'Travel',
            description: 'Flights',
            notes: null,
            amounts: ['400000', null],
          },
        ],
      },
    ],
  });

/** A change not applied because the cell (or line field) no longer held its `from` value. */
export const conflict = z.object({
  lineKey: z.uuid(),
  period: day.nullable(),
  field: z.string(),
  current: z.union([minorUnits, z.string()]).nullable(),
  mine: z.union([minorUnits, z.string()]).nullable(),
  lineRemoved: z.boolean().optional(),
});

/** What a save changed: cells and line changes applied (a save with conflicts answers 409 instead). */
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
        goal: z.object({ id: z.uuid(), name: z.string() }),
        ownerId: z.uuid(),
        ownerName: z.string(),
        currency: z.string(),
        granularity: z.enum(GRANULARITIES),
        periodStart: day,
        periodEnd: day,
        /** The current version's workflow state and number. */
        state: z.enum(WORKFLOW_STATES),
        currentVersionNumber: z.number().int(),
        /** The current version's total, in the budget's currency. */
        totalMinor: minorUnits,
        updatedAt: timestamp,
        /** What the caller may do with it, as on GET /budgets/{budgetId}. */
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
            id: EXAMPLES.budgetId,
            name: 'Fit-out 2027',
            goal: { id: EXAMPLES.goalId, name: 'New office' },
            ownerId: EXAMPLES.userId,
            ownerName: 'Ada Lovelace',
            currency: 'EUR',
            granularity: 'monthly',
            periodStart: '2027-01-01',
            periodEnd: '2027-12-01',
            state: 'draft',
            currentVersionNumber: 1,
            totalMinor: '4800000',
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
