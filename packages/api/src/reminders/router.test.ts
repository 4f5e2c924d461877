/**
 * The reminders procedures: what a person may set, see and change. Reading a goal, budget or
 * forecast is enough to remind yourself; reminding its collaborators needs comment rights; only
 * the owner of a reminder sees and changes it; times are in the owner's zone, and a new zone
 * moves pending reminders to the same local time (time-zone.test.ts: never dropping one); a reminder that could never fire is refused
 * with the reason; pausing and resuming skips what was missed instead of catching up.
 */
import { failure, startTestApp, type TestApp } from '@goalpost/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemContext } from '../context.ts';
import { approvalCast, type Cast } from '../notifications/approval-cast.ts';
import { ManualClock } from '../platform/clock.ts';
import { newTraceId } from '../platform/trace.ts';
import { fireDueReminders } from './scheduler.ts';

const clock = new ManualClock(new Date('2027-06-01T10:00:00Z'));
let t: TestApp;
let cast: Cast;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_LOGIN_PER_ACCOUNT: '100' }, { clock });
  cast = await approvalCast(t, 'reminders-api.test');
}, 120_000);
afterAll(() => t?.close());

it('creates, lists, edits, pauses and deletes reminders for their owner only, in the owner’s time zone', async () => {
  const { owner, outsider } = cast;
  const api = owner.tab.trpc.reminders;
  await owner.tab.trpc.notifications.setPreferences.mutate({ timeZone: 'America/New_York' });
  const weekly = await api.create.mutate({
    subject: { budgetId: cast.budgetId },
    message: 'Update the forecast',
    schedule: { kind: 'weekly', startDate: '2027-06-07', time: '08:30' },
  });
  const beforeTarget = await api.create.mutate({
    subject: { goalId: cast.goalId },
    message: 'Check the trip budget',
    schedule: { kind: 'before_target', daysBefore: 30, time: '12:00' },
    audience: 'collaborators',
  });
  const listed = await api.list.query({ budgetId: cast.budgetId });
  const moved = await owner.tab.trpc.notifications.setPreferences.mutate({ timeZone: 'Europe/Paris' });
  const afterMove = await api.list.query({ budgetId: cast.budgetId });
  const edited = await api.update.mutate({
    reminderId: weekly.id,
    message: 'Update the forecast (Mondays)',
    schedule: { kind: 'daily', startDate: '2027-06-02', time: '07:00' },
  });
  const paused = await api.pause.mutate({ reminderId: weekly.id, paused: true });
  await clock.set(new Date('2027-06-10T12:00:00Z'));
  const resumed = await api.pause.mutate({ reminderId: weekly.id, paused: false });
  const othersView = await failure(outsider.tab.trpc.reminders.list.query({ budgetId: cast.budgetId }));
  const othersEdit = await failure(cast.sam.tab.trpc.reminders.delete.mutate({ reminderId: weekly.id }));
  const deleted = await api.delete.mutate({ reminderId: beforeTarget.id });
  expect({
    weekly: { next: weekly.nextFireAt?.toISOString(), zone: weekly.timeZone, schedule: weekly.schedule },
    beforeTarget: { next: beforeTarget.nextFireAt?.toISOString(), audience: beforeTarget.audience },
    listed: listed.map((r) => r.message),
    movedZone: moved.timeZone,
    afterMove: afterMove[0]?.nextFireAt?.toISOString(),
    edited: { message: edited.message, next: edited.nextFireAt?.toISOString(), schedule: edited.schedule },
    paused: { paused: paused.paused, next: paused.nextFireAt?.toISOString() },
    resumed: { paused: resumed.paused, next: resumed.nextFireAt?.toISOString() },
    othersView,
    othersEdit,
    deleted,
    left: (await api.list.query({ goalId: cast.goalId })).length,
  }).toEqual({
    // 08:30 in New York (EDT, UTC−4) on Monday 7 June.
    weekly: {
      next: '2027-06-07T12:30:00.000Z',
      zone: 'America/New_York',
      schedule: { kind: 'weekly', startDate: '2027-06-07', time: '08:30' },
    },
    // 30 days before the goal's 31 December target, at noon in New York (EST, UTC−5).
    beforeTarget: { next: '2027-12-01T17:00:00.000Z', audience: 'collaborators' },
    listed: ['Update the forecast'],
    movedZone: 'Europe/Paris',
    // Still 08:30 local, now in Paris (CEST, UTC+2).
    afterMove: '2027-06-07T06:30:00.000Z',
    edited: {
      message: 'Update the forecast (Mondays)',
      next: '2027-06-02T05:00:00.000Z',
      schedule: { kind: 'daily', startDate: '2027-06-02', time: '07:00' },
    },
    paused: { paused: true, next: '2027-06-02T05:00:00.000Z' },
    // Resumed on 10 June at 14:00 Paris time: the next is the 11th, not the eight days missed.
    resumed: { paused: false, next: '2027-06-11T05:00:00.000Z' },
    othersView: { code: 'NOT_FOUND', message: 'This budget does not exist, or it has not been shared with you.' },
    othersEdit: { code: 'NOT_FOUND', message: 'This reminder does not exist, or it is not yours.' },
    deleted: { deleted: true },
    left: 0,
  });
});

