import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Budget } from './budget.ts';
import { createdStamp, uuidKey } from './columns.ts';
import { Forecast } from './forecast.ts';
import { tenant } from './organisation.ts';
import { User } from './user.ts';

export const THREAD_STATUSES = ['open', 'resolved'] as const;

/**
 * A comment thread on one cell. It is anchored to the line's stable key and the period, not to a
 * row index, so reordering rows and new revisions keep it on the right cell.
 */
export const CommentThread = defineEntity({
  name: 'CommentThread',
  tableName: 'comment_threads',
  properties: {
    id: uuidKey(),
    org: tenant,
    budget: () => p.manyToOne(Budget).nullable().deleteRule('cascade'),
    forecast: () => p.manyToOne(Forecast).nullable().deleteRule('cascade'),
    lineKey: p.uuid(),
    period: p.date().nullable(),
    versionNumber: p.integer().nullable(),
    status: p.enum(THREAD_STATUSES).default('open'),
    createdBy: () => p.manyToOne(User).deleteRule('restrict'),
    createdAt: createdStamp(),
    resolvedBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    resolvedAt: p.datetime().nullable(),
    carriedFrom: () => p.manyToOne(CommentThread).nullable().deleteRule('set null'),
  },
  indexes: [
    { name: 'comment_threads_budget_idx', properties: ['budget', 'status'] },
    { name: 'comment_threads_forecast_idx', properties: ['forecast', 'status'] },
  ],
  checks: [{ name: 'comment_threads_one_subject', expression: 'num_nonnulls(budget_id, forecast_id) = 1' }],
});
export type CommentThread = InferEntity<typeof CommentThread>;

export const Comment = defineEntity({
  name: 'Comment',
  tableName: 'comments',
  properties: {
    id: uuidKey(),
    org: tenant,
    thread: () => p.manyToOne(CommentThread).deleteRule('cascade'),
    author: () => p.manyToOne(User).deleteRule('restrict'),
    body: p.text(),
    /** User ids mentioned with @; a GIN index answers "mentioning me". */
    mentions: p.array().columnType('uuid[]').default([]),
    createdAt: createdStamp(),
    editedAt: p.datetime().nullable(),
  },
  indexes: [
    { name: 'comments_thread_idx', properties: ['thread', 'createdAt'] },
    { name: 'comments_mentions_idx', properties: ['mentions'], type: 'gin' },
  ],
});
export type Comment = InferEntity<typeof Comment>;
