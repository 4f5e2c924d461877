/**
 * Notifications end to end, on the embedded default bus, from the real procedures: people share,
 * comment and move a budget through the approval workflow with their own signed-in tabs; those
 * procedures write their events to the outbox; the relay hands them to pg-boss; the notifications
 * consumer turns them into notifications for the right people; mails go out through the
 * mail-deliver job to a real SMTP server on loopback. No event is made by hand, so a payload the
 * consumer misreads shows up here as a missing notification or a dead letter.
 *
 * What is checked: sharing tells the grantee, comments tell the people mentioned, the thread's
 * participants and the owner; each workflow step (and a delegation) reaches exactly the people the
 * workflow names, in the app and by mail, with titles, bodies and links that read well; a delivery
 * handed to the consumer again notifies nobody twice; each person's channels are respected (mail
 * only, app only, the morning digest, once a day); an event the consumer cannot handle is retried,
 * then dead-lettered without holding back the next event of its budget, and an admin's retry
 * delivers it once the cause is gone. Time moves by hand (pg-boss's TestClock).
 */
import type { AddressInfo } from 'node:net';
import type { WorkflowState } from '@goalpost/db';
import { startTestApp, type TestApp } from '@goalpost/testing';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { consumers } from '../consumers.ts';
import { systemContext } from '../context.ts';
import { fromWire } from '../outbox/bus.ts';
import { subscription } from '../outbox/consume.ts';
import { ManualClock } from '../platform/clock.ts';
import { newTraceId } from '../platform/trace.ts';
import type { WorkflowAction } from '../workflow/transitions.ts';
import { approvalCast, type Cast, type Person, person, settle } from './approval-cast.ts';
import { sendDigests } from './digest.ts';

const clock = new ManualClock(new Date('2027-03-01T10:00:00Z'));
const mails: { to: string; subject: string; raw: string }[] = [];
let smtp: SMTPServer;
let t: TestApp;
let cast: Cast;
/** Besides the cast: Eddie edits the budget (shared as editor), Dana stands in for Adam. */
let eddie: Person;
let dana: Person;
let admin: Person;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // No reverse DNS for the client: a slow resolver would add 1.5 s to every mail.
    disableReverseLookup: true,
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
  eddie = await person(t, 'Eddie Editor', 'user', 'deliver.test');
  dana = await person(t, 'Dana Delegate', 'user', 'deliver.test');
  const adminTab = await t.admin();
  const me = (await adminTab.trpc.auth.me.query())!;
  admin = { id: me.id, name: me.name, email: me.email, tab: adminTab };
  await cast.owner.tab.trpc.sharing.grant.mutate({
    subject: { type: 'budget', id: cast.budgetId },
    userId: eddie.id,
    level: 'editor',
  });
}, 120_000);

afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
});

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

/** Notification mails, not the invitations the setup sends (which may still be arriving). */
const isNotification = (m: { subject: string }) => m.subject !== 'You are invited to Goalpost';

interface Row {
  recipient_id: string;
  kind: string;
  in_app: boolean;
  email: string;
  title: string;
  body: string | null;
  link: string | null;
}

async function notified(eventId: string): Promise<Row[]> {
  return t.sql<Row>(
    `select recipient_id, kind, in_app, email, title, body, link from notifications where event_id = ?
     order by recipient_id`,
    [eventId],
  );
}

const everyone = () => [cast.owner, cast.adam, cast.alice, cast.sam, cast.outsider, eddie, dana, admin];
const nameOf = (id: unknown) => everyone().find((p) => p.id === id)?.name ?? String(id);
const emailOf = (id: string) => everyone().find((p) => p.id === id)?.email;

/**
 * Runs one step (procedure calls that write one event), waits for its notifications and their
 * mails, and tells who was told what: { person: title }, the mails sent during the step, and the
 * rows themselves.
 */
