/**
 * The zod schemas of imports: the JSON budget document (its JSON Schema, generated from here, is
 * committed as budget-import.schema.json and published in the README), and the parse options and
 * mapping corrections a router will take as input.
 */
import { z } from 'zod';
import { EXAMPLES } from '../goals/schema.ts';
import { isCurrency } from '../money/index.ts';
import { minorUnits, timestamp } from '../rest/schema.ts';

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
const EXAMPLE_IMPORT_ID = '4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';

/** An import's id, with the example the REST document shows for it. */
const importIdField = z
  .uuid()
  .meta({ description: 'The import, as POST /imports answered it.', example: EXAMPLE_IMPORT_ID });
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

export const importId = z.object({ importId: importIdField });

/** A corrected reading of the same file: the mapping from the preview and any option; the rest stays. */
export const remapInput = z.object({
  importId: uuid,
  mapping: mappingOverride.nullish(),
  options: importOptions.partial().optional(),
});

/** Commits every valid row. With rejected cells the person must say to leave them out. */
export const commitInput = z
  .object({
    importId: importIdField,
    skipRejected: z
      .boolean()
      .default(false)
      .meta({ description: 'Import the valid rows and leave the rejected cells out (needed when there are any).' }),
  })
  .meta({ examples: [{ importId: EXAMPLE_IMPORT_ID, skipRejected: true }] });

export const listInput = z.object({
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(100).default(20),
});

export const rejectedInput = z.object({
  importId: uuid,
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(500).default(100),
});

// ---------------------------------------------------------------------------------------------
// The REST API (/api/v1, rest/openapi.ts). An integrator starts an import with JSON, since
// trpc-to-openapi publishes no multipart body: a Google Sheets link, a file (xlsx, CSV or JSON) as
// base64, or the budget document itself inline. A file is decoded and checked as an upload is; the
// inline document is stored as the bytes of a JSON file. Either is then read by the same parse job
// as an uploaded file (service.ts `startJson`), so lines and amounts are checked there, each bad
// cell reported with its coordinate or path.

/** The document's envelope as the request checks it; its lines are checked by the parse job. */
export const budgetImportEnvelope = budgetImportDocument.extend({ lines: z.array(z.unknown()) });

/** A JSON budget document sent inline (REST). */
export const documentSource = z.object({
  kind: z.literal('document'),
  /** The name the import is listed under; default "document.json". */
  fileName: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .optional()
    .meta({ description: 'The name the import is listed under (default "document.json").' }),
  document: budgetImportEnvelope.meta({
    // The document in full (budget-import.schema.json), though the request checks only its envelope.
    override: ({ jsonSchema }: { jsonSchema: Record<string, unknown> }) => {
      for (const key of Object.keys(jsonSchema)) delete jsonSchema[key];
      const { $schema: _, ...full } = z.toJSONSchema(budgetImportDocument, { target: 'draft-2020-12', io: 'input' });
      Object.assign(jsonSchema, full, {
        description:
          'The budget as a JSON budget document (the schema published as budget-import.schema.json). Its lines and amounts are checked by the parse, as for an uploaded file: a bad amount is a rejected cell in the report, the rest is imported.',
      });
    },
  }),
});

/**
 * A file sent inline (REST): its name and its bytes as base64. Decoded, it is an upload of that
 * file: the same size limit (on the decoded bytes), the same reading of its kind from its content
 * and name, the same parse.
 */
export const fileSource = z.object({
  kind: z.literal('file'),
  name: z.string().trim().min(1, 'Give the file’s name, such as "plan-2027.xlsx".').max(255).meta({
    description:
      'The file’s name, such as "plan-2027.xlsx"; the import is listed under it. What the file is (an Excel workbook, CSV or a JSON budget document) is read from its content; a name ending in .xlsx says a workbook was meant.',
  }),
  contentBase64: z
    .base64(
      'Send the file’s bytes as base64 on one line (RFC 4648: A–Z, a–z, 0–9, + and /, padded with =), as `base64 -w0 budget.xlsx` prints it.',
    )
    .meta({
      description:
        'The file’s bytes, base64-encoded (RFC 4648, no line breaks). The upload limit applies to the decoded bytes (413 beyond it).',
    }),
});

