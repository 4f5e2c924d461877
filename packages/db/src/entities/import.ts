import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Budget } from './budget.ts';
import { createdStamp, updatedStamp, uuidKey } from './columns.ts';
import { tenant } from './organisation.ts';
import { User } from './user.ts';

export const IMPORT_KINDS = ['users', 'budget', 'forecast'] as const;
export const IMPORT_STATUSES = ['validated', 'queued', 'running', 'done', 'failed'] as const;
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