async function step(act: () => Promise<unknown>) {
  const mailsBefore = mails.length;
  const events = await settle(t, act);
  if (events.length !== 1) throw new Error(`Expected one event, got ${events.map((e) => e.type).join(', ')}`);
  const [event] = events as [(typeof events)[number]];
  const rows = await notified(event.id);
  const unmailed = () =>
    rows
      .filter((r) => r.email === 'instant')
      .filter(
        (r) =>
          !mails
            .slice(mailsBefore)
            .some((m) => m.to === emailOf(r.recipient_id) && m.subject === `Goalpost: ${r.title}`),
      );
  try {
    // A send the mail server refused is retried with backoff (30 s, 60 s…, on the manual clock):
    // allow for one such retry on a slow machine.
    await t.eventually(async () => unmailed().length === 0, 60_000);
  } catch (error) {
    // Say where each missing mail stands, so a failure here names its cause.
    const missing = unmailed().map((r) => emailOf(r.recipient_id) ?? r.recipient_id);
    const states = await t.sql(
      `select to_address, subject, status, attempts, last_error from mail_messages where to_address in (?)
       order by created_at desc limit 20`,
      [missing],
    );
    throw new Error(`${(error as Error).message}: no mail yet to ${missing.join(', ')}; ${JSON.stringify(states)}`);
  }
  return {
    label: `${event.type} by ${nameOf(event.payload.actorId)}`,
    told: Object.fromEntries(rows.map((r) => [nameOf(r.recipient_id), r.title])),
    mailed: mails
      .slice(mailsBefore)
      .filter(isNotification)
      .map((m) => m.to)
      .sort(),
    rows: Object.fromEntries(rows.map((r) => [nameOf(r.recipient_id), r])),
  };
}