/** A small CSV budget as the REST example's file. */
const EXAMPLE_CSV =
  'Category,Description,Jan 2027,Feb 2027\r\nTravel,Flights,1200.00,980.50\r\nOffice,Rent,2500,2500\r\n';

const EXAMPLE_DOCUMENT = {
  currency: 'EUR',
  granularity: 'monthly',
  lines: [
    { category: 'Travel', description: 'Flights', amounts: { '2027-01': '1200.00', '2027-02': '980.50' } },
    { category: 'Office', description: 'Rent', amounts: { '2027-01': '2500', '2027-02': 'n/a' } },
  ],
};

/** imports.startJson: a link, a file as base64 or an inline document, as JSON (REST `POST /imports`). */
export const startJsonInput = z
  .object({
    source: z.discriminatedUnion('kind', [googleSource, fileSource, documentSource]),
    target: importTarget,
    options: importOptions.default({ locale: 'en-US' }),
  })
  .meta({
    examples: [
      {
        source: { kind: 'file', name: 'plan-2027.csv', contentBase64: btoa(EXAMPLE_CSV) },
        target: { kind: 'budget', budgetId: EXAMPLES.budgetId, mode: 'replace' },
      },
      {
        source: { kind: 'document', fileName: 'plan-2027.json', document: EXAMPLE_DOCUMENT },
        target: {
          kind: 'new-budget',
          goalId: EXAMPLES.goalId,
          name: 'Plan 2027',
          periodStart: '2027-01-01',
          periods: 12,
        },
      },
      {
        source: {
          kind: 'google',
          url: 'https://docs.google.com/spreadsheets/d/1SharedSheetAbCdEfGhIjKlMnOpQrStUvWxYz0123/edit',
        },
        target: { kind: 'budget', budgetId: EXAMPLES.budgetId, mode: 'merge' },
        options: { locale: 'de-DE' },
      },
    ],
  });

// ---------------------------------------------------------------------------------------------
// Answers (service.ts `view`, `reportCsv`): the REST document describes them, and tRPC checks
// every answer against them (rest/schema.ts for money and timestamps).

const periodDay = z.string().meta({ description: 'A period: its first day, YYYY-MM-DD.', example: '2027-01-01' });
const granularity = z.enum(['monthly', 'quarterly']);
const labelled = z.object({ col: z.number().int(), label: z.string() });

export const importState = z.enum(['queued', 'parsing', 'ready', 'importing', 'done', 'failed', 'cancelled']).meta({
  description:
    'queued → parsing → ready (the dry run: see canCommit) → importing → done, or failed; cancelled before the commit.',
});

export const columnMappingOutput = z.object({
  category: z.number().int().meta({ description: 'Columns are 1-based: A is 1.' }),
  description: z.number().int().nullable(),
  notes: z.number().int().nullable(),
  periods: z.array(z.object({ col: z.number().int(), period: periodDay, label: z.string(), granularity })),
  totalColumns: z.array(z.object({ col: z.number().int(), label: z.string(), periods: z.array(periodDay) })),
  ignored: z.array(labelled),
});

const problemOutput = z.object({
  code: z.enum([
    'empty',
    'no-header',
    'no-periods',
    'no-category',
    'year-missing',
    'granularity',
    'quarter-misaligned',
    'duplicate-period',
    'out-of-range',
    'mapping-invalid',
    'no-lines',
    'currency',
  ]),
  message: z.string(),
});

export const rejectedCellOutput = z.object({
  coordinate: z.string().meta({ description: 'Sheet1!D14, or a JSON path (lines[3].amounts["2027-02"]).' }),
  row: z.number().int(),
  column: z.string().meta({ description: 'The column letter, or the JSON field.' }),
  rule: z.enum([
    'amount',
    'wrong-type',
    'error-value',
    'formula-result',
    'category-missing',
    'too-long',
    'period',
    'json-schema',
    'json-precision',
  ]),
  value: z.string(),
  message: z.string(),
});

