/**
 * Reminders a person sets on a goal, budget or forecast: for themselves, or for everyone working
 * on it, once or recurring, in their own time zone (schedule.ts does the wall-clock arithmetic;
 * scheduler.ts fires them). Reading the subject is enough to remind yourself; reminding the
 * collaborators needs comment rights, as a message to them does. Only the owner sees, edits,
 * pauses or deletes their reminders; the workflow's automatic approval reminder is listed
 * read-only to everyone who can read the budget.
 */
import { Reminder, type ReminderSchedule } from '@goalpost/db';
import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import type { ActorContext, BaseContext } from '../context.ts';
import { authorize, type Subject } from '../policy/access.ts';
import { addDays, localParts, nextOccurrence, type WallClockSchedule, zonedInstant } from './schedule.ts';
import type * as schema from './schema.ts';

type Ctx = ActorContext;
type ScheduleInput = z.infer<typeof schema.schedule>;

const NOT_YOURS = 'This reminder does not exist, or it is not yours.';

function subjectOf(r: Reminder): Subject {
  if (r.forecast) return { forecastId: r.forecast.id };
  if (r.budget) return { budgetId: r.budget.id };
  return { goalId: (r.goal as NonNullable<Reminder['goal']>).id };
}

function subjectColumns(subject: Subject) {
  if ('forecastId' in subject) return { forecast: subject.forecastId };
  if ('budgetId' in subject) return { budget: subject.budgetId };
  return { goal: subject.goalId };
}

function scheduleView(r: Reminder) {
  const time = r.localTime ?? '09:00';
  const date = r.localDate ?? '';
  switch (r.schedule) {
    case 'once':
      return { kind: 'once' as const, date, time };
    case 'daily':
    case 'weekly':
    case 'monthly':
      return { kind: r.schedule, startDate: date, time };
    case 'before_target':
      return { kind: 'before_target' as const, daysBefore: r.daysBefore ?? 0, time };
    default:
      return { kind: 'approval' as const };
  }
}

function view(r: Reminder, timeZone: string, now: Date) {
  return {
    id: r.id,
    subject: subjectOf(r),
    message: r.message,
    schedule: scheduleView(r),
    audience: r.audience,
    automatic: r.automatic,
    ownerId: r.owner.id,
    paused: r.pausedAt != null,
    nextFireAt: r.nextFireAt ?? null,
    /** Its time has come and it has not fired yet: the next reminders-due run (each minute) fires it. */
    due: r.pausedAt == null && r.nextFireAt != null && r.nextFireAt.getTime() <= now.getTime(),
    firedCount: r.firedCount,
    /** The zone the times above are in (the owner's). */
    timeZone,
    createdAt: r.createdAt,
  };
}

function columnsOf(s: ScheduleInput): {
  schedule: ReminderSchedule;
  localDate: string | null;
  localTime: string;
  daysBefore: number | null;
} {
  if (s.kind === 'once') return { schedule: 'once', localDate: s.date, localTime: s.time, daysBefore: null };
  if (s.kind === 'before_target') {
    return { schedule: 'before_target', localDate: null, localTime: s.time, daysBefore: s.daysBefore };
  }
  return { schedule: s.kind, localDate: s.startDate, localTime: s.time, daysBefore: null };
}

async function timeZoneOf(ctx: BaseContext, userId: string): Promise<string> {
  const [row] = await ctx.em.execute<{ time_zone: string }[]>('select time_zone from users where id = ?', [userId]);
  return row?.time_zone ?? 'UTC';
}

async function targetDateOf(ctx: BaseContext, subject: Subject): Promise<string | null> {
  const [row] = await ctx.em.execute<{ target_date: string | null }[]>(
    `select g.target_date::text as target_date from goals g
     where g.id = coalesce(?::uuid, (select b.goal_id from budgets b where b.id = coalesce(?::uuid,
       (select f.budget_id from forecasts f where f.id = ?::uuid))))`,
    [
      'goalId' in subject ? subject.goalId : null,
      'budgetId' in subject ? subject.budgetId : null,
      'forecastId' in subject ? subject.forecastId : null,
    ],
  );
  return row?.target_date ?? null;
}

/** The next occurrence after now, or BAD_REQUEST saying why there is none. */
async function firstOccurrence(ctx: Ctx, subject: Subject, columns: ReturnType<typeof columnsOf>): Promise<Date> {
  const timeZone = await timeZoneOf(ctx, ctx.actor.id);
  const targetDate = columns.schedule === 'before_target' ? await targetDateOf(ctx, subject) : null;
  const next = nextOccurrence(
    { ...columns, schedule: columns.schedule as WallClockSchedule['schedule'], targetDate },
    ctx.services.clock.now(),
    timeZone,
  );
  if (next) return next;
  const message =
    columns.schedule === 'before_target'
      ? targetDate
        ? `schedule.daysBefore: ${columns.daysBefore} days before the target date (${targetDate}) at ${columns.localTime} has already passed. Choose fewer days.`
        : 'schedule: The goal has no target date to count back from. Set a target date on the goal first.'
      : `schedule.date: ${columns.localDate} at ${columns.localTime} (${timeZone}) has already passed. Choose a time ahead.`;
  throw new TRPCError({ code: 'BAD_REQUEST', message });
}

export async function list(ctx: Ctx, subject: z.infer<typeof schema.listInput>) {
  await authorize(ctx, 'read', subject);
  const reminders = await ctx.em.find(
    Reminder,
    { org: ctx.services.orgId, ...subjectColumns(subject), $or: [{ owner: ctx.actor.id }, { automatic: true }] },
    { orderBy: { automatic: 'desc', createdAt: 'asc', id: 'asc' } },
  );
  const timeZone = await timeZoneOf(ctx, ctx.actor.id);
  return reminders.map((r) => view(r, r.automatic ? 'UTC' : timeZone, ctx.services.clock.now()));
}

