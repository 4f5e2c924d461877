/**
 * The reminder scheduler (the reminders-due job, every minute): fires every reminder whose time
 * has come, exactly once per occurrence, however many jobs workers run and across restarts.
 *
 * One batch is one transaction:
 *   1. claim due, unpaused reminders with `FOR UPDATE SKIP LOCKED` (another worker takes others);
 *   2. record each occurrence in reminder_occurrences, whose primary key (reminder, time) refuses
 *      a second firing of the same occurrence;
 *   3. for the occurrences recorded, write a 'reminder.due' (or approval reminder) event to the
 *      outbox, which the notifications consumer turns into notifications; an approval reminder
 *      names the budget's approvers (and, when it escalates, its final approvers) as the workflow
 *      decides them at that moment (workflow/events.ts recipientsOf);
 *   4. move each reminder to its next occurrence (wall-clock schedules in the owner's zone,
 *      schedule.ts; approval reminders every N hours), or to none.
 * A worker that dies mid-batch rolls all four back, and the next run fires the same occurrences.
 * Occurrences missed while nothing ran fire once, not once per missed day.
 */
import { type ApprovalReminderData, query, type ReminderAudience, type ReminderSchedule } from '@goalpost/db';
import type { ServiceContext } from '../context.ts';
import { collaboratorsOf } from '../notifications/collaborators.ts';
import { type DomainEvent, emitMany } from '../outbox/service.ts';
import { recipientsOf } from '../workflow/events.ts';
import { nextOccurrence } from './schedule.ts';

interface DueRow {
  id: string;
  org_id: string;
  owner_id: string;
  goal_id: string | null;
  budget_id: string | null;
  forecast_id: string | null;
  message: string;
  schedule: ReminderSchedule;
  audience: ReminderAudience;
  local_date: string | null;
  local_time: string | null;
  days_before: number | null;
  data: ApprovalReminderData | null;
  /** Timestamps come back from raw queries as text. */
  next_fire_at: string;
  fired_count: number;
  time_zone: string;
  target_date: string | null;
}

const HOUR_MS = 3_600_000;

export interface FireOutcome {
  fired: number;
  /** Occurrences another run had already fired (the reminder is only moved on). */
  alreadyFired: number;
}

/**
 * Fires all due reminders in batches of `batchSize`, `lanes` batches at a time (SKIP LOCKED keeps
 * the lanes' claims apart), so a minute with 100,000 reminders due is fired in seconds.
 */
