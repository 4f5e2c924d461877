import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdStamp, updatedStamp, uuidKey } from './columns.ts';
import { tenant } from './organisation.ts';
import { User } from './user.ts';

export const GOAL_STATUSES = ['active', 'archived'] as const;

/** A financial goal. Money is integer minor units of `currency` (ISO 4217). */
export const Goal = defineEntity({
  name: 'Goal',
  tableName: 'goals',
  properties: {
    id: uuidKey(),
    org: tenant,
    owner: () => p.manyToOne(User).deleteRule('restrict'),
    name: p.string().length(200),
    description: p.text().nullable(),
    category: p.string().length(100).nullable(),
    targetAmountMinor: p.bigint('bigint'),
    currency: p.string().length(3),
    targetDate: p.date().nullable(),
    status: p.enum(GOAL_STATUSES).default('active'),
    version: p.integer().version(),
    createdAt: createdStamp(),
    updatedAt: updatedStamp(),
  },
  indexes: [{ name: 'goals_owner_idx', properties: ['org', 'owner', 'status'] }],
  checks: [{ name: 'goals_target_nonnegative', expression: 'target_amount_minor >= 0' }],
});
export type Goal = InferEntity<typeof Goal>;
