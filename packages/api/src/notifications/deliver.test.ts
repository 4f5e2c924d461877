/**
 * Notifications end to end, on the embedded default bus: an event written to the outbox is
 * relayed to pg-boss, the notifications consumer turns it into notifications for the right people,
 * and mails go out through the mail-deliver job to a real SMTP server on loopback. Events are
 * emitted the way the workflow, comments and sharing emit them (their shapes are in
 * recipients.ts), since those features are built elsewhere.
 *
 * What is checked: each workflow transition notifies exactly the right people, in the app and by
 * mail; a delivery handed to the consumer again notifies nobody twice; each person's channels are
 * respected (mail only, app only, the morning digest, once a day); an event the consumer cannot
 * handle is retried, then dead-lettered without holding back the next event of its budget, and an
 * admin's retry delivers it once the cause is gone. Time moves by hand (pg-boss's TestClock).
 */
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from '@goalpost/testing';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { consumers } from '../consumers.ts';
import { systemContext } from '../context.ts';
import { fromWire } from '../outbox/bus.ts';
import { subscription } from '../outbox/consume.ts';
import { ManualClock } from '../platform/clock.ts';
import { newTraceId } from '../platform/trace.ts';
import { approvalCast, type Cast, emitAs, handled, transition } from './approval-cast.ts';
import { sendDigests } from './digest.ts';

const clock = new ManualClock(new Date('2027-03-01T10:00:00Z'));
const mails: { to: string; subject: string; raw: string }[] = [];
let smtp: SMTPServer;
let t: TestApp;
let cast: Cast;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => {
        raw += chunk.toString('utf8');
      });
      stream.on('end', () => {
        const header = raw.match(/^Subject: (.*(?:\r?\n[ \t].*)*)/m)?.[1] ?? '';
        for (const r of session.envelope.rcptTo) mails.push({ to: r.address, subject: decodeHeader(header), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { port } = smtp.server.address() as AddressInfo;
  t = await startTestApp({ SMTP_URL: `smtp://127.0.0.1:${port}`, RATE_LIMIT_LOGIN_PER_ACCOUNT: '100' }, { clock });
  cast = await approvalCast(t, 'deliver.test');
}, 120_000);

afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
});

async function notified(eventId: string) {
  const rows = await t.sql<{
    recipient_id: string;
    in_app: boolean;
    email: string;
    title: string;
    link: string | null;
  }>('select recipient_id, in_app, email, title, link from notifications where event_id = ? order by recipient_id', [
    eventId,
  ]);
  return rows;
}

