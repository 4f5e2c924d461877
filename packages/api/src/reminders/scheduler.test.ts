/**
 * Reminders fire through the real pipeline: the reminders-due cron job (pg-boss, every minute)
 * claims due reminders, the outbox relay publishes their events, the notifications consumer
 * writes the notifications. Time only moves by hand: the app runs on pg-boss's TestClock, which
 * also drives pg-boss's cron and polls, so each wait below advances the clock a second at a time
 * (`t.eventually`) and nothing sleeps.
 *
 * Checked: a daily 09:00 reminder in London fires at 09:00 local on every day across both 2027
 * clock changes, once a day, and not a minute early; several scheduler runs at once fire each
 * occurrence once; a budget the owner submits (the real workflow procedure) reminds its approvers
 * after the configured delay, then daily, also once in review, only those who still approve it
 * (a revoked share stops them), escalates once to the supervisor after N reminders, and stops when
 * approved; and the reminder lasts exactly while the budget is submitted or in review, whichever
 * move ends the wait.
 */
import type { WorkflowState } from '@goalpost/db';
import { startTestApp, type TestApp } from '@goalpost/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemContext } from '../context.ts';
import { approvalCast, type Cast, settle } from '../notifications/approval-cast.ts';
import { ManualClock } from '../platform/clock.ts';
import { newTraceId } from '../platform/trace.ts';
import type { WorkflowAction } from '../workflow/transitions.ts';
import { fireDueReminders } from './scheduler.ts';

const clock = new ManualClock(new Date('2027-03-25T12:00:00Z'));
let t: TestApp;
let cast: Cast;

beforeAll(async () => {
  t = await startTestApp(
    {
      // The clock jumps from March to November: sessions must outlive it.
      SESSION_DAYS: '400',
      RATE_LIMIT_LOGIN_PER_ACCOUNT: '100',
      APPROVAL_REMIND_AFTER_HOURS: '48',
      APPROVAL_REMIND_EVERY_HOURS: '24',
      APPROVAL_ESCALATE_AFTER: '2',
    },
    { clock },
  );
  cast = await approvalCast(t, 'reminders.test');
  await cast.owner.tab.trpc.notifications.setPreferences.mutate({ timeZone: 'Europe/London' });
}, 120_000);
afterAll(() => t?.close());

async function reminderNotifications(userId: string, kind = 'reminder.due') {
  return t.sql<{ title: string; body: string }>(
    'select title, body from notifications where recipient_id = ? and kind = ? order by created_at',
    [userId, kind],
  );
}

async function occurrences(reminderId: string) {
  const rows = await t.sql<{ at: string }>(
    `select to_char(occurrence_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') as at
     from reminder_occurrences where reminder_id = ? order by occurrence_at`,
    [reminderId],
  );
  return rows.map((r) => r.at);
}

/** Walks the clock to just before and just after 09:00 London time on each day. */
async function walkMornings(days: { date: string; utcNine: string }[]) {
  const seen: Record<string, { before: number; after: number }> = {};
  for (const { date, utcNine } of days) {
    const nine = Date.parse(utcNine);
    await clock.set(new Date(nine - 3 * 60_000));
    // Two minutes of cron ticks before 09:00 local: nothing may fire yet.
    for (let s = 0; s < 120; s += 10) await clock.advance(10_000);
    const before = (await reminderNotifications(cast.owner.id)).length;
    const after = await t.eventually(async () => {
      const n = (await reminderNotifications(cast.owner.id)).length;
      return n > before ? n : undefined;
    }, 60_000);
    seen[date] = { before, after };
  }
  return seen;
}

