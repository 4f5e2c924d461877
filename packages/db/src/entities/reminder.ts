import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Budget } from './budget.ts';
import { createdStamp, updatedStamp, uuidKey } from './columns.ts';
import { Forecast } from './forecast.ts';
import { Goal } from './goal.ts';
import { tenant } from './organisation.ts';
import { User } from './user.ts';

/**
 * once, daily, weekly, monthly and before_target are wall-clock schedules in the owner's time zone
 * (users.time_zone); approval is the workflow's automatic reminder, in elapsed hours.
 */
export const REMINDER_SCHEDULES = ['once', 'daily', 'weekly', 'monthly', 'before_target', 'approval'] as const;
export type ReminderSchedule = (typeof REMINDER_SCHEDULES)[number];
export const REMINDER_AUDIENCES = ['self', 'collaborators', 'approvers'] as const;
export type ReminderAudience = (typeof REMINDER_AUDIENCES)[number];

/** What an automatic approval reminder remembers from the workflow event that started it. */
export interface ApprovalReminderData {
  /** The workflow event that started the wait: a redelivery of it leaves the schedule alone. */
  eventId: string;
  /** When the budget was submitted. */
  waitingSince: string;
  versionNumber: number;
  approvers: string[];
  supervisor: string | null;
  /** When the supervisor was told (after the configured number of reminders); null until then. */
  escalatedAt: string | null;
}

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
    /** Wall-clock schedules: the first local date (weekly keeps its weekday, monthly its day). */
    localDate: p.date().nullable(),
    /** Wall-clock schedules: the local time of day, HH:MM. */
    localTime: p.string().length(5).nullable(),
    daysBefore: p.integer().nullable(),
    data: p.json<ApprovalReminderData>().nullable(),
    /** Automatic approval reminders are created by the workflow, not by a person. */
    automatic: p.boolean().default(false),
    pausedAt: p.datetime().nullable(),
    nextFireAt: p.datetime().nullable(),
    firedCount: p.integer().default(0),
    createdAt: createdStamp(),
    updatedAt: updatedStamp(),
  },
  // The scheduler scans for due, unpaused reminders.
  indexes: [
    { name: 'reminders_due_idx', properties: ['nextFireAt'], where: 'paused_at is null' },
    { name: 'reminders_budget_idx', properties: ['budget'] },
  ],
  // A budget waiting for approval has one automatic reminder, whatever the workflow redelivers.
  uniques: [
    {
      name: 'reminders_automatic_budget_unique',
      expression:
        'create unique index "reminders_automatic_budget_unique" on "reminders" ("budget_id") where automatic',
    },
  ],
  checks: [{ name: 'reminders_one_subject', expression: 'num_nonnulls(goal_id, budget_id, forecast_id) = 1' }],
});
export type Reminder = InferEntity<typeof Reminder>;

/**
 * Each occurrence of a reminder that fired. The primary key makes an occurrence fire once however
 * many scheduler jobs run at the same time, and across restarts.
 */
export const ReminderOccurrence = defineEntity({
  name: 'ReminderOccurrence',
  tableName: 'reminder_occurrences',
  properties: {
    reminder: () => p.manyToOne(Reminder).primary().deleteRule('cascade'),
    occurrenceAt: p.datetime().primary(),
    org: tenant,
    firedAt: p.datetime(),
  },
});
export type ReminderOccurrence = InferEntity<typeof ReminderOccurrence>;