/** A mail header as written (RFC 2047 Q-encoded words for the typographic quotes), as read. */
function decodeHeader(value: string): string {
  const unfolded = value.replace(/\r?\n[ \t]/g, ' ').replace(/\?=\s+=\?/g, '?==?');
  return unfolded
    .replace(/=\?UTF-8\?Q\?([^?]*)\?=/gi, (_m, text: string) =>
      Buffer.from(
        text
          .replaceAll('_', ' ')
          .replace(/=([0-9A-F]{2})/gi, (_x, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
        'latin1',
      ).toString('utf8'),
    )
    .trim();
}

const names = (ids: string[]) => ids.map((id) => cast.nameOf(id)).sort();
const mailedFor = (title: string) =>
  mails
    .filter((m) => m.subject === `Goalpost: ${title}`)
    .map((m) => m.to)
    .sort();

it('notifies exactly the right people of each workflow transition, in the app and by mail', async () => {
  const { owner, adam, alice, sam } = cast;
  const steps = [
    { actor: owner, event: transition(cast, 'budget.submitted', 'draft', 'submitted') },
    { actor: adam, event: transition(cast, 'budget.in_review', 'submitted', 'in_review') },
    { actor: adam, event: transition(cast, 'budget.approved', 'in_review', 'approved') },
    { actor: sam, event: transition(cast, 'budget.final_approved', 'approved', 'final_approved') },
    { actor: owner, event: transition(cast, 'budget.reopened', 'final_approved', 'draft') },
    {
      actor: alice,
      event: transition(cast, 'budget.changes_requested', 'in_review', 'changes_requested', {
        reason: 'Hotel too dear',
      }),
    },
    { actor: owner, event: transition(cast, 'budget.recalled', 'submitted', 'draft') },
    { actor: owner, event: transition(cast, 'budget.cancelled', 'submitted', 'cancelled') },
    // Someone acting for the owner: the owner hears of it too.
    { actor: adam, event: transition(cast, 'budget.submitted', 'draft', 'submitted', { onBehalfOf: owner.id }) },
  ];
  const outcome: Record<string, { app: string[]; mail: string[] }> = {};
  for (const [i, { actor, event }] of steps.entries()) {
    const id = await emitAs(t, actor, event);
    await t.eventually(() => handled(t, id, 2));
    const rows = await notified(id);
    const people = [cast.owner, cast.adam, cast.alice, cast.sam, cast.outsider];
    const emailOf = (id: string) => people.find((p) => p.id === id)?.email;
    await t.eventually(async () =>
      rows.every((r) => mails.some((m) => m.to === emailOf(r.recipient_id) && m.subject === `Goalpost: ${r.title}`)),
    );
    outcome[`${i + 1} ${event.type} by ${actor.name}`] = {
      app: names(rows.filter((r) => r.in_app).map((r) => r.recipient_id)),
      mail: [...new Set(rows.flatMap((r) => mailedFor(r.title)))].sort(),
    };
  }
  const [submitted] = await notified(
    (
      await t.sql<{ id: string }>("select id from outbox_events where type = 'budget.submitted' order by seq limit 1")
    )[0]!.id,
  );
  expect({ outcome, example: { title: submitted?.title, link: submitted?.link } }).toEqual({
    outcome: {
      '1 budget.submitted by Olivia Owner': {
        app: ['Adam Accountant', 'Alice Auditor'],
        mail: ['adam@deliver.test', 'alice@deliver.test'],
      },
      '2 budget.in_review by Adam Accountant': { app: ['Olivia Owner'], mail: ['olivia@deliver.test'] },
      '3 budget.approved by Adam Accountant': {
        app: ['Olivia Owner', 'Sam Supervisor'],
        mail: ['olivia@deliver.test', 'sam@deliver.test'],
      },
      '4 budget.final_approved by Sam Supervisor': {
        app: ['Adam Accountant', 'Alice Auditor', 'Olivia Owner'],
        mail: ['adam@deliver.test', 'alice@deliver.test', 'olivia@deliver.test'],
      },
      '5 budget.reopened by Olivia Owner': {
        app: ['Adam Accountant', 'Alice Auditor', 'Sam Supervisor'],
        mail: ['adam@deliver.test', 'alice@deliver.test', 'sam@deliver.test'],
      },
      '6 budget.changes_requested by Alice Auditor': { app: ['Olivia Owner'], mail: ['olivia@deliver.test'] },
      '7 budget.recalled by Olivia Owner': {
        app: ['Adam Accountant', 'Alice Auditor'],
        mail: ['adam@deliver.test', 'alice@deliver.test'],
      },
      '8 budget.cancelled by Olivia Owner': {
        app: ['Adam Accountant', 'Alice Auditor', 'Sam Supervisor'],
        mail: ['adam@deliver.test', 'alice@deliver.test', 'sam@deliver.test'],
      },
      '9 budget.submitted by Adam Accountant': {
        app: ['Alice Auditor', 'Olivia Owner'],
        mail: ['alice@deliver.test', 'olivia@deliver.test'],
      },
    },
    example: {
      title: 'Olivia Owner submitted “Travel 2027” for approval',
      link: `/budgets/${cast.budgetId}/approval`,
    },
  });
});

it('notifies once when the same event is delivered again', async () => {
  const id = await emitAs(t, cast.owner, {
    topic: 'messages',
    type: 'message.sent',
    key: cast.budgetId,
    payload: { budgetId: cast.budgetId, goalId: cast.goalId, message: 'Twice?', recipients: [cast.sam.id] },
  });
  await t.eventually(() => handled(t, id));
  const [row] = await t.sql<Record<string, unknown>>(
    `select id, seq, org_id as org, topic, type, key, payload, trace_id as "traceId", created_at as "createdAt"
     from outbox_events where id = ?`,
    [id],
  );
  const event = fromWire(row!);
  const again = subscription(t.app.services, consumers.notifications);
  const outcomes = [...(await again.handle([{ event, attempt: 1 }])), ...(await again.handle([{ event, attempt: 2 }]))];
  // The relay publishing it once more (as a Kafka relay that died before its commit would).
  await t.sql('update outbox_events set published_at = null where id = ?', [id]);
  await t.eventually(
    async () =>
      (await t.sql<{ p: Date | null }>('select published_at as p from outbox_events where id = ?', [id]))[0]?.p,
  );
  await t.eventually(async () => mails.some((m) => m.to === 'sam@deliver.test' && m.raw.includes('Twice?')));
  const rows = await notified(id);
  expect({
    outcomes,
    notifications: rows.map((r) => cast.nameOf(r.recipient_id)),
    mails: mails.filter((m) => m.raw.includes('Twice?')).map((m) => m.to),
  }).toEqual({
    outcomes: [{ ok: true }, { ok: true }],
    notifications: ['Sam Supervisor'],
    mails: ['sam@deliver.test'],
  });
});

it("respects each person's channels: mail only, app only, and one digest in their morning", async () => {
  const { outsider: otto, owner, adam } = cast;
  await t.sql("update users set time_zone = 'Asia/Tokyo' where id = ?", [otto.id]);
  await t.sql(
    `insert into grants (id, org_id, budget_id, grantee_id, level, granted_by_id, created_at)
     values (gen_random_uuid(), ?, ?, ?, 'commenter', ?, now())`,
    [t.app.services.orgId, cast.budgetId, otto.id, owner.id],
  );
  await otto.tab.trpc.notifications.setPreferences.mutate({
    families: [
      { family: 'workflow', inApp: false, email: 'instant' },
      { family: 'messages', inApp: true, email: 'off' },
      { family: 'mentions', inApp: true, email: 'digest' },
      { family: 'comments', inApp: false, email: 'off' },
    ],
  });
  const comment = (mentions: string[], participants: string[], excerpt: string) => ({
    topic: 'comments' as const,
    type: 'comment.added',
    key: cast.budgetId,
    payload: {
      budgetId: cast.budgetId,
      threadId: crypto.randomUUID(),
      commentId: crypto.randomUUID(),
      lineKey: crypto.randomUUID(),
      period: '2027-02-01',
      mentions,
      participants,
      excerpt,
    },
  });
  const toOtto = { ...cast, recipients: { ...cast.recipients, approvers: [otto.id] } };
  const ids = [
    await emitAs(t, owner, transition(toOtto, 'budget.submitted', 'draft', 'submitted')),
    await emitAs(t, owner, {
      topic: 'messages',
      type: 'message.sent',
      key: cast.budgetId,
      payload: { budgetId: cast.budgetId, message: 'Have a look', recipients: [otto.id] },
    }),
    await emitAs(t, adam, comment([otto.id], [owner.id], '@Otto is this right?')),
    await emitAs(t, adam, comment([owner.id], [otto.id], 'A thread Otto takes part in')),
  ];
  for (const id of ids) await t.eventually(() => handled(t, id));
  await t.eventually(async () => mails.some((m) => m.to === otto.email && m.subject.includes('submitted')));
  const bell = await otto.tab.trpc.notifications.list.query({});

  // 2027-03-01 10:00 UTC is 19:00 in Tokyo: no digest yet. 23:00 UTC is 08:00 the next morning.
  const evening = await sendDigests(systemContext(t.app.services, newTraceId()));
  await clock.set(new Date('2027-03-01T23:00:00Z'));
  const morning = await sendDigests(systemContext(t.app.services, newTraceId()));
  const again = await sendDigests(systemContext(t.app.services, newTraceId()));
  const digest = await t.eventually(async () =>
    mails.find((m) => m.to === otto.email && m.subject.includes('daily summary')),
  );
  const rows = await t.sql<{ kind: string; in_app: boolean; email: string; digested: boolean }>(
    `select kind, in_app, email, digested_at is not null as digested from notifications
     where recipient_id = ? order by kind`,
    [otto.id],
  );
  expect({
    rows,
    bell: bell.items.map((i) => i.kind).sort(),
    instantMails: mails
      .filter((m) => m.to === otto.email && m.subject.startsWith('Goalpost:') && !m.subject.includes('daily summary'))
      .map((m) => m.subject),
    digests: { evening, morning, again },
    digest: { subject: digest.subject, mentions: digest.raw.includes('is this right?') },
  }).toEqual({
    rows: [
      { kind: 'budget.submitted', in_app: false, email: 'instant', digested: false },
      { kind: 'comment.mention', in_app: true, email: 'digest', digested: true },
      { kind: 'message.sent', in_app: true, email: 'off', digested: false },
    ],
    bell: ['comment.mention', 'message.sent'],
    instantMails: ['Goalpost: Olivia Owner submitted “Travel 2027” for approval'],
    digests: { evening: 0, morning: 1, again: 0 },
    digest: { subject: 'Goalpost: your daily summary (1 notification)', mentions: true },
  });
});

it('retries an event that fails, dead-letters it without holding back its budget, and an admin retry delivers it', async () => {
  const { owner, sam } = cast;
  const admin = await t.admin();
  const { poison, after } = await t.refusingInserts('notifications', "new.body = 'Poisoned'", async () => {
    const poisonId = await emitAs(t, owner, {
      topic: 'messages',
      type: 'message.sent',
      key: cast.budgetId,
      payload: { budgetId: cast.budgetId, message: 'Poisoned', recipients: [sam.id] },
    });
    // Written after the poison, on the same budget: delivered once the poison is set aside.
    const afterId = await emitAs(t, owner, {
      topic: 'messages',
      type: 'message.sent',
      key: cast.budgetId,
      payload: { budgetId: cast.budgetId, message: 'Next in line', recipients: [sam.id] },
    });
    await t.eventually(async () => (await notified(afterId)).length > 0, 60_000);
    return { poison: poisonId, after: afterId };
  });
  const listed = await admin.trpc.deadLetters.list.query({});
  const letter = listed.items.find((d) => d.eventId === poison)!;
  const retried = await admin.trpc.deadLetters.retry.mutate({ deadLetterId: letter.id });
  const open = await admin.trpc.deadLetters.list.query({ status: 'open' });
  expect({
    letter: {
      consumer: letter.consumer,
      type: letter.type,
      attempts: letter.attempts,
      error: letter.error.split('\n')[0],
    },
    afterNotified: (await notified(after)).map((r) => cast.nameOf(r.recipient_id)),
    retried: { resolved: retried.resolvedAt !== null, attempts: retried.attempts },
    poisonNotified: (await notified(poison)).map((r) => r.title),
    stillOpen: open.items.some((d) => d.eventId === poison),
    forbidden: await owner.tab.trpc.deadLetters.list.query({}).then(
      () => 'allowed',
      (e: Error) => e.message,
    ),
  }).toEqual({
    letter: {
      consumer: 'notifications',
      type: 'message.sent',
      attempts: 5,
      error: expect.stringContaining('refused by the test'),
    },
    afterNotified: ['Sam Supervisor'],
    retried: { resolved: true, attempts: 5 },
    poisonNotified: ['Olivia Owner sent you a message about “Travel 2027”'],
    stillOpen: false,
    forbidden: 'You do not have permission to manage dead letters.',
  });
});

it('tells the admin who started a bulk registration that it finished', async () => {
  const admin = await t.admin();
  const { importId } = await admin.trpc.users.bulkValidate.mutate({
    fileName: 'newcomers.csv',
    csv: 'email,name\nnewcomer@deliver.test,Nina Newcomer\n',
  });
  await admin.trpc.users.bulkCommit.mutate({ importId });
  const [notification] = await t.eventually(async () => {
    const rows = await t.sql<{ title: string; kind: string; family: string; email: string }>(
      "select title, kind, family, email from notifications where kind like 'import.%'",
    );
    return rows.length ? rows : undefined;
  });
  expect(notification).toEqual({
    title: 'Your import “newcomers.csv” is done',
    kind: 'import.done',
    family: 'imports',
    email: 'off',
  });
});