it('fires a daily 09:00 London reminder at 09:00 local on every day across the March and October changes, once a day', async () => {
  const goal = await cast.owner.tab.trpc.goals.create.mutate({
    name: 'Savings',
    targetAmountMinor: 0n,
    currency: 'GBP',
  });
  const spring = await cast.owner.tab.trpc.reminders.create.mutate({
    subject: { goalId: goal.id },
    message: 'Log yesterday’s spending',
    schedule: { kind: 'daily', startDate: '2027-03-26', time: '09:00' },
  });
  const springWalk = await walkMornings([
    { date: '2027-03-26 (GMT)', utcNine: '2027-03-26T09:00:00Z' },
    { date: '2027-03-27 (GMT)', utcNine: '2027-03-27T09:00:00Z' },
    { date: '2027-03-28 (BST from 01:00)', utcNine: '2027-03-28T08:00:00Z' },
    { date: '2027-03-29 (BST)', utcNine: '2027-03-29T08:00:00Z' },
  ]);
  const springOccurrences = await occurrences(spring.id);
  await cast.owner.tab.trpc.reminders.delete.mutate({ reminderId: spring.id });

  await clock.set(new Date('2027-10-28T12:00:00Z'));
  const autumn = await cast.owner.tab.trpc.reminders.create.mutate({
    subject: { goalId: goal.id },
    message: 'Log yesterday’s spending',
    schedule: { kind: 'daily', startDate: '2027-10-29', time: '09:00' },
  });
  const autumnWalk = await walkMornings([
    { date: '2027-10-29 (BST)', utcNine: '2027-10-29T08:00:00Z' },
    { date: '2027-10-30 (BST)', utcNine: '2027-10-30T08:00:00Z' },
    { date: '2027-10-31 (GMT from 02:00)', utcNine: '2027-10-31T09:00:00Z' },
    { date: '2027-11-01 (GMT)', utcNine: '2027-11-01T09:00:00Z' },
  ]);
  const [latest] = (await reminderNotifications(cast.owner.id)).slice(-1);
  expect({
    springWalk,
    springOccurrences,
    autumnWalk,
    autumnOccurrences: await occurrences(autumn.id),
    next: (await cast.owner.tab.trpc.reminders.list.query({ goalId: goal.id }))[0]?.nextFireAt?.toISOString(),
    latest,
  }).toEqual({
    springWalk: {
      '2027-03-26 (GMT)': { before: 0, after: 1 },
      '2027-03-27 (GMT)': { before: 1, after: 2 },
      '2027-03-28 (BST from 01:00)': { before: 2, after: 3 },
      '2027-03-29 (BST)': { before: 3, after: 4 },
    },
    springOccurrences: ['2027-03-26T09:00Z', '2027-03-27T09:00Z', '2027-03-28T08:00Z', '2027-03-29T08:00Z'],
    autumnWalk: {
      '2027-10-29 (BST)': { before: 4, after: 5 },
      '2027-10-30 (BST)': { before: 5, after: 6 },
      '2027-10-31 (GMT from 02:00)': { before: 6, after: 7 },
      '2027-11-01 (GMT)': { before: 7, after: 8 },
    },
    autumnOccurrences: ['2027-10-29T08:00Z', '2027-10-30T08:00Z', '2027-10-31T09:00Z', '2027-11-01T09:00Z'],
    next: '2027-11-02T09:00:00.000Z',
    latest: { title: 'Reminder about “Savings”', body: 'Log yesterday’s spending' },
  });
}, 180_000);