const targetOutput = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('new-budget'),
    goalId: z.uuid(),
    goalName: z.string().nullable(),
    name: z.string(),
    currency: z.string().nullable(),
    fxRate: z.string().optional(),
    granularity,
    periodStart: z.string().optional(),
    periods: z.number().int().optional(),
  }),
  z.object({
    kind: z.literal('budget'),
    budgetId: z.uuid(),
    budgetName: z.string().nullable(),
    mode: z.enum(['replace', 'merge']),
    currency: z.string().nullable(),
  }),
  z.object({
    kind: z.literal('forecast'),
    forecastId: z.uuid(),
    forecastName: z.string().nullable(),
    field: z.enum(['forecast', 'actual']),
    mode: z.enum(['replace', 'merge']),
    budgetId: z.uuid().nullable(),
    budgetName: z.string().nullable(),
    currency: z.string().nullable(),
  }),
]);

const parseOutput = z.object({
  format: z.enum(['xlsx', 'csv', 'json', 'rows']),
  sheet: z.string(),
  sheets: z.array(z.object({ name: z.string(), hidden: z.boolean() })),
  headerRow: z.number().int().nullable(),
  headers: z
    .array(labelled)
    .meta({ description: "The header row's labelled columns as the file shows them (empty for JSON)." }),
  mapping: columnMappingOutput.nullable(),
  proposed: z
    .boolean()
    .meta({ description: 'Whether the mapping was proposed from the headers (false once corrected).' }),
  currency: z.string(),
  granularity,
  periods: z.object({ first: periodDay, last: periodDay }).nullable(),
  problems: z
    .array(problemOutput)
    .meta({ description: 'What blocks the import as a whole until the file or the mapping changes.' }),
  warnings: z.array(z.string()),
  stats: z.object({
    rows: z.number().int(),
    lines: z.number().int(),
    cells: z.number().int(),
    rejectedCells: z.number().int(),
    blankRows: z.number().int(),
    totalRows: z.number().int(),
    headings: z.number().int(),
  }),
  ok: z.boolean(),
  rejected: z.array(rejectedCellOutput).meta({ description: 'The first 100 rejected cells; all in the report.' }),
  rejectedTotal: z.number().int(),
  mismatches: z.array(
    z.object({
      coordinate: z.string(),
      row: z.number().int(),
      column: z.number().int(),
      kind: z.enum(['row', 'column']),
      label: z.string(),
      period: periodDay.nullable(),
      expected: minorUnits,
      found: minorUnits,
      difference: minorUnits,
      withinRounding: z.boolean(),
    }),
  ),
  preview: z
    .array(
      z.object({
        row: z.number().int(),
        category: z.string(),
        description: z.string().nullable(),
        notes: z.string().nullable(),
        amounts: z.record(z.string(), minorUnits).meta({ description: 'Minor units by period (its first day).' }),
      }),
    )
    .nullable()
    .meta({ description: 'The first 100 lines as they will be imported (while ready or importing).' }),
  diff: z
    .object({
      mode: z.enum(['replace', 'merge']),
      lines: z.object({
        added: z.number().int(),
        changed: z.number().int(),
        removed: z.number().int(),
        unchanged: z.number().int(),
      }),
      cells: z.object({ added: z.number().int(), changed: z.number().int(), removed: z.number().int() }),
      unmatched: z.number().int(),
      empty: z.boolean(),
      items: z.array(
        z.object({
          change: z.enum(['added', 'changed', 'removed']),
          row: z.number().int().nullable(),
          lineKey: z.string().nullable(),
          category: z.string(),
          description: z.string().nullable(),
          fields: z.array(z.enum(['category', 'description', 'notes'])),
          cells: z.array(z.object({ period: periodDay, before: minorUnits.nullable(), after: minorUnits.nullable() })),
        }),
      ),
    })
    .nullable()
    .meta({ description: 'What the import changes in an existing budget or forecast (null for a new budget).' }),
});