it('tells the grantee of a share, and the people a comment mentions or concerns, through the real procedures', async () => {
  const { owner, adam, alice, sam, outsider: otto } = cast;
  const budget = { type: 'budget' as const, id: cast.budgetId };
  // The cast's own shares (Olivia to Adam and Alice, as approvers) went the same way.
  const castShares = await t.eventually(async () => {
    const rows = await t.sql<{ recipient: string; title: string; body: string; link: string }>(
      `select u.name as recipient, n.title, n.body, n.link from notifications n join users u on u.id = n.recipient_id
       where n.kind = 'grant.created' order by u.name`,
    );
    return rows.length === 3 ? rows : undefined;
  });
  const steps = [];
  let grantId = '';
  steps.push(
    await step(async () => {
      grantId = (await owner.tab.trpc.sharing.grant.mutate({ subject: budget, userId: otto.id, level: 'commenter' }))
        .id;
    }),
  );
  steps.push(
    await step(() =>
      owner.tab.trpc.sharing.update.mutate({ grantId, level: 'editor', expiresAt: new Date('2027-12-31T00:00:00Z') }),
    ),
  );
  let threadId = '';
  steps.push(
    await step(async () => {
      const thread = await adam.tab.trpc.comments.start.mutate({
        subject: budget,
        lineKey: cast.travelLine,
        period: '2027-02-01',
        body: '@Sam is the February fare right?',
        mentions: [sam.id],
      });
      threadId = thread.id;
    }),
  );
  steps.push(
    await step(() =>
      alice.tab.trpc.comments.reply.mutate({ threadId, body: '@Otto can you check the invoice?', mentions: [otto.id] }),
    ),
  );
  steps.push(await step(() => owner.tab.trpc.comments.resolve.mutate({ threadId })));
  steps.push(await step(() => adam.tab.trpc.comments.reopen.mutate({ threadId })));
  steps.push(await step(() => owner.tab.trpc.sharing.revoke.mutate({ grantId })));

  const budgetLink = `/budgets/${cast.budgetId}`;
  const threadLink = `${budgetLink}?line=${cast.travelLine}&period=2027-02-01&thread=${threadId}`;
  const [shared, updated, started, replied, resolved, , revoked] = steps;
  expect({
    castShares,
    steps: steps.map(({ label, told, mailed }) => ({ label, told, mailed })),
    bodies: {
      shared: shared?.rows['Otto Outsider']?.body,
      updated: updated?.rows['Otto Outsider']?.body,
      mention: started?.rows['Sam Supervisor']?.body,
      reply: replied?.rows['Adam Accountant']?.body,
    },
    links: {
      shared: shared?.rows['Otto Outsider']?.link,
      mention: replied?.rows['Otto Outsider']?.link,
      resolved: resolved?.rows['Adam Accountant']?.link,
      revoked: revoked?.rows['Otto Outsider']?.link,
    },
    kinds: Object.fromEntries(Object.entries(replied?.rows ?? {}).map(([name, r]) => [name, `${r.kind} (${r.email})`])),
  }).toEqual({
    castShares: [
      {
        recipient: 'Adam Accountant',
        title: 'Olivia Owner shared “Travel 2027” with you',
        body: 'You can review and approve it.',
        link: budgetLink,
      },
      {
        recipient: 'Alice Auditor',
        title: 'Olivia Owner shared “Travel 2027” with you',
        body: 'You can review and approve it.',
        link: budgetLink,
      },
      {
        recipient: 'Eddie Editor',
        title: 'Olivia Owner shared “Travel 2027” with you',
        body: 'You can view, comment on and edit it.',
        link: budgetLink,
      },
    ],
    steps: [
      {
        label: 'grant.created by Olivia Owner',
        told: { 'Otto Outsider': 'Olivia Owner shared “Travel 2027” with you' },
        mailed: [],
      },
      {
        label: 'grant.updated by Olivia Owner',
        told: { 'Otto Outsider': 'Olivia Owner changed your access to “Travel 2027”' },
        mailed: [],
      },
      {
        label: 'comment.added by Adam Accountant',
        told: {
          'Sam Supervisor': 'Adam Accountant mentioned you on “Travel 2027” (Feb 2027)',
          'Olivia Owner': 'Adam Accountant commented on your budget “Travel 2027” (Feb 2027)',
        },
        mailed: ['sam@deliver.test'],
      },
      {
        label: 'comment.added by Alice Auditor',
        told: {
          'Otto Outsider': 'Alice Auditor mentioned you on “Travel 2027” (Feb 2027)',
          'Adam Accountant': 'Alice Auditor replied to a thread you are in on “Travel 2027” (Feb 2027)',
          'Olivia Owner': 'Alice Auditor commented on your budget “Travel 2027” (Feb 2027)',
        },
        mailed: ['otto@deliver.test'],
      },
      {
        label: 'thread.resolved by Olivia Owner',
        told: {
          'Adam Accountant': 'Olivia Owner resolved a thread you are in on “Travel 2027” (Feb 2027)',
          'Alice Auditor': 'Olivia Owner resolved a thread you are in on “Travel 2027” (Feb 2027)',
        },
        mailed: [],
      },
      {
        label: 'thread.reopened by Adam Accountant',
        told: { 'Alice Auditor': 'Adam Accountant reopened a thread you are in on “Travel 2027” (Feb 2027)' },
        mailed: [],
      },
      {
        label: 'grant.revoked by Olivia Owner',
        told: { 'Otto Outsider': 'Olivia Owner stopped sharing “Travel 2027” with you' },
        mailed: [],
      },
    ],
    bodies: {
      shared: 'You can view and comment on it.',
      updated: 'You can now view, comment on and edit it until 31 Dec 2027, 00:00 UTC.',
      mention: '@Sam is the February fare right?',
      reply: '@Otto can you check the invoice?',
    },
    links: { shared: budgetLink, mention: threadLink, resolved: threadLink, revoked: null },
    kinds: {
      'Otto Outsider': 'comment.mention (instant)',
      'Adam Accountant': 'comment.added (off)',
      'Olivia Owner': 'comment.added (off)',
    },
  });
}, 240_000);

