/**
 * A person changes their time zone while reminders wait (QA: a one-off set for 19:42 UTC two
 * minutes ahead, the zone then set to Europe/Berlin, was re-read as 19:42 Berlin = 18:42 UTC,
 * already past, and silently dropped: no occurrence, no notification, the panel said "Done").
 * The rule (service.ts rescheduleForTimeZone): the occurrence a reminder waits for keeps its local
 * date and time in the new zone, and if that has already passed it is due at once; it fires once,
 * never zero times, never twice.
 *
 * Everything runs through the real pipeline: notifications.setPreferences over HTTP, the
 * reminders-due cron job (pg-boss, every minute) on the manual clock, the outbox relay and the
 * notifications consumer. Time moves only by hand (`t.eventually` advances it a second at a time).
 */
import { startTestApp, type TestApp } from '@goalpost/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { approvalCast, type Cast } from '../notifications/approval-cast.ts';
import { ManualClock } from '../platform/clock.ts';

const clock = new ManualClock(new Date('2027-06-20T12:00:00Z'));
let t: TestApp;
let cast: Cast;

beforeAll(async () => {
  t = await startTestApp({ SESSION_DAYS: '400', RATE_LIMIT_LOGIN_PER_ACCOUNT: '100' }, { clock });
  cast = await approvalCast(t, 'reminders-zone.test');
}, 120_000);
afterAll(() => t?.close());

async function occurrences(reminderId: string) {
  const rows = await t.sql<{ at: string }>(
    `select to_char(occurrence_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') as at
     from reminder_occurrences where reminder_id = ? order by occurrence_at`,
    [reminderId],
  );
  return rows.map((r) => r.at);
}

async function told(message: string) {
  const [row] = await t.sql<{ n: string }>(
    `select count(*) as n from notifications where recipient_id = ? and kind = 'reminder.due' and body like ?`,
    [cast.owner.id, `%${message}%`],
  );
  return Number(row?.n);
}

/** Lets the cron run for `ms` of clock time, ten seconds at a step. */
async function runFor(ms: number) {
  for (let s = 0; s < ms; s += 10_000) await clock.advance(10_000);
}

/** Waits (moving the clock) until the reminder has fired `n` times. */
function firedTimes(reminderId: string, n: number) {
  return t.eventually(async () => (await occurrences(reminderId)).length >= n || undefined, 60_000);
}

const setZone = (timeZone: string) => cast.owner.tab.trpc.notifications.setPreferences.mutate({ timeZone });
const listed = async (subject: { budgetId: string } | { goalId: string }, id: string) => {
  const r = (await cast.owner.tab.trpc.reminders.list.query(subject)).find((x) => x.id === id);
  return r && { next: r.nextFireAt?.toISOString() ?? null, due: r.due, firedCount: r.firedCount, zone: r.timeZone };
};

it('fires a one-off (and a 0-days-before-target) reminder exactly once when a zone change puts its local time in the past', async () => {
  const api = cast.owner.tab.trpc.reminders;
  await clock.set(new Date('2027-06-20T17:40:00Z'));
  await setZone('UTC');
  const goal = await cast.owner.tab.trpc.goals.create.mutate({
    name: 'Move to Berlin',
    targetAmountMinor: 0n,
    currency: 'EUR',
    targetDate: '2027-06-20',
  });
  const once = await api.create.mutate({
    subject: { budgetId: cast.budgetId },
    message: 'Check the move invoices',
    schedule: { kind: 'once', date: '2027-06-20', time: '17:42' },
  });
  const beforeTarget = await api.create.mutate({
    subject: { goalId: goal.id },
    message: 'Book the movers',
    schedule: { kind: 'before_target', daysBefore: 0, time: '17:42' },
  });
  // 17:42 read in Berlin (CEST, UTC+2) is 15:42 UTC: two hours past.
  await setZone('Europe/Berlin');
  const moved = {
    once: await listed({ budgetId: cast.budgetId }, once.id),
    beforeTarget: await listed({ goalId: goal.id }, beforeTarget.id),
  };
  await firedTimes(once.id, 1);
  await firedTimes(beforeTarget.id, 1);
  // Well past 17:42 UTC, the instant first shown: nothing fires a second time.
  await runFor(5 * 60_000);
  await t.eventually(
    async () => ((await told('Check the move invoices')) + (await told('Book the movers')) === 2 ? true : undefined),
    60_000,
  );
  expect({
    set: [once.nextFireAt?.toISOString(), beforeTarget.nextFireAt?.toISOString()],
    moved,
    occurrences: [await occurrences(once.id), await occurrences(beforeTarget.id)],
    notifications: [await told('Check the move invoices'), await told('Book the movers')],
    after: {
      once: await listed({ budgetId: cast.budgetId }, once.id),
      beforeTarget: await listed({ goalId: goal.id }, beforeTarget.id),
    },
  }).toEqual({
    set: ['2027-06-20T17:42:00.000Z', '2027-06-20T17:42:00.000Z'],
    moved: {
      once: { next: '2027-06-20T17:40:00.000Z', due: true, firedCount: 0, zone: 'Europe/Berlin' },
      beforeTarget: { next: '2027-06-20T17:40:00.000Z', due: true, firedCount: 0, zone: 'Europe/Berlin' },
    },
    occurrences: [['2027-06-20T17:40Z'], ['2027-06-20T17:40Z']],
    notifications: [1, 1],
    after: {
      once: { next: null, due: false, firedCount: 1, zone: 'Europe/Berlin' },
      beforeTarget: { next: null, due: false, firedCount: 1, zone: 'Europe/Berlin' },
    },
  });
  await api.delete.mutate({ reminderId: once.id });
  await api.delete.mutate({ reminderId: beforeTarget.id });
});