export const importView = z
  .object({
    id: z.uuid(),
    kind: z.enum(['budget', 'forecast']),
    state: importState,
    fileName: z.string(),
    source: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('upload'), size: z.number().int(), contentType: z.string().nullable() }),
      z.object({ kind: z.literal('google'), url: z.string() }),
    ]),
    target: targetOutput,
    options: importOptions.extend({ mapping: mappingOverride.nullish() }),
    progress: z.object({ rows: z.number().int(), total: z.number().int().nullable() }),
    parse: parseOutput.nullable().meta({ description: 'The dry run, once the file was read.' }),
    canCommit: z.boolean(),
    needsSkipRejected: z.boolean(),
    error: z.string().nullable(),
    result: z
      .object({
        budgetId: z.uuid(),
        forecastId: z.uuid().nullable(),
        lines: z.object({ added: z.number().int(), changed: z.number().int(), removed: z.number().int() }),
        cells: z.object({ written: z.number().int() }),
        logRows: z.number().int(),
      })
      .nullable(),
    budgetId: z.uuid().nullable(),
    forecastId: z.uuid().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    finishedAt: timestamp.nullable(),
  })
  .meta({
    examples: [
      {
        id: EXAMPLE_IMPORT_ID,
        kind: 'budget',
        state: 'ready',
        fileName: 'plan-2027.json',
        source: { kind: 'upload', size: 231, contentType: 'application/json' },
        target: {
          kind: 'new-budget',
          goalId: EXAMPLES.goalId,
          goalName: 'New office',
          name: 'Plan 2027',
          currency: 'EUR',
          granularity: 'monthly',
          periodStart: '2027-01-01',
          periods: 12,
        },
        options: { locale: 'en-US' },
        progress: { rows: 2, total: 2 },
        parse: {
          format: 'json',
          sheet: 'plan-2027.json',
          sheets: [],
          headerRow: null,
          headers: [],
          mapping: null,
          proposed: false,
          currency: 'EUR',
          granularity: 'monthly',
          periods: { first: '2027-01-01', last: '2027-02-01' },
          problems: [],
          warnings: [],
          stats: { rows: 2, lines: 2, cells: 3, rejectedCells: 1, blankRows: 0, totalRows: 0, headings: 0 },
          ok: false,
          rejected: [
            {
              coordinate: 'lines[1].amounts["2027-02"]',
              row: 2,
              column: 'amounts["2027-02"]',
              rule: 'json-schema',
              value: '"n/a"',
              message: 'Write amounts as plain decimal strings, such as "1234.56" (no grouping or currency).',
            },
          ],
          rejectedTotal: 1,
          mismatches: [],
          preview: [
            {
              row: 1,
              category: 'Travel',
              description: 'Flights',
              notes: null,
              amounts: { '2027-01-01': '120000', '2027-02-01': '98050' },
            },
            { row: 2, category: 'Office', description: 'Rent', notes: null, amounts: { '2027-01-01': '250000' } },
          ],
          diff: null,
        },
        canCommit: true,
        needsSkipRejected: true,
        error: null,
        result: null,
        budgetId: null,
        forecastId: null,
        createdAt: EXAMPLES.at,
        updatedAt: EXAMPLES.at,
        finishedAt: null,
      },
    ],
  });

export const reportOutput = z
  .object({
    fileName: z.string(),
    contentType: z.literal('text/csv; charset=utf-8'),
    csv: z.string().meta({ description: 'The rejected cells, then the totals that do not add up, as CSV.' }),
  })
  .meta({
    examples: [
      {
        fileName: 'plan-2027 - import report.csv',
        contentType: 'text/csv; charset=utf-8',
        csv: '\uFEFF"coordinate","row","column","rule","value","message"\r\n"lines[1].amounts[""2027-02""]","2","amounts[""2027-02""]","json-schema","""n/a""","Write amounts as plain decimal strings, such as ""1234.56"" (no grouping or currency)."\r\n',
      },
    ],
  });