it('tells exactly the people the workflow names of each step, in the app and by mail, and the approver a delegate acted for', async () => {
  const { owner, adam, alice, sam } = cast;
  const move = (who: Person, action: WorkflowAction, expectedState: WorkflowState, reason?: string) => () =>
    who.tab.trpc.workflow.transition.mutate({ budgetId: cast.budgetId, action, expectedState, reason });
  let delegationId = '';
  const steps = [
    await step(move(owner, 'submit', 'draft')),
    await step(move(owner, 'recall', 'submitted')),
    await step(move(eddie, 'submit', 'draft', 'First full draft: travel only.')),
    await step(move(adam, 'start-review', 'submitted')),
    await step(move(alice, 'send-back', 'in_review', 'The hotel is too dear.')),
    await step(move(eddie, 'revise', 'changes_requested')),
    await step(move(owner, 'submit', 'draft')),
    await step(move(adam, 'approve', 'submitted')),
    await step(move(sam, 'send-back', 'approved', 'Split travel and lodging.')),
    await step(move(owner, 'revise', 'changes_requested')),
    await step(move(owner, 'submit', 'draft')),
    await step(async () => {
      delegationId = (
        await adam.tab.trpc.workflow.delegate.mutate({
          delegateId: dana.id,
          startsAt: new Date('2027-03-01T09:00:00Z'),
          endsAt: new Date('2027-03-08T18:00:00Z'),
        })
      ).id;
    }),
    await step(move(dana, 'approve', 'submitted')),
    await step(() => dana.tab.trpc.workflow.endDelegation.mutate({ delegationId })),
    await step(move(sam, 'final-approve', 'approved')),
    await step(move(owner, 'reopen', 'final_approved')),
    await step(move(admin, 'cancel', 'draft', 'The trip is called off.')),
  ];
  const row = (i: number, name: string) => {
    const r = steps[i]?.rows[name];
    return r && { title: r.title, body: r.body, link: r.link };
  };
  const budgetLink = `/budgets/${cast.budgetId}`;
  const deadLetters = await t.sql('select consumer, type from dead_letters');
  expect({
    steps: steps.map(({ label, told, mailed }, i) => ({ [`${i + 1} ${label}`]: { told, mailed } })),
    read: {
      submitted: row(2, 'Adam Accountant'),
      reviewing: row(3, 'Olivia Owner'),
      sentBack: row(4, 'Eddie Editor'),
      awaitingFinal: row(7, 'Sam Supervisor'),
      delegated: row(11, 'Dana Delegate'),
      delegationEnded: row(13, 'Adam Accountant'),
      onBehalf: row(12, 'Adam Accountant'),
      cancelled: row(16, 'Alice Auditor'),
    },
    deadLetters,
  }).toEqual({
    steps: [
      {
        '1 budget.submitted by Olivia Owner': {
          told: {
            'Adam Accountant': 'Olivia Owner submitted “Travel 2027” for approval',
            'Alice Auditor': 'Olivia Owner submitted “Travel 2027” for approval',
          },
          mailed: ['adam@deliver.test', 'alice@deliver.test'],
        },
      },
      {
        '2 budget.recalled by Olivia Owner': {
          told: {
            'Adam Accountant': 'Olivia Owner recalled “Travel 2027” from approval',
            'Alice Auditor': 'Olivia Owner recalled “Travel 2027” from approval',
          },
          mailed: ['adam@deliver.test', 'alice@deliver.test'],
        },
      },
      {
        '3 budget.submitted by Eddie Editor': {
          told: {
            'Adam Accountant': 'Eddie Editor submitted “Travel 2027” for approval',
            'Alice Auditor': 'Eddie Editor submitted “Travel 2027” for approval',
          },
          mailed: ['adam@deliver.test', 'alice@deliver.test'],
        },
      },
      {
        '4 budget.review-started by Adam Accountant': {
          told: { 'Olivia Owner': 'Adam Accountant started reviewing “Travel 2027”' },
          mailed: ['olivia@deliver.test'],
        },
      },
      {
        // The owner, and Eddie who submitted this version.
        '5 budget.changes-requested by Alice Auditor': {
          told: {
            'Olivia Owner': 'Alice Auditor sent “Travel 2027” back for changes',
            'Eddie Editor': 'Alice Auditor sent “Travel 2027” back for changes',
          },
          mailed: ['eddie@deliver.test', 'olivia@deliver.test'],
        },
      },
      { '6 budget.revised by Eddie Editor': { told: {}, mailed: [] } },
      {
        '7 budget.submitted by Olivia Owner': {
          told: {
            'Adam Accountant': 'Olivia Owner submitted “Travel 2027” for approval',
            'Alice Auditor': 'Olivia Owner submitted “Travel 2027” for approval',
          },
          mailed: ['adam@deliver.test', 'alice@deliver.test'],
        },
      },
      {
        '8 budget.approved by Adam Accountant': {
          told: {
            'Olivia Owner': 'Adam Accountant approved “Travel 2027”',
            'Sam Supervisor': '“Travel 2027” is waiting for your final approval',
          },
          mailed: ['olivia@deliver.test', 'sam@deliver.test'],
        },
      },
      {
        '9 budget.changes-requested by Sam Supervisor': {
          told: { 'Olivia Owner': 'Sam Supervisor sent “Travel 2027” back for changes' },
          mailed: ['olivia@deliver.test'],
        },
      },
      { '10 budget.revised by Olivia Owner': { told: {}, mailed: [] } },
      {
        '11 budget.submitted by Olivia Owner': {
          told: {
            'Adam Accountant': 'Olivia Owner submitted “Travel 2027” for approval',
            'Alice Auditor': 'Olivia Owner submitted “Travel 2027” for approval',
          },
          mailed: ['adam@deliver.test', 'alice@deliver.test'],
        },
      },
      {
        '12 delegation.created by Adam Accountant': {
          told: { 'Dana Delegate': 'Adam Accountant handed their approvals to you' },
          mailed: ['dana@deliver.test'],
        },
      },
      {
        '13 budget.approved by Dana Delegate': {
          told: {
            'Adam Accountant': 'Dana Delegate approved “Travel 2027” on your behalf',
            'Olivia Owner': 'Dana Delegate (for Adam Accountant) approved “Travel 2027”',
            'Sam Supervisor': '“Travel 2027” is waiting for your final approval',
          },
          mailed: ['adam@deliver.test', 'olivia@deliver.test', 'sam@deliver.test'],
        },
      },
      {
        '14 delegation.ended by Dana Delegate': {
          told: { 'Adam Accountant': 'Dana Delegate no longer approves for you' },
          mailed: ['adam@deliver.test'],
        },
      },
      {
        '15 budget.final-approved by Sam Supervisor': {
          told: { 'Olivia Owner': 'Sam Supervisor gave “Travel 2027” its final approval' },
          mailed: ['olivia@deliver.test'],
        },
      },
      { '16 budget.reopened by Olivia Owner': { told: {}, mailed: [] } },
      {
        '17 budget.cancelled by Administrator': {
          told: {
            'Olivia Owner': 'Administrator cancelled “Travel 2027”',
            'Adam Accountant': 'Administrator cancelled “Travel 2027”',
            'Alice Auditor': 'Administrator cancelled “Travel 2027”',
            'Sam Supervisor': 'Administrator cancelled “Travel 2027”',
          },
          mailed: ['adam@deliver.test', 'alice@deliver.test', 'olivia@deliver.test', 'sam@deliver.test'],
        },
      },
    ],
    read: {
      submitted: {
        title: 'Eddie Editor submitted “Travel 2027” for approval',
        body: 'Revision 1 is waiting for your review. Note: First full draft: travel only.',
        link: budgetLink,
      },
      reviewing: {
        title: 'Adam Accountant started reviewing “Travel 2027”',
        body: 'Revision 1 is in review, so it can no longer be recalled.',
        link: budgetLink,
      },
      sentBack: {
        title: 'Alice Auditor sent “Travel 2027” back for changes',
        body: 'The hotel is too dear.',
        link: budgetLink,
      },
      awaitingFinal: {
        title: '“Travel 2027” is waiting for your final approval',
        body: 'Adam Accountant approved revision 1; the final approval is yours.',
        link: budgetLink,
      },
      delegated: {
        title: 'Adam Accountant handed their approvals to you',
        body: 'From 1 Mar 2027, 09:00 UTC to 8 Mar 2027, 18:00 UTC you may approve what Adam Accountant approves, on their behalf.',
        link: '/approvals',
      },
      delegationEnded: {
        title: 'Dana Delegate no longer approves for you',
        body: 'Dana Delegate ended the delegation.',
        link: '/account#account-delegation',
      },
      onBehalf: {
        title: 'Dana Delegate approved “Travel 2027” on your behalf',
        body: 'Revision 1 now waits for its final approval.',
        link: budgetLink,
      },
      cancelled: { title: 'Administrator cancelled “Travel 2027”', body: 'The trip is called off.', link: budgetLink },
    },
    deadLetters: [],
  });
}, 240_000);