export async function create(ctx: Ctx, input: z.infer<typeof schema.createInput>) {
  await authorize(ctx, input.audience === 'collaborators' ? 'comment' : 'read', input.subject);
  const columns = columnsOf(input.schedule);
  const next = await firstOccurrence(ctx, input.subject, columns);
  const reminder = ctx.em.create(Reminder, {
    org: ctx.services.orgId,
    owner: ctx.actor.id,
    ...subjectColumns(input.subject),
    message: input.message,
    audience: input.audience,
    ...columns,
    startsAt: next,
    nextFireAt: next,
  });
  await ctx.em.flush();
  return view(reminder, await timeZoneOf(ctx, ctx.actor.id), ctx.services.clock.now());
}

async function own(ctx: Ctx, reminderId: string): Promise<Reminder> {
  const reminder = await ctx.em.findOne(Reminder, {
    id: reminderId,
    org: ctx.services.orgId,
    owner: ctx.actor.id,
    automatic: false,
  });
  if (!reminder) throw new TRPCError({ code: 'NOT_FOUND', message: NOT_YOURS });
  // Access to the subject may have ended since: then the reminder is out of reach too.
  await authorize(ctx, 'read', subjectOf(reminder)).catch(() => {
    throw new TRPCError({ code: 'NOT_FOUND', message: NOT_YOURS });
  });
  return reminder;
}

export async function update(ctx: Ctx, input: z.infer<typeof schema.updateInput>) {
  const reminder = await own(ctx, input.reminderId);
  const subject = subjectOf(reminder);
  if (input.audience === 'collaborators' && reminder.audience !== 'collaborators') {
    await authorize(ctx, 'comment', subject);
  }
  if (input.message !== undefined) reminder.message = input.message;
  if (input.audience !== undefined) reminder.audience = input.audience;
  if (input.schedule) {
    const columns = columnsOf(input.schedule);
    Object.assign(reminder, columns);
    const next = await firstOccurrence(ctx, subject, columns);
    reminder.startsAt = next;
    if (!reminder.pausedAt) reminder.nextFireAt = next;
  }
  await ctx.em.flush();
  return view(reminder, await timeZoneOf(ctx, ctx.actor.id), ctx.services.clock.now());
}

/** Pausing stops it; resuming continues from the next occurrence ahead (missed ones are not caught up). */
export async function pause(ctx: Ctx, input: z.infer<typeof schema.pauseInput>) {
  const reminder = await own(ctx, input.reminderId);
  if (input.paused) {
    reminder.pausedAt ??= ctx.services.clock.now();
  } else if (reminder.pausedAt) {
    reminder.pausedAt = null;
    const timeZone = await timeZoneOf(ctx, ctx.actor.id);
    const targetDate = reminder.schedule === 'before_target' ? await targetDateOf(ctx, subjectOf(reminder)) : null;
    reminder.nextFireAt = nextOccurrence(
      {
        schedule: reminder.schedule as WallClockSchedule['schedule'],
        localDate: reminder.localDate ?? null,
        localTime: reminder.localTime ?? '09:00',
        daysBefore: reminder.daysBefore ?? null,
        targetDate,
      },
      ctx.services.clock.now(),
      timeZone,
    );
  }
  await ctx.em.flush();
  return view(reminder, await timeZoneOf(ctx, ctx.actor.id), ctx.services.clock.now());
}

export async function remove(ctx: Ctx, input: z.infer<typeof schema.reminderId>) {
  const reminder = await own(ctx, input.reminderId);
  ctx.em.remove(reminder);
  await ctx.em.flush();
  return { deleted: true };
}

/**
 * After someone changes their time zone, from `from` to `to`. Their reminders keep their local
 * times: 09:00 every day stays 09:00 on the new wall clock. The occurrence each pending reminder
 * was waiting for has not fired, and a zone change never drops it:
 * - it keeps its local date and time, read in the new zone; a one-off's (or before-target's) date
 *   is its own, a recurring reminder's is the local date it was due on in the old zone, so moving
 *   west after today's 09:00 fired does not fire today's again, and moving east before it does
 *   not skip it;
 * - if that instant has already passed (a one-off set at 19:42 UTC at 19:40 UTC is, read as Berlin
 *   time, 18:42 UTC), the occurrence is due now: the next reminders-due run fires it, once, like any
 *   occurrence missed while the jobs were down, and the reminder then moves on to its next
 *   occurrence in the new zone (a one-off is then done);
 * - one already due stays due (the run fires it).
 * The list says "due now" for such a reminder (view's `due`), never "Done" before it fired.
 * Runs in the caller's transaction.
 */
export async function rescheduleForTimeZone(
  ctx: BaseContext,
  userId: string,
  zones: { from: string; to: string },
): Promise<number> {
  const reminders = await ctx.em.find(Reminder, {
    owner: userId,
    automatic: false,
    pausedAt: null,
    nextFireAt: { $ne: null },
  });
  const now = ctx.services.clock.now();
  for (const r of reminders) {
    const pending = r.nextFireAt as Date;
    if (pending.getTime() <= now.getTime()) continue;
    const targetDate = r.schedule === 'before_target' ? await targetDateOf(ctx, subjectOf(r)) : null;
    const date =
      r.schedule === 'once'
        ? r.localDate
        : r.schedule === 'before_target'
          ? targetDate && addDays(targetDate, -(r.daysBefore ?? 0))
          : localParts(pending, zones.from).date;
    if (!date) continue;
    const moved = zonedInstant(date, r.localTime ?? '09:00', zones.to);
    r.nextFireAt = moved.getTime() > now.getTime() ? moved : now;
  }
  return reminders.length;
}