it('fires each occurrence once when several scheduler runs claim at the same time', async () => {
  const goal = await cast.adam.tab.trpc.goals.create.mutate({ name: 'Race', targetAmountMinor: 0n, currency: 'EUR' });
  const start = new Date(clock.now().getTime() + 3_600_000);
  const date = start.toISOString().slice(0, 10);
  const time = start.toISOString().slice(11, 16);
  const ids: string[] = [];
  for (let i = 0; i < 40; i++) {
    const r = await cast.adam.tab.trpc.reminders.create.mutate({
      subject: { goalId: goal.id },
      message: `Race ${i}`,
      schedule: { kind: 'once', date, time },
    });
    ids.push(r.id);
  }
  // Past their time without a tick: pg-boss's cron does not run until the clock ticks, so the
  // four runs below are the ones racing for the same 40 occurrences.
  await clock.set(new Date(start.getTime() + 60_000));
  const runs = await Promise.all(
    Array.from({ length: 4 }, () => fireDueReminders(systemContext(t.app.services, newTraceId()), 7)),
  );
  const [fired] = await t.sql<{ occurrences: string; events: string }>(
    `select (select count(*) from reminder_occurrences where reminder_id in (?)) as occurrences,
            (select count(*) from outbox_events where type = 'reminder.due' and payload->>'reminderId' in (?)) as events`,
    [ids, ids],
  );
  await t.eventually(async () => (await reminderNotifications(cast.adam.id)).length === 40 || undefined, 60_000);
  expect({
    fired: runs.reduce((n, r) => n + r.fired, 0),
    rows: fired,
    notifications: (await reminderNotifications(cast.adam.id)).length,
    pending: (await cast.adam.tab.trpc.reminders.list.query({ goalId: goal.id })).filter((r) => r.nextFireAt).length,
  }).toEqual({ fired: 40, rows: { occurrences: '40', events: '40' }, notifications: 40, pending: 0 });
}, 180_000);

it('reminds the approvers of a waiting budget after the delay, then daily, escalates once to the supervisor, and stops when approved', async () => {
  const { owner, adam, alice, sam } = cast;
  const move = (who: typeof owner, action: 'submit' | 'start-review' | 'approve', expectedState: WorkflowState) =>
    settle(t, () => who.tab.trpc.workflow.transition.mutate({ budgetId: cast.budgetId, action, expectedState }));
  const submittedAt = clock.now().getTime();
  await move(owner, 'submit', 'draft');
  const count = async () => ({
    adam: (await reminderNotifications(adam.id, 'approval.reminder')).length,
    alice: (await reminderNotifications(alice.id, 'approval.reminder')).length,
    sam: (await reminderNotifications(sam.id, 'approval.escalated')).length,
  });
  const at = async (hours: number) => {
    await clock.set(new Date(submittedAt + hours * 3_600_000));
    return t.eventually(async () => {
      // Two cron minutes pass, so whatever is due has fired; then the notifications are counted.
      for (let s = 0; s < 120; s += 10) await clock.advance(10_000);
      const [due] = await t.sql<{ n: string }>(
        'select count(*) as n from reminders where automatic and next_fire_at <= ? and budget_id = ?',
        [clock.now(), cast.budgetId],
      );
      const [pending] = await t.sql<{ n: string }>(
        `select count(*) as n from outbox_events where published_at is null`,
      );
      return due?.n === '0' && pending?.n === '0' ? count() : undefined;
    }, 60_000);
  };
  const timeline: Record<string, Awaited<ReturnType<typeof count>>> = {};
  timeline['47h'] = await at(47);
  timeline['48h'] = await at(48);
  // In review, the budget still waits for its approval.
  await move(adam, 'start-review', 'submitted');
  timeline['72h (in review)'] = await at(72);
  // Alice no longer approves it: the next reminders are Adam's alone.
  const [aliceGrant] = (
    await owner.tab.trpc.sharing.list.query({ subject: { type: 'budget', id: cast.budgetId } })
  ).grants.filter((g) => g.user.id === alice.id);
  await settle(t, () => owner.tab.trpc.sharing.revoke.mutate({ grantId: aliceGrant!.id }));
  timeline['96h (escalated)'] = await at(96);
  timeline['120h'] = await at(120);
  await move(adam, 'approve', 'in_review');
  const afterApproval = await at(200);
  const [escalation] = await reminderNotifications(sam.id, 'approval.escalated');
  const [reminder] = await reminderNotifications(adam.id, 'approval.reminder');
  expect({
    timeline,
    afterApproval,
    left: (await t.sql('select id from reminders where automatic and budget_id = ?', [cast.budgetId])).length,
    reminder,
    escalation,
  }).toEqual({
    timeline: {
      '47h': { adam: 0, alice: 0, sam: 0 },
      '48h': { adam: 1, alice: 1, sam: 0 },
      '72h (in review)': { adam: 2, alice: 2, sam: 0 },
      '96h (escalated)': { adam: 3, alice: 2, sam: 1 },
      '120h': { adam: 4, alice: 2, sam: 1 },
    },
    afterApproval: { adam: 4, alice: 2, sam: 1 },
    left: 0,
    reminder: {
      title: 'Reminder: “Travel 2027” is waiting for your approval',
      body: expect.stringMatching(/^Revision 1 has been waiting since 2027-\d\d-\d\d \(reminder 1\)\.$/),
    },
    escalation: {
      title: '“Travel 2027” is still waiting for approval',
      body: expect.stringMatching(
        /^Revision 1 has been waiting since 2027-\d\d-\d\d; Adam Accountant was reminded 2 times\.$/,
      ),
    },
  });
}, 180_000);