it('notifies once when the same event is delivered again', async () => {
  const [event] = await settle(t, () =>
    cast.owner.tab.trpc.notifications.send.mutate({
      budgetId: cast.budgetId,
      recipientIds: [cast.sam.id],
      message: 'Twice?',
    }),
  );
  const id = event!.id;
  const [row] = await t.sql<Record<string, unknown>>(
    `select id, seq, org_id as org, topic, type, key, payload, trace_id as "traceId", created_at as "createdAt"
     from outbox_events where id = ?`,
    [id],
  );
  const again = subscription(t.app.services, consumers.notifications);
  const wired = fromWire(row!);
  const outcomes = [
    ...(await again.handle([{ event: wired, attempt: 1 }])),
    ...(await again.handle([{ event: wired, attempt: 2 }])),
  ];
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
    notifications: rows.map((r) => nameOf(r.recipient_id)),
    mails: mails.filter((m) => m.raw.includes('Twice?')).map((m) => m.to),
  }).toEqual({
    outcomes: [{ ok: true }, { ok: true }],
    notifications: ['Sam Supervisor'],
    mails: ['sam@deliver.test'],
  });
});

it("respects each person's channels: mail only, app only, and one digest in their morning", async () => {
  const { owner, adam } = cast;
  const taro = await person(t, 'Taro Tanaka', 'user', 'deliver.test');
  await taro.tab.trpc.notifications.setPreferences.mutate({
    timeZone: 'Asia/Tokyo',
    families: [
      { family: 'workflow', inApp: false, email: 'instant' },
      { family: 'messages', inApp: true, email: 'off' },
      { family: 'mentions', inApp: true, email: 'digest' },
      { family: 'comments', inApp: false, email: 'off' },
    ],
  });
  const goal = await owner.tab.trpc.goals.create.mutate({ name: 'Offsite', targetAmountMinor: 0n, currency: 'EUR' });
  const budget = await owner.tab.trpc.budgets.create.mutate({
    goalId: goal.id,
    name: 'Offsite 2027',
    periodStart: '2027-01-01',
    periods: 12,
  });
  const line = crypto.randomUUID();
  await owner.tab.trpc.budgets.save.mutate({
    budgetId: budget.id,
    versionNumber: 1,
    lines: { added: [{ key: line, position: 0, category: 'Venue' }] },
  });
  const subject = { type: 'budget' as const, id: budget.id };
  // Taro approves it (sharing: in the app, no mail by default); Adam may comment on it.
  await settle(t, async () => {
    await owner.tab.trpc.sharing.grant.mutate({ subject, userId: taro.id, level: 'approver' });
    await owner.tab.trpc.sharing.grant.mutate({ subject, userId: adam.id, level: 'commenter' });
  });
  await settle(t, () =>
    owner.tab.trpc.workflow.transition.mutate({ budgetId: budget.id, action: 'submit', expectedState: 'draft' }),
  );
  await settle(t, () =>
    owner.tab.trpc.notifications.send.mutate({ budgetId: budget.id, recipientIds: [taro.id], message: 'Have a look' }),
  );
  await settle(t, () =>
    adam.tab.trpc.comments.start.mutate({
      subject,
      lineKey: line,
      period: '2027-05-01',
      body: '@Taro is this right?',
      mentions: [taro.id],
    }),
  );
  // A thread Taro started: Adam's reply is for him as a participant, in the comments family (all off).
  const own = await taro.tab.trpc.comments.start.mutate({
    subject,
    lineKey: line,
    period: '2027-06-01',
    body: 'June?',
  });
  await settle(t, () => adam.tab.trpc.comments.reply.mutate({ threadId: own.id, body: 'Yes, June.' }));
  await t.eventually(async () => mails.some((m) => m.to === taro.email && m.subject.includes('submitted')));
  const bell = await taro.tab.trpc.notifications.list.query({});

  // 2027-03-01 ~10:00 UTC is 19:00 in Tokyo: no digest yet. 23:00 UTC is 08:00 the next morning.
  const evening = await sendDigests(systemContext(t.app.services, newTraceId()));
  await clock.set(new Date('2027-03-01T23:00:00Z'));
  const morning = await sendDigests(systemContext(t.app.services, newTraceId()));
  const again = await sendDigests(systemContext(t.app.services, newTraceId()));
  // The mail job runs as the clock ticks; on a loaded machine that takes more than the default wait.
  const digest = await t.eventually(
    async () => mails.find((m) => m.to === taro.email && m.subject.includes('daily summary')),
    60_000,
  );
  const rows = await t.sql<{ kind: string; in_app: boolean; email: string; digested: boolean }>(
    `select kind, in_app, email, digested_at is not null as digested from notifications
     where recipient_id = ? order by kind`,
    [taro.id],
  );
  expect({
    rows,
    bell: bell.items.map((i) => i.kind).sort(),
    instantMails: mails
      .filter((m) => m.to === taro.email && m.subject.startsWith('Goalpost:') && !m.subject.includes('daily summary'))
      .map((m) => m.subject),
    digests: { evening, morning, again },
    digest: { subject: digest.subject, mentions: digest.raw.includes('is this right?') },
  }).toEqual({
    rows: [
      { kind: 'budget.submitted', in_app: false, email: 'instant', digested: false },
      { kind: 'comment.mention', in_app: true, email: 'digest', digested: true },
      { kind: 'grant.created', in_app: true, email: 'off', digested: false },
      { kind: 'message.sent', in_app: true, email: 'off', digested: false },
    ],
    bell: ['comment.mention', 'grant.created', 'message.sent'],
    instantMails: ['Goalpost: Olivia Owner submitted “Offsite 2027” for approval'],
    digests: { evening: 0, morning: 1, again: 0 },
    digest: { subject: 'Goalpost: your daily summary (1 notification)', mentions: true },
  });
});