it('keeps a daily 09:00 reminder at 09:00 local in each new zone, firing each local day once: none skipped moving east, none doubled moving west', async () => {
  const api = cast.owner.tab.trpc.reminders;
  await clock.set(new Date('2027-07-01T06:00:00Z'));
  await setZone('UTC');
  const daily = await api.create.mutate({
    subject: { budgetId: cast.budgetId },
    message: 'Log yesterday’s spending',
    schedule: { kind: 'daily', startDate: '2027-07-01', time: '09:00' },
  });
  // 08:00 in Berlin: today's 09:00 is still ahead, at 07:00 UTC.
  await setZone('Europe/Berlin');
  const inBerlin = await listed({ budgetId: cast.budgetId }, daily.id);
  await clock.set(new Date('2027-07-01T06:57:00Z'));
  await runFor(2 * 60_000);
  const beforeNine = await occurrences(daily.id);
  await firedTimes(daily.id, 1);
  await clock.set(new Date('2027-07-02T06:59:00Z'));
  await firedTimes(daily.id, 2);

  // 10:00 in Berlin, today's fired; 04:00 in New York, whose 09:00 today would be a second one.
  await clock.set(new Date('2027-07-02T08:00:00Z'));
  await setZone('America/New_York');
  const inNewYork = await listed({ budgetId: cast.budgetId }, daily.id);
  // Past 09:00 New York today (13:00 UTC): nothing more fires today.
  await clock.set(new Date('2027-07-02T12:58:00Z'));
  await runFor(4 * 60_000);
  const westDay = await occurrences(daily.id);

  // 08:00 in New York, today's 09:00 ahead; 14:00 in Berlin, where today's 09:00 has passed: it
  // has not fired today, so it is due now, then 09:00 Berlin again tomorrow.
  await clock.set(new Date('2027-07-03T12:00:00Z'));
  await setZone('Europe/Berlin');
  const backInBerlin = await listed({ budgetId: cast.budgetId }, daily.id);
  await firedTimes(daily.id, 3);
  await runFor(5 * 60_000);
  expect({
    inBerlin,
    beforeNine,
    inNewYork,
    westDay,
    backInBerlin,
    occurrences: await occurrences(daily.id),
    after: await listed({ budgetId: cast.budgetId }, daily.id),
  }).toEqual({
    inBerlin: { next: '2027-07-01T07:00:00.000Z', due: false, firedCount: 0, zone: 'Europe/Berlin' },
    beforeNine: [],
    inNewYork: { next: '2027-07-03T13:00:00.000Z', due: false, firedCount: 2, zone: 'America/New_York' },
    westDay: ['2027-07-01T07:00Z', '2027-07-02T07:00Z'],
    backInBerlin: { next: '2027-07-03T12:00:00.000Z', due: true, firedCount: 2, zone: 'Europe/Berlin' },
    occurrences: ['2027-07-01T07:00Z', '2027-07-02T07:00Z', '2027-07-03T12:00Z'],
    after: { next: '2027-07-04T07:00:00.000Z', due: false, firedCount: 3, zone: 'Europe/Berlin' },
  });
});
