import { z } from 'zod';
import { isoDate } from '../goals/schema.ts';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a time like 09:00 (24-hour).');

/** The goal, budget or forecast a reminder is about (exactly one). */
export const subject = z.union(
  [
    z.object({ goalId: z.uuid() }).strict(),
    z.object({ budgetId: z.uuid() }).strict(),
    z.object({ forecastId: z.uuid() }).strict(),
  ],
  { error: 'Say what the reminder is about: a goalId, a budgetId or a forecastId.' },
);

/**
 * When it fires, in the owner's time zone (Account → Notifications): once at a date and time;
 * every day, week (on startDate's weekday) or month (on startDate's day; the 31st means the last
 * day of shorter months) from startDate; or daysBefore the goal's target date.
 */
export const schedule = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('once'), date: isoDate, time }),
    z.object({ kind: z.literal('daily'), startDate: isoDate, time }),
    z.object({ kind: z.literal('weekly'), startDate: isoDate, time }),
    z.object({ kind: z.literal('monthly'), startDate: isoDate, time }),
    z.object({
      kind: z.literal('before_target'),
      daysBefore: z.number().int().min(0).max(3650, 'At most 3650 days before.'),
      time,
    }),
  ],
  { error: 'Choose when: once, daily, weekly, monthly or before_target.' },
);

const message = z.string().trim().min(1, 'Write what to remind of.').max(2000, 'Use at most 2000 characters.');
/** self: only the owner; collaborators: everyone working on the subject (needs comment rights). */
const audience = z.enum(['self', 'collaborators']);

export const listInput = subject;
export const createInput = z.object({ subject, message, schedule, audience: audience.default('self') });
export const updateInput = z.object({
  reminderId: z.uuid(),
  message: message.optional(),
  schedule: schedule.optional(),
  audience: audience.optional(),
});
export const pauseInput = z.object({ reminderId: z.uuid(), paused: z.boolean() });
export const reminderId = z.object({ reminderId: z.uuid() });
