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

export type MappingOverrideInput = z.infer<typeof mappingOverride>;

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

// ---------------------------------------------------------------------------------------------
// The imports router's input (router.ts). An upload travels as multipart/form-data (tRPC v11's
// FormData input, sent by the web client's httpLink, never the batch link): the file in the `file`
// field and everything else as JSON text in the `input` field, built with `importFormData`. A
// Google Sheets link needs no file and travels as ordinary JSON. Either way the request only
// stores the bytes (or the link) and queues the parse; nothing is parsed in the request.

const uuid = z.uuid();
const isoMonth = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-01$/, 'A period starts on the first day of a month: 2027-01-01.');

/** Where the lines go. */
export const importTarget = z.discriminatedUnion('kind', [
  /** A new budget under a goal the person may edit; its periods default to the file's. */
  z.object({
    kind: z.literal('new-budget'),
    goalId: uuid,
    name: z.string().trim().min(1, 'Enter a name.').max(200, 'Use at most 200 characters.'),
    /** Defaults to the goal's currency; another one needs fxRate (as budgets.create). */
    currency: z.string().refine(isCurrency, 'An ISO 4217 currency code, such as EUR.').optional(),
    fxRate: z
      .string()
      .regex(/^\d{1,10}(\.\d{1,10})?$/, 'Enter the rate as a number with a dot, like 1.0845.')
      .optional(),
    granularity: z.enum(['monthly', 'quarterly']).default('monthly'),
    /** The first period and how many: both or neither (then the file's first to last period). */
    periodStart: isoMonth.optional(),
    periods: z.number().int().min(1).max(60).optional(),
  }),
  /** An existing budget's current version: `replace` makes it the file; `merge` only adds and overwrites. */
  z.object({ kind: z.literal('budget'), budgetId: uuid, mode: z.enum(['replace', 'merge']) }),
  /**
   * A forecast's forecast or actual figures. File lines are matched to the budget's lines by
   * category and description; a line the budget does not have is rejected (reported, not added).
   */
  z.object({
    kind: z.literal('forecast'),
    forecastId: uuid,
    field: z.enum(['forecast', 'actual']),
    mode: z.enum(['replace', 'merge']).default('merge'),
  }),
]);
export type ImportTarget = z.infer<typeof importTarget>;

/** How to read the file: everything but the budget's own facts (currency, granularity, range). */
export const importOptions = z.object({
  /** The locale amounts typed as text are read in (`de-DE` reads 1.234,56), and month names. */
  locale: z.string().min(2).max(35).default('en-US'),
  fiscalYearStartMonth: z.number().int().min(1).max(12).optional(),
  year: z.number().int().min(1900).max(2200).optional(),
  /** xlsx: the sheet to read (default the first visible sheet with content). */
  sheet: z.string().min(1).max(200).optional(),
  headerRow: z.number().int().min(1).max(1000).optional(),
  delimiter: z.enum([',', ';', '\t']).optional(),
});
export type ImportOptions = z.infer<typeof importOptions>;

/** A Google Sheets link (the sheet's address, or its id), with the person's OAuth token for a private sheet. */
export const googleSource = z.object({
  kind: z.literal('google'),
  url: z.string().trim().min(1, 'Paste the sheet’s link.').max(2000),
  /** Used once to download the sheet, then forgotten; never stored with the import. */
  accessToken: z.string().min(1).max(4096).optional(),
});

/** imports.start with a link (JSON). */
export const startLinkInput = z.object({
  source: googleSource,
  target: importTarget,
  options: importOptions.default({ locale: 'en-US' }),
});
/** What the `input` field of an upload's FormData holds (JSON text). */
export const startUploadFields = z.object({
  target: importTarget,
  options: importOptions.default({ locale: 'en-US' }),
});
export type StartUploadFields = z.input<typeof startUploadFields>;

/** The FormData of an upload, built the one way the server reads it. */
export function importFormData(file: Blob, fileName: string, fields: StartUploadFields): FormData {
  const form = new FormData();
  form.set('input', JSON.stringify(fields));
  form.set('file', file, fileName);
  return form;
}

/** imports.start: an upload (FormData) or a link (JSON). */
export const startInput = z.union([z.instanceof(FormData), startLinkInput]);

export const importId = z.object({ importId: uuid });

/** A corrected reading of the same file: the mapping from the preview and any option; the rest stays. */
export const remapInput = z.object({
  importId: uuid,
  mapping: mappingOverride.nullish(),
  options: importOptions.partial().optional(),
});

/** Commits every valid row. With rejected cells the person must say to leave them out. */
export const commitInput = z.object({ importId: uuid, skipRejected: z.boolean().default(false) });

export const listInput = z.object({
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(100).default(20),
});

export const rejectedInput = z.object({
  importId: uuid,
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(500).default(100),
});
