import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Budget } from './budget.ts';
import { createdStamp, uuidKey } from './columns.ts';
import { Forecast } from './forecast.ts';
import { Goal } from './goal.ts';
import { tenant } from './organisation.ts';
import { User } from './user.ts';

export const GRANT_LEVELS = ['viewer', 'commenter', 'editor', 'approver'] as const;
export type GrantLevel = (typeof GRANT_LEVELS)[number];

/**
 * A share: one user's access to one goal, budget or forecast. Exactly one subject column is set
 * (checked by the database), so each subject keeps a real foreign key.
 */
export const Grant = defineEntity({
  name: 'Grant',
  tableName: 'grants',
  properties: {
    id: uuidKey(),
    org: tenant,
    goal: () => p.manyToOne(Goal).nullable().deleteRule('cascade'),
    budget: () => p.manyToOne(Budget).nullable().deleteRule('cascade'),
    forecast: () => p.manyToOne(Forecast).nullable().deleteRule('cascade'),
    grantee: () => p.manyToOne(User).deleteRule('cascade'),
    level: p.enum(GRANT_LEVELS),
    grantedBy: () => p.manyToOne(User).deleteRule('restrict'),
    expiresAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    createdAt: createdStamp(),
  },
  indexes: [
    // "What is shared with me".
    { name: 'grants_grantee_idx', properties: ['grantee'] },
    // One live (unrevoked) grant per person and subject, and the access check's lookup: the
    // policy asks for the grants of one person on an object and its goal (and budget) at once.
    {
      name: 'grants_live_subject_grantee_unique',
      expression:
        'create unique index "grants_live_subject_grantee_unique" on "grants" (coalesce(goal_id, budget_id, forecast_id), grantee_id) where revoked_at is null',
    },
    { name: 'grants_goal_idx', properties: ['goal'] },
    { name: 'grants_budget_idx', properties: ['budget'] },
    { name: 'grants_forecast_idx', properties: ['forecast'] },
  ],
  checks: [{ name: 'grants_one_subject', expression: 'num_nonnulls(goal_id, budget_id, forecast_id) = 1' }],
});
export type Grant = InferEntity<typeof Grant>;
