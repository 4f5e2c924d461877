/**
 * The notifications procedures as their users meet them. A message sent from a budget reaches the
 * chosen collaborators in the bell and by mail, and only people working on the budget can be
 * chosen; the bell's list, unread count and mark-read behave; and the live feed crosses server
 * instances: two servers on one database, the jobs running in the first, a subscriber on the
 * second sees the count rise when the first writes the notification (PostgreSQL LISTEN/NOTIFY
 * carries the wake-up between them).
 */
import { failure, startTestApp, type TestApp } from '@goalpost/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { approvalCast, CAST_PASSWORD, type Cast } from './approval-cast.ts';

let t: TestApp;
let second: TestApp;
let cast: Cast;

beforeAll(async () => {
  // The cast signs many people in, the admin most of all.
  t = await startTestApp({ RATE_LIMIT_LOGIN_PER_ACCOUNT: '100' });
  second = await startTestApp({ JOBS_IN_PROCESS: 'false' }, { sameDatabaseAs: t });
  cast = await approvalCast(t, 'messages.test');
}, 120_000);
afterAll(async () => {
  await second?.close();
  await t?.close();
});

/** The messages someone received (the cast's approvers were also told of their shares). */
const bodies = async (userId: string) =>
  (
    await t.sql<{ body: string }>(
      "select body from notifications where recipient_id = ? and kind = 'message.sent' order by created_at",
      [userId],
    )
  ).map((r) => r.body);

it('sends a message from a budget to chosen collaborators, in the bell and by mail, and to nobody else', async () => {
  const { owner, sam, adam, outsider } = cast;
  const collaborators = await owner.tab.trpc.notifications.collaborators.query({ budgetId: cast.budgetId });
  const sent = await owner.tab.trpc.notifications.send.mutate({
    budgetId: cast.budgetId,
    recipientIds: [sam.id, adam.id],
    message: 'Could you look at March before Friday?',
  });
  await t.eventually(async () => (await bodies(adam.id)).length > 0 && (await bodies(sam.id)).length > 0);
  const mails = await t.sql<{ to_address: string; subject: string }>(
    "select to_address, subject from mail_messages where kind = 'notification' order by to_address",
  );
  const samsBell = await sam.tab.trpc.notifications.list.query({});
  expect({
    collaborators: collaborators.map((c) => [c.name, c.role]),
    sent,
    received: { sam: await bodies(sam.id), adam: await bodies(adam.id), outsider: await bodies(outsider.id) },
    mails,
    bell: samsBell.items.map((i) => ({ title: i.title, link: i.link, actor: i.actor?.name, read: i.readAt })),
    refused: {
      stranger: await failure(
        owner.tab.trpc.notifications.send.mutate({
          budgetId: cast.budgetId,
          recipientIds: [outsider.id],
          message: 'Hi',
        }),
      ),
      outsiderSends: await failure(
        outsider.tab.trpc.notifications.send.mutate({
          budgetId: cast.budgetId,
          recipientIds: [owner.id],
          message: 'Hi',
        }),
      ),
      adminSends: await failure(
        (await t.admin()).trpc.notifications.send.mutate({
          budgetId: cast.budgetId,
          recipientIds: [owner.id],
          message: 'Hi',
        }),
      ),
      empty: await failure(
        owner.tab.trpc.notifications.send.mutate({ budgetId: cast.budgetId, recipientIds: [sam.id], message: '  ' }),
      ),
    },
  }).toEqual({
    collaborators: [
      ['Adam Accountant', 'approver'],
      ['Alice Auditor', 'approver'],
      ['Sam Supervisor', 'supervisor'],
    ],
    sent: { sent: 2, recipients: ['Sam Supervisor', 'Adam Accountant'] },
    received: {
      sam: ['Could you look at March before Friday?'],
      adam: ['Could you look at March before Friday?'],
      outsider: [],
    },
    mails: [
      { to_address: 'adam@messages.test', subject: 'Goalpost: Olivia Owner sent you a message about “Travel 2027”' },
      { to_address: 'sam@messages.test', subject: 'Goalpost: Olivia Owner sent you a message about “Travel 2027”' },
    ],
    bell: [
      {
        title: 'Olivia Owner sent you a message about “Travel 2027”',
        link: `/budgets/${cast.budgetId}`,
        actor: 'Olivia Owner',
        read: null,
      },
    ],
    refused: {
      stranger: {
        code: 'BAD_REQUEST',
        message:
          "recipientIds: One person is not working on this budget. Choose from its owner, the owner's supervisor and the people it is shared with.",
      },
      outsiderSends: { code: 'NOT_FOUND', message: 'This budget does not exist, or it has not been shared with you.' },
      adminSends: {
        code: 'FORBIDDEN',
        message:
          'You may not comment on this budget. Commenting needs commenter rights or more; ask its owner to share it with you.',
      },
      empty: { code: 'BAD_REQUEST', message: 'message: Write a message.' },
    },
  });
});

it('counts unread notifications and marks one or all read, only the reader’s own', async () => {
  const { owner, sam } = cast;
  for (const message of ['One', 'Two', 'Three']) {
    await owner.tab.trpc.notifications.send.mutate({ budgetId: cast.budgetId, recipientIds: [sam.id], message });
  }
  await t.eventually(async () => (await sam.tab.trpc.notifications.unreadCount.query()).unread === 4 || undefined);
  const list = await sam.tab.trpc.notifications.list.query({ pageSize: 2 });
  const someoneElses = await owner.tab.trpc.notifications.markRead.mutate({ notificationIds: [list.items[0]!.id] });
  const one = await sam.tab.trpc.notifications.markRead.mutate({ notificationIds: [list.items[0]!.id] });
  const unreadOnly = await sam.tab.trpc.notifications.list.query({ unreadOnly: true });
  const all = await sam.tab.trpc.notifications.markAllRead.mutate();
  expect({
    page: { total: list.total, shown: list.items.length, unread: list.unread },
    someoneElses,
    one,
    unreadOnly: unreadOnly.items.length,
    all,
    after: await sam.tab.trpc.notifications.unreadCount.query(),
  }).toEqual({
    page: { total: 4, shown: 2, unread: 4 },
    someoneElses: { unread: 0 },
    one: { unread: 3 },
    unreadOnly: 3,
    all: { marked: 3, unread: 0 },
    after: { unread: 0 },
  });
});

it('tells a subscriber on another server instance live when a notification is written', async () => {
  const { owner, sam } = cast;
  const samOnSecond = second.client();
  await samOnSecond.trpc.auth.login.mutate({ email: sam.email, password: CAST_PASSWORD });
  const seen: { unread: number; latest: string | null }[] = [];
  let failed: unknown = null;
  const sub = samOnSecond.trpc.notifications.onNew.subscribe(undefined, {
    onData: (d) => seen.push({ unread: d.unread, latest: d.latest?.body ?? null }),
    onError: (e) => {
      failed = e;
    },
  });
  try {
    await t.eventually(async () => (seen.length > 0 || failed) ?? undefined);
    await owner.tab.trpc.notifications.send.mutate({
      budgetId: cast.budgetId,
      recipientIds: [sam.id],
      message: 'Live, from the other server',
    });
    await t.eventually(async () => (seen.some((s) => s.unread === 1) || failed) ?? undefined);
  } finally {
    sub.unsubscribe();
  }
  expect({ failed, seen }).toEqual({
    failed: null,
    seen: [
      { unread: 0, latest: 'Three' },
      { unread: 1, latest: 'Live, from the other server' },
    ],
  });
});
