import { z } from 'zod';
import { currency, isoDate } from '../goals/schema.ts';
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
export const amount = z
  .bigint()
  .refine((v) => (v < 0n ? -v : v) < 10n ** 18n, 'This amount is too large for one cell.')
  .nullable();

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
export const saveInput = z.object({
  budgetId: z.uuid(),
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

export const getInput = z.object({ budgetId: z.uuid(), versionNumber: z.number().int().min(1).optional() });

export { lineText };
