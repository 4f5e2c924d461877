import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Budget } from './budget.ts';
import { createdStamp, updatedStamp, uuidKey } from './columns.ts';
import { Forecast } from './forecast.ts';
import { tenant } from './organisation.ts';
import { User } from './user.ts';

export const IMPORT_KINDS = ['users', 'budget', 'forecast'] as const;
/**
 * Users: validated -> queued -> running -> done | failed. Budgets and forecasts: queued (parse
 * waiting) -> parsing -> ready (the dry run, for review) -> importing -> done | failed; cancelled
 * when the person lets it go before the commit.
 */
export const IMPORT_STATUSES = [
  'validated',
  'queued',
  'running',
  'parsing',
  'ready',
  'importing',
  'done',
  'failed',
  'cancelled',
] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** An upload being checked or committed in the background: bulk users now, budgets later. */
export const Import = defineEntity({
  name: 'Import',
  tableName: 'imports',
  properties: {
    id: uuidKey(),
    org: tenant,
    kind: p.enum(IMPORT_KINDS),
    createdBy: () => p.manyToOne(User).deleteRule('restrict'),
    status: p.enum(IMPORT_STATUSES),
    fileName: p.string().length(255),
    contentType: p.string().length(100).nullable(),
    /** The uploaded text, kept until the import is committed so the job reads exactly what was checked. */
    content: p.text().nullable().lazy(),
    totalRows: p.integer().default(0),
    processedRows: p.integer().default(0),
    errorCount: p.integer().default(0),
    /** Rows with at least one problem (a row can have several). */
    problemRows: p.integer().default(0),
    /** Rows for people who already have an account when the file is checked. */
    existingRows: p.integer().default(0),
    /** The commit's outcome: people registered, people updated, rows left alone (existing, unchanged or skipped). */
    createdRows: p.integer().default(0),
    updatedRows: p.integer().default(0),
    skippedRows: p.integer().default(0),
    report: p.json<Record<string, unknown>>().nullable().lazy(),
    error: p.text().nullable(),
    budget: () => p.manyToOne(Budget).nullable().deleteRule('set null'),
    forecast: () => p.manyToOne(Forecast).nullable().deleteRule('set null'),
    /** Budget imports: where the lines go (imports/schema.ts importTarget), as chosen at the start. */
    target: p.json<Record<string, unknown>>().nullable(),
    /** Budget imports: how the file is read (locale, sheet, mapping, …), changed by a remap. */
    options: p.json<Record<string, unknown>>().nullable(),
    /** Budget imports: where the file came from (`upload` with size and SHA-256, or a `google` link). */
    source: p.json<Record<string, unknown>>().nullable(),
    /** A Google OAuth access token, kept only until the sheet is downloaded. */
    sourceToken: p.text().nullable().lazy(),
    createdAt: createdStamp(),
    updatedAt: updatedStamp(),
    finishedAt: p.datetime().nullable(),
  },
  indexes: [
    { name: 'imports_created_by_idx', properties: ['createdBy', 'createdAt'] },
    // Housekeeping finds unused and stalled imports by state and age.
    { name: 'imports_status_updated_idx', properties: ['kind', 'status', 'updatedAt'] },
  ],
});
export type Import = InferEntity<typeof Import>;

/**
 * The bytes of a budget import's file (an upload, or a Google sheet as downloaded), kept apart from
 * the imports row so lists never read them, and so the parse and the commit jobs read exactly the
 * bytes that were checked. Dropped when the import is done, failed or cancelled.
 */
export const ImportFile = defineEntity({
  name: 'ImportFile',
  tableName: 'import_files',
  properties: {
    import: () => p.oneToOne(Import).primary().owner().deleteRule('cascade'),
    org: tenant,
    bytes: p.blob(),
    size: p.integer(),
    sha256: p.string().length(64),
    createdAt: createdStamp(),
  },
});
export type ImportFile = InferEntity<typeof ImportFile>;

/**
 * A budget import's parsed lines, staged by the parse job in file order: the preview and the diff
 * read them, and the commit writes exactly them, without reading the file again. Replaced by a
 * remap; dropped when the import ends.
 */
export const ImportLine = defineEntity({
  name: 'ImportLine',
  tableName: 'import_lines',
  properties: {
    import: () => p.manyToOne(Import).primary().deleteRule('cascade'),
    position: p.integer().primary(),
    org: tenant,
    /** The sheet row (or the line's place in a JSON document). */
    row: p.integer(),
    category: p.string().length(200),
    description: p.string().length(500).nullable(),
    notes: p.text().nullable(),
    /** Minor units as decimal strings by period (`{"2027-01-01": "123456"}`); an empty cell has no key. */
    amounts: p.json<Record<string, string>>(),
  },
});
export type ImportLine = InferEntity<typeof ImportLine>;