it('retries an event that fails, dead-letters it without holding back its budget, and an admin retry delivers it', async () => {
  const { owner, sam } = cast;
  const eventOf = async (message: string) =>
    (
      await t.sql<{ id: string }>(
        "select id from outbox_events where type = 'message.sent' and payload->>'message' = ?",
        [message],
      )
    )[0]!.id;
  const send = (message: string) =>
    owner.tab.trpc.notifications.send.mutate({ budgetId: cast.budgetId, recipientIds: [sam.id], message });
  const { poison, after } = await t.refusingInserts('notifications', "new.body = 'Poisoned'", async () => {
    await send('Poisoned');
    // Written after the poison, on the same budget: delivered once the poison is set aside.
    await send('Next in line');
    const afterId = await eventOf('Next in line');
    await t.eventually(async () => (await notified(afterId)).length > 0, 60_000);
    return { poison: await eventOf('Poisoned'), after: afterId };
  });
  const listed = await admin.tab.trpc.deadLetters.list.query({});
  const letter = listed.items.find((d) => d.eventId === poison)!;
  const retried = await admin.tab.trpc.deadLetters.retry.mutate({ deadLetterId: letter.id });
  const open = await admin.tab.trpc.deadLetters.list.query({ status: 'open' });
  expect({
    letter: {
      consumer: letter.consumer,
      type: letter.type,
      attempts: letter.attempts,
      error: letter.error.split('\n')[0],
    },
    afterNotified: (await notified(after)).map((r) => nameOf(r.recipient_id)),
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
  const { importId } = await admin.tab.trpc.users.bulkValidate.mutate({
    fileName: 'newcomers.csv',
    csv: 'email,name\nnewcomer@deliver.test,Nina Newcomer\n',
  });
  await admin.tab.trpc.users.bulkCommit.mutate({ importId });
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
