import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Goal } from './goal.ts';
import { Organisation } from './organisation.ts';
import { User } from './user.ts';

/** Append-only history of goals: one row per changed field. */
export const GoalLog = defineEntity({
  name: 'GoalLog',
  tableName: 'goals_log',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    org: () => p.manyToOne(Organisation).deleteRule('cascade'),
    goal: () => p.manyToOne(Goal).deleteRule('cascade'),
    actor: () => p.manyToOne(User).deleteRule('restrict'),
    action: p.string().length(40),
    field: p.string().length(60).nullable(),
    oldValue: p.json<unknown>().nullable(),
    newValue: p.json<unknown>().nullable(),
    at: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ name: 'goals_log_goal_at_idx', properties: ['goal', 'at'] }],
});
export type GoalLog = InferEntity<typeof GoalLog>;