it('refuses a reminder that could never fire, saying why, and one for collaborators without comment rights', async () => {
  const { owner } = cast;
  const admin = await t.admin();
  const goal = await owner.tab.trpc.goals.create.mutate({ name: 'Open-ended', targetAmountMinor: 0n, currency: 'EUR' });
  expect({
    past: await failure(
      owner.tab.trpc.reminders.create.mutate({
        subject: { goalId: goal.id },
        message: 'Too late',
        schedule: { kind: 'once', date: '2027-01-01', time: '09:00' },
      }),
    ),
    noTarget: await failure(
      owner.tab.trpc.reminders.create.mutate({
        subject: { goalId: goal.id },
        message: 'Count back',
        schedule: { kind: 'before_target', daysBefore: 3, time: '09:00' },
      }),
    ),
    badTime: await failure(
      owner.tab.trpc.reminders.create.mutate({
        subject: { goalId: goal.id },
        message: 'Late night',
        schedule: { kind: 'daily', startDate: '2027-07-01', time: '24:30' },
      }),
    ),
    badZone: await failure(owner.tab.trpc.notifications.setPreferences.mutate({ timeZone: 'Mars/Olympus_Mons' })),
    adminForCollaborators: await failure(
      admin.trpc.reminders.create.mutate({
        subject: { goalId: goal.id },
        message: 'Everyone',
        schedule: { kind: 'daily', startDate: '2027-07-01', time: '09:00' },
        audience: 'collaborators',
      }),
    ),
  }).toEqual({
    past: {
      code: 'BAD_REQUEST',
      message: 'schedule.date: 2027-01-01 at 09:00 (Europe/Paris) has already passed. Choose a time ahead.',
    },
    noTarget: {
      code: 'BAD_REQUEST',
      message: 'schedule: The goal has no target date to count back from. Set a target date on the goal first.',
    },
    badTime: { code: 'BAD_REQUEST', message: 'schedule.time: Use a time like 09:00 (24-hour).' },
    badZone: {
      code: 'BAD_REQUEST',
      message: 'timeZone: Choose a time zone from the list (an IANA name like Europe/London).',
    },
    adminForCollaborators: {
      code: 'FORBIDDEN',
      message:
        'You may not comment on this goal. Commenting needs commenter rights or more; ask its owner to share it with you.',
    },
  });
});

it('never drops a one-off reminder when its owner moves to a zone where its time has passed: it fires at once, once', async () => {
  const { owner } = cast;
  const fire = () => fireDueReminders(systemContext(t.app.services, newTraceId()));
  await clock.set(new Date('2027-06-20T17:40:00Z'));
  // The daily reminder the first test resumed has been due since 11 June (no job runs here): fire
  // it first, so the runs below count only this one.
  await fire();
  await owner.tab.trpc.notifications.setPreferences.mutate({ timeZone: 'UTC' });
  const set = await owner.tab.trpc.reminders.create.mutate({
    subject: { budgetId: cast.budgetId },
    message: 'Check the move invoices',
    schedule: { kind: 'once', date: '2027-06-20', time: '17:42' },
  });
  // 17:42 read in Berlin (CEST, UTC+2) is 15:42 UTC: already past.
  await owner.tab.trpc.notifications.setPreferences.mutate({ timeZone: 'Europe/Berlin' });
  const [moved] = (await owner.tab.trpc.reminders.list.query({ budgetId: cast.budgetId })).filter(
    (r) => r.id === set.id,
  );
  const first = await fire();
  const second = await fire();
  const told = await t.sql<{ n: string }>('select count(*) as n from reminder_occurrences where reminder_id = ?', [
    set.id,
  ]);
  expect({
    set: set.nextFireAt?.toISOString(),
    moved: moved?.nextFireAt?.toISOString(),
    fired: [first.fired, second.fired],
    occurrences: Number(told[0]?.n),
  }).toEqual({
    set: '2027-06-20T17:42:00.000Z',
    moved: '2027-06-20T17:40:00.000Z',
    fired: [1, 0],
    occurrences: 1,
  });
});