export async function fireDueReminders(ctx: ServiceContext, batchSize = 2000, lanes = 3): Promise<FireOutcome> {
  const total: FireOutcome = { fired: 0, alreadyFired: 0 };
  const lane = async () => {
    for (;;) {
      const batch = await ctx.services.orm.em.fork().transactional((em) => fireBatch({ ...ctx, em }, batchSize));
      total.fired += batch.fired;
      total.alreadyFired += batch.alreadyFired;
      if (batch.claimed < batchSize) return;
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return total;
}

async function fireBatch(ctx: ServiceContext, limit: number): Promise<FireOutcome & { claimed: number }> {
  const now = ctx.services.clock.now();
  const due = await query<DueRow>(
    ctx.em,
    `select r.id, r.org_id, r.owner_id, r.goal_id, r.budget_id, r.forecast_id, r.message, r.schedule, r.audience,
            r.local_date::text as local_date, r.local_time, r.days_before, r.data, r.next_fire_at, r.fired_count,
            u.time_zone, t.target_date::text as target_date
     from reminders r
     join users u on u.id = r.owner_id
     left join lateral (
       select g.target_date from goals g
       where r.schedule = 'before_target' and g.id = coalesce(r.goal_id,
         (select b.goal_id from budgets b where b.id = coalesce(r.budget_id,
           (select f.budget_id from forecasts f where f.id = r.forecast_id))))
     ) t on true
     where r.paused_at is null and r.next_fire_at <= $1
     order by r.next_fire_at
     limit $2
     for update of r skip locked`,
    [now, limit],
  );
  if (due.length === 0) return { fired: 0, alreadyFired: 0, claimed: 0 };
  const dueAt = new Map(due.map((r) => [r.id, new Date(r.next_fire_at)]));

  const recorded = await query<{ reminder_id: string }>(
    ctx.em,
    `insert into reminder_occurrences (reminder_id, occurrence_at, org_id, fired_at)
     select x.reminder_id, x.occurrence_at, x.org_id, $2
     from json_to_recordset($1::json) as x(reminder_id uuid, occurrence_at timestamptz, org_id uuid)
     on conflict do nothing
     returning reminder_id`,
    [JSON.stringify(due.map((r) => ({ reminder_id: r.id, occurrence_at: dueAt.get(r.id), org_id: r.org_id }))), now],
  );
  const fired = new Set(recorded.map((r) => r.reminder_id));

  const events: (DomainEvent & { org: string })[] = [];
  const moves: { id: string; next_fire_at: Date | null; fired: number; data: ApprovalReminderData | null }[] = [];
  for (const r of due) {
    const isNew = fired.has(r.id);
    const at = dueAt.get(r.id) as Date;
    if (r.schedule === 'approval') {
      const data = r.data as ApprovalReminderData;
      const reminderNumber = r.fired_count + 1;
      // The approvers now, as the workflow decides them: grants and delegations change while a budget waits.
      const standing = isNew ? await recipientsOf(ctx, r.budget_id as string) : null;
      const escalate =
        standing !== null &&
        reminderNumber > ctx.services.settings.approvalEscalateAfter &&
        standing.finalApprovers.length > 0 &&
        data.escalatedAt === null;
      if (standing) {
        events.push({
          org: r.org_id,
          topic: 'reminders',
          type: escalate ? 'approval.escalated' : 'approval.reminder',
          key: r.id,
          payload: {
            budgetId: r.budget_id,
            versionNumber: data.versionNumber,
            reminderNumber,
            waitingSince: data.waitingSince,
            recipients: { approvers: standing.approvers, finalApprovers: escalate ? standing.finalApprovers : [] },
          },
        });
      }
      const every = ctx.services.settings.approvalRemindEveryHours * HOUR_MS;
      let next = at.getTime() + every;
      if (next <= now.getTime()) next += Math.ceil((now.getTime() - next + 1) / every) * every;
      moves.push({
        id: r.id,
        next_fire_at: new Date(next),
        fired: isNew ? 1 : 0,
        data: escalate ? { ...data, escalatedAt: now.toISOString() } : null,
      });
      continue;
    }
    if (isNew) {
      const subject = r.forecast_id
        ? { forecastId: r.forecast_id }
        : r.budget_id
          ? { budgetId: r.budget_id }
          : { goalId: r.goal_id as string };
      const recipients =
        r.audience === 'collaborators' ? (await collaboratorsOf(ctx.em, subject, now)).map((c) => c.id) : [r.owner_id];
      events.push({
        org: r.org_id,
        topic: 'reminders',
        type: 'reminder.due',
        key: r.id,
        payload: { reminderId: r.id, message: r.message, subject, recipients, occurrenceAt: at.toISOString() },
      });
    }
    const after = new Date(Math.max(now.getTime(), at.getTime()));
    const next = nextOccurrence(
      {
        schedule: r.schedule,
        localDate: r.local_date,
        localTime: r.local_time ?? '09:00',
        daysBefore: r.days_before,
        targetDate: r.target_date,
      },
      after,
      r.time_zone,
    );
    moves.push({ id: r.id, next_fire_at: next, fired: isNew ? 1 : 0, data: null });
  }

  await emitMany(ctx, events);
  await query(
    ctx.em,
    `update reminders r set next_fire_at = x.next_fire_at, fired_count = r.fired_count + x.fired,
            data = coalesce(x.data, r.data), updated_at = $2
     from json_to_recordset($1::json) as x(id uuid, next_fire_at timestamptz, fired int, data jsonb)
     where r.id = x.id`,
    [JSON.stringify(moves), now],
  );
  return { fired: fired.size, alreadyFired: due.length - fired.size, claimed: due.length };
}
