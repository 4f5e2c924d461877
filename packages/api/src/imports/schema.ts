/**
 * The zod schemas of imports: the JSON budget document (its JSON Schema, generated from here, is
 * committed as budget-import.schema.json and published in the README), and the parse options and
 * mapping corrections a router will take as input.
 */
import { z } from 'zod';
import { isCurrency } from '../money/index.ts';

/** `2027-01` (a month) or `2027-Q1` (a calendar quarter). */
export const PERIOD_KEY = /^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/;
/** A plain decimal: `1234.56`, `-80`, `0.5`. No grouping, no exponent, no currency. */
export const DECIMAL = /^-?\d+(\.\d+)?$/;

const amount = z.union([
  z.string().regex(DECIMAL, 'Write amounts as plain decimals, such as "1234.56".').meta({
    description: 'Preferred: a decimal string with at most the currency’s decimals, such as "1234.56".',
  }),
  z.number().meta({
    description:
      'Accepted with a warning: a JSON number loses precision beyond 2^53 minor units and cannot say how many decimals were meant.',
  }),
]);

export const budgetImportLine = z
  .strictObject({
    category: z.string().trim().min(1, 'A line needs a category.').max(200),
    description: z.string().trim().max(500).optional(),
    notes: z.string().max(10_000).optional(),
    amounts: z
      .record(z.string().regex(PERIOD_KEY, 'Period keys are YYYY-MM (or YYYY-Qn for quarterly budgets).'), amount)
      .default({})
      .meta({ description: 'Amount per period: keys YYYY-MM (monthly) or YYYY-Qn (calendar quarters).' }),
  })
  .meta({ title: 'Budget line' });

export const budgetImportDocument = z
  .strictObject({
    $schema: z.string().optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .refine(isCurrency, 'An ISO 4217 currency code, such as EUR.')
      .optional()
      .meta({ description: 'ISO 4217 code; when given it must be the budget’s currency.' }),
    granularity: z
      .enum(['monthly', 'quarterly'])
      .optional()
      .meta({ description: 'When given it must be the budget’s granularity.' }),
    lines: z.array(budgetImportLine).max(200_000),
  })
  .meta({
    title: 'Goalpost budget import',
    description: 'Lines of a budget with their amounts per period, for import into a Goalpost budget.',
  });

export type BudgetImportDocument = z.input<typeof budgetImportDocument>;

/** The JSON Schema published for the document (draft 2020-12); a test keeps the committed file equal. */
export function budgetImportJsonSchema(): Record<string, unknown> {
  const { $schema, ...schema } = z.toJSONSchema(budgetImportDocument, { target: 'draft-2020-12', io: 'input' });
  return { $schema, $id: 'https://goalpost.example/schemas/budget-import.schema.json', ...schema };
}

const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-01$/, 'A period is the first day of a month: 2027-01-01.');
const column = z.number().int().min(1).max(16_384);

/** A mapping corrected in the preview (see mapping.ts). */
export const mappingOverride = z.object({
  category: column,
  description: column.nullish(),
  notes: column.nullish(),
  periods: z
    .array(z.object({ col: column, period }))
    .min(1)
    .max(400),
  totalColumns: z
    .array(z.object({ col: column, periods: z.array(period).optional() }))
    .max(400)
    .optional(),
});

/** What a dry run or re-validation needs besides the file: the budget's and the person's choices. */
export const parseOptionsInput = z.object({
  currency: z.string().refine(isCurrency, 'An ISO 4217 currency code, such as EUR.'),
  granularity: z.enum(['monthly', 'quarterly']),
  locale: z.string().min(2).max(35),
  fiscalYearStartMonth: z.number().int().min(1).max(12).optional(),
  year: z.number().int().min(1900).max(2200).optional(),
  sheet: z.string().min(1).max(200).optional(),
  headerRow: z.number().int().min(1).optional(),
  mapping: mappingOverride.optional(),
  periodRange: z.object({ first: period, last: period }).optional(),
  delimiter: z.enum([',', ';', '\t']).optional(),
});
export type ParseOptionsInput = z.infer<typeof parseOptionsInput>;
