import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdStamp } from './columns.ts';
import { Goal } from './goal.ts';
import { tenant } from './organisation.ts';
import { User } from './user.ts';

/** Append-only history of goals: one row per changed field. */
export const GoalLog = defineEntity({
  name: 'GoalLog',
  tableName: 'goals_log',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    org: tenant,
    goal: () => p.manyToOne(Goal).deleteRule('cascade'),
    actor: () => p.manyToOne(User).deleteRule('restrict'),
    action: p.string().length(40),
    field: p.string().length(60).nullable(),
    oldValue: p.json<unknown>().nullable(),
    newValue: p.json<unknown>().nullable(),
    /** The request that made the change, as in the logs. */
    traceId: p.string().length(64).nullable(),
    at: createdStamp(),
  },
  indexes: [{ name: 'goals_log_goal_at_idx', properties: ['goal', 'at'] }],
});
export type GoalLog = InferEntity<typeof GoalLog>;
