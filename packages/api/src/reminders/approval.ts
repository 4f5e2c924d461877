/**
 * Automatic approval reminders, driven by the workflow's events (the approval-reminders consumer
 * group; payloads as workflow/events.ts documents them). A budget submitted for approval gets one
 * automatic reminder: its approvers are reminded APPROVAL_REMIND_AFTER_HOURS after the submission,
 * then every APPROVAL_REMIND_EVERY_HOURS, and after APPROVAL_ESCALATE_AFTER reminders its final
 * approvers (the owner's supervisor) are told once (the scheduler fires them, scheduler.ts, and asks
 * the workflow who the approvers are at each firing). The wait lasts while the budget is submitted
 * or in review: a move into "submitted" from outside the wait (budget.submitted) starts it, a move
 * to "in review" keeps it, and any move to another state (approved, final approved, sent back,
 * recalled, cancelled…) ends it and removes the reminder. States, not event names, decide, so the
 * transition table (workflow/transitions.ts) stays the one place that says what leads where.
 *
 * Events of one budget arrive in order (the bus orders by key), so "submitted" is always seen
 * before the "approved" that ends it. Idempotent: the reminder is unique per budget, it
 * remembers the event that started it (a redelivery changes nothing), and removal is a delete.
 */
import { type ApprovalReminderData, query, type WorkflowState } from '@goalpost/db';
import type { ServiceContext } from '../context.ts';
import { parse, workflowPayload } from '../notifications/recipients.ts';
import type { BusEvent } from '../outbox/bus.ts';
import { TRANSITIONS } from '../workflow/transitions.ts';

/** The states in which a budget waits for its (first) approval. */
const WAITING: ReadonlySet<WorkflowState> = new Set(['submitted', 'in_review']);

/** The events of budget moves; the workflow topic also carries delegation events, which do not move budgets. */
const MOVES = new Set(TRANSITIONS.map((t) => t.event));

export async function scheduleApprovalReminders(ctx: ServiceContext, events: BusEvent[]): Promise<void> {
  const now = ctx.services.clock.now();
  for (const event of events) {
    if (!MOVES.has(event.type)) continue;
    const p = parse(event, { payload: workflowPayload });
    if (!WAITING.has(p.to)) {
      await query(ctx.em, 'delete from reminders where budget_id = $1 and automatic', [p.budgetId]);
      continue;
    }
    if (WAITING.has(p.from)) continue;
    const firstAt = new Date(event.createdAt.getTime() + ctx.services.settings.approvalRemindAfterHours * 3_600_000);
    // Who stood where at the submission, for the record: each firing asks the workflow again.
    const data: ApprovalReminderData = {
      eventId: event.id,
      waitingSince: event.createdAt.toISOString(),
      versionNumber: p.versionNumber,
      approvers: p.recipients.approvers,
      supervisor: p.recipients.finalApprovers[0] ?? null,
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
      [event.org, p.ownerId, p.budgetId, firstAt, JSON.stringify(data), now],
    );
  }
}
