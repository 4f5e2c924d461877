import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Budget } from './budget.ts';
import { createdStamp, uuidKey } from './columns.ts';
import { Forecast } from './forecast.ts';
import { Goal } from './goal.ts';
import { tenant } from './organisation.ts';
import { User } from './user.ts';

export const REMINDER_SCHEDULES = ['once', 'daily', 'weekly', 'monthly', 'before_target'] as const;
export const REMINDER_AUDIENCES = ['self', 'collaborators'] as const;

export const Reminder = defineEntity({
  name: 'Reminder',
  tableName: 'reminders',
  properties: {
    id: uuidKey(),
    org: tenant,
    owner: () => p.manyToOne(User).deleteRule('cascade'),
    goal: () => p.manyToOne(Goal).nullable().deleteRule('cascade'),
    budget: () => p.manyToOne(Budget).nullable().deleteRule('cascade'),
    forecast: () => p.manyToOne(Forecast).nullable().deleteRule('cascade'),
    message: p.text(),
    schedule: p.enum(REMINDER_SCHEDULES),
    audience: p.enum(REMINDER_AUDIENCES).default('self'),
    /** First (or only) occurrence. */
    startsAt: p.datetime(),
    daysBefore: p.integer().nullable(),
    /** Automatic approval reminders are created by the workflow, not by a person. */
    automatic: p.boolean().default(false),
    pausedAt: p.datetime().nullable(),
    nextFireAt: p.datetime().nullable(),
    firedCount: p.integer().default(0),
    createdAt: createdStamp(),
  },
  // The scheduler scans for due, unpaused reminders.
  indexes: [{ name: 'reminders_due_idx', properties: ['nextFireAt'], where: 'paused_at is null' }],
  checks: [{ name: 'reminders_one_subject', expression: 'num_nonnulls(goal_id, budget_id, forecast_id) = 1' }],
});
export type Reminder = InferEntity<typeof Reminder>;
