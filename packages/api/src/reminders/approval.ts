/**
 * Automatic approval reminders, driven by the workflow's events (the approval-reminders consumer
 * group). A budget submitted for approval gets one automatic reminder: its approvers are reminded
 * APPROVAL_REMIND_AFTER_HOURS after the submission, then every APPROVAL_REMIND_EVERY_HOURS, and
 * after APPROVAL_ESCALATE_AFTER reminders its owner's supervisor is told once (the scheduler fires
 * them, scheduler.ts). Approval, a request for changes, a recall or a cancellation ends the wait
 * and removes the reminder; moving to "in review" keeps it.
 *
 * Events of one budget arrive in order (the bus orders by key), so "submitted" is always seen
 * before the "approved" that ends it. Idempotent: the reminder is unique per budget, it
 * remembers the event that started it (a redelivery changes nothing), and removal is a delete.
 */
import { type ApprovalReminderData, query } from '@goalpost/db';
import type { ServiceContext } from '../context.ts';
import { workflowPayload } from '../notifications/recipients.ts';
import type { BusEvent } from '../outbox/bus.ts';

const ENDS_THE_WAIT = new Set([
  'budget.approved',
  'budget.final_approved',
  'budget.changes_requested',
  'budget.recalled',
  'budget.cancelled',
]);

export async function scheduleApprovalReminders(ctx: ServiceContext, events: BusEvent[]): Promise<void> {
  const now = ctx.services.clock.now();
  for (const event of events) {
    if (event.type !== 'budget.submitted' && !ENDS_THE_WAIT.has(event.type)) continue;
    const parsed = workflowPayload.safeParse(event.payload);
    if (!parsed.success) {
      throw new Error(
        `Event ${event.id} (${event.type}) has a payload this consumer cannot read: ${parsed.error.message}`,
      );
    }
    const p = parsed.data;
    if (ENDS_THE_WAIT.has(event.type)) {
      await query(ctx.em, 'delete from reminders where budget_id = $1 and automatic', [p.budgetId]);
      continue;
    }
    const firstAt = new Date(event.createdAt.getTime() + ctx.services.settings.approvalRemindAfterHours * 3_600_000);
    const data: ApprovalReminderData = {
      eventId: event.id,
      waitingSince: event.createdAt.toISOString(),
      versionNumber: p.versionNumber,
      approvers: p.recipients.approvers,
      supervisor: p.recipients.supervisor ?? null,
      escalatedAt: null,
    };
    await query(
      ctx.em,
      `insert into reminders (id, org_id, owner_id, budget_id, message, schedule, audience, starts_at, automatic,
                              next_fire_at, fired_count, data, created_at, updated_at)
       values (gen_random_uuid(), $1, $2, $3, '', 'approval', 'approvers', $4, true, $4, 0, $5, $6, $6)
       on conflict (budget_id) where automatic do update
         set owner_id = excluded.owner_id, starts_at = excluded.starts_at, next_fire_at = excluded.next_fire_at,
             fired_count = 0, data = excluded.data, paused_at = null, updated_at = excluded.updated_at
         where reminders.data->>'eventId' is distinct from excluded.data->>'eventId'`,
      [event.org, p.recipients.owner, p.budgetId, firstAt, JSON.stringify(data), now],
    );
  }
}