it('keeps an approval reminder exactly while the budget waits for its approval, whatever ends the wait', async () => {
  const { owner, adam, sam } = cast;
  const goal = await owner.tab.trpc.goals.create.mutate({ name: 'Kit', targetAmountMinor: 0n, currency: 'EUR' });
  const budget = await owner.tab.trpc.budgets.create.mutate({
    goalId: goal.id,
    name: 'Kit 2028',
    periodStart: '2028-01-01',
    periods: 12,
  });
  await settle(t, () =>
    owner.tab.trpc.sharing.grant.mutate({
      subject: { type: 'budget', id: budget.id },
      userId: adam.id,
      level: 'approver',
    }),
  );
  const admin = await t.admin();
  const steps: [typeof owner.tab, WorkflowAction, WorkflowState, string?][] = [
    [owner.tab, 'submit', 'draft'],
    [adam.tab, 'start-review', 'submitted'],
    [adam.tab, 'send-back', 'in_review', 'Too many laptops.'],
    [owner.tab, 'revise', 'changes_requested'],
    [owner.tab, 'submit', 'draft'],
    [owner.tab, 'recall', 'submitted'],
    [owner.tab, 'submit', 'draft'],
    [adam.tab, 'approve', 'submitted'],
    [sam.tab, 'final-approve', 'approved'],
    [owner.tab, 'reopen', 'final_approved'],
    [owner.tab, 'submit', 'draft'],
    [admin, 'cancel', 'submitted', 'Bought last year.'],
  ];
  const waiting: string[] = [];
  for (const [tab, action, expectedState, reason] of steps) {
    const [event] = await settle(t, () =>
      tab.trpc.workflow.transition.mutate({ budgetId: budget.id, action, expectedState, reason }),
    );
    const reminders = await t.sql<{ approvers: string[]; hours: number }>(
      `select data->'approvers' as approvers,
              (extract(epoch from next_fire_at - (data->>'waitingSince')::timestamptz) / 3600)::int as hours
       from reminders where automatic and budget_id = ?`,
      [budget.id],
    );
    waiting.push(
      `${event?.type}: ${reminders.map((r) => `reminds ${r.approvers.map((a) => cast.nameOf(a)).join(', ')} ${r.hours}h after`).join('') || 'none'}`,
    );
  }
  expect(waiting).toEqual([
    'budget.submitted: reminds Adam Accountant 48h after',
    'budget.review-started: reminds Adam Accountant 48h after',
    'budget.changes-requested: none',
    'budget.revised: none',
    'budget.submitted: reminds Adam Accountant 48h after',
    'budget.recalled: none',
    'budget.submitted: reminds Adam Accountant 48h after',
    'budget.approved: none',
    'budget.final-approved: none',
    'budget.reopened: none',
    'budget.submitted: reminds Adam Accountant 48h after',
    'budget.cancelled: none',
  ]);
}, 120_000);
