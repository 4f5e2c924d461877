import { z } from 'zod';
import { amount } from '../budgets/schema.ts';
import { isoDate } from '../goals/schema.ts';

export const forecastId = z.object({ forecastId: z.uuid() });
const name = z.string().trim().min(1, 'Enter a name.').max(200, 'Use at most 200 characters.');

export const createInput = z.object({ budgetId: z.uuid(), name });
export const renameInput = z.object({ forecastId: z.uuid(), name });

export const FORECAST_FIELDS = ['forecast', 'actual'] as const;

/** One save from the forecast grid: each cell with the value it was edited from (see budgets.save). */
export const saveInput = z.object({
  forecastId: z.uuid(),
  cells: z
    .array(z.object({ lineKey: z.uuid(), period: isoDate, field: z.enum(FORECAST_FIELDS), from: amount, to: amount }))
    .max(120_000, 'Save at most 120,000 cells at once.'),
});

export const historyInput = z.object({
  forecastId: z.uuid(),
  lineKey: z.uuid().optional(),
  period: isoDate.optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});
