/**
 * Cell comments against the real server and PostgreSQL: threads with replies, @mentions offered
 * and accepted only for people who can read the budget, resolve and reopen, the grid's markers and
 * the side panel's filters, and the outbox events. Threads are anchored to a line key and a period,
 * so the test moves rows, inserts rows and makes a new revision (through the workflow's reopen),
 * and checks the thread is still on its cell each time.
 */
import { failure, startTestApp, type TestApp } from '@goalpost/testing';
import { type Cast, cast, share } from '@goalpost/testing/cast';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MANY_SIGN_INS = { RATE_LIMIT_LOGIN_PER_IP: '10000', RATE_LIMIT_LOGIN_PER_ACCOUNT: '10000' };

let t: TestApp;
let c: Cast;
let goalId: string;
beforeAll(async () => {
  t = await startTestApp(MANY_SIGN_INS);
  c = await cast(t, 'talk.test');
  goalId = (await c.owner.tab.trpc.goals.create.mutate({ name: 'Talk', targetAmountMinor: 0n, currency: 'EUR' })).id;
  await share(t, c, { type: 'goal', id: goalId });
}, 120_000);
afterAll(() => t?.close());

const key = () => crypto.randomUUID();

async function budgetWith(categories: string[]) {
  const budget = await c.owner.tab.trpc.budgets.create.mutate({
    goalId,
    name: 'Talked about',
    periodStart: '2027-01-01',
    periods: 3,
  });
  const keys = categories.map(() => key());
  await c.owner.tab.trpc.budgets.save.mutate({
    budgetId: budget.id,
    versionNumber: 1,
    lines: { added: categories.map((category, i) => ({ key: keys[i]!, position: i, category })) },
  });
  return { id: budget.id, subject: { type: 'budget' as const, id: budget.id }, keys };
}

describe('threads', () => {
  it('starts, replies with mentions, resolves and reopens, with markers, filters and events', async () => {
    const b = await budgetWith(['Rent', 'Travel']);
    const [rent, travel] = b.keys as [string, string];
    const thread = await c.owner.tab.trpc.comments.start.mutate({
      subject: b.subject,
      lineKey: travel,
      period: '2027-02-01',
      body: '@Commenter why so high?',
      mentions: [c.commenter.id],
    });
    const replied = await c.commenter.tab.trpc.comments.reply.mutate({
      threadId: thread.id,
      body: 'Conference in February, @Owner.',
      mentions: [c.owner.id],
    });
    await c.accountant.tab.trpc.comments.start.mutate({
      subject: b.subject,
      lineKey: rent,
      period: '2027-01-01',
      body: 'Contract attached?',
    });
    const list = (
      who: keyof Cast,
      filters: { status?: 'open' | 'resolved' | 'all'; mine?: boolean; mentioningMe?: boolean },
    ) =>
      c[who].tab.trpc.comments.list
        .query({ subject: b.subject, ...filters })
        .then((r) => r.threads.map((x) => `${x.line?.category} ${x.period}`));
    const markers = () => c.viewer.tab.trpc.comments.cells.query({ subject: b.subject });
    const filtered = {
      open: await list('viewer', {}),
      mineForCommenter: await list('commenter', { mine: true }),
      mentioningOwner: await list('owner', { mentioningMe: true }),
      mentioningAccountant: await list('accountant', { mentioningMe: true }),
    };
    const openMarkers = await markers();
    const resolved = await c.editor.tab.trpc.comments.resolve.mutate({ threadId: thread.id });
    const afterResolve = {
      markers: await markers(),
      open: await list('owner', {}),
      resolved: await list('owner', { status: 'resolved' }),
    };
    const closedReply = await failure(
      c.owner.tab.trpc.comments.reply.mutate({ threadId: thread.id, body: 'One more' }),
    );
    const reopened = await c.owner.tab.trpc.comments.reopen.mutate({ threadId: thread.id });
    const events = await t.sql<{ type: string; key: string; payload: Record<string, unknown> }>(
      `select type, key, payload from outbox_events where topic = 'comments' and key = ? order by created_at, id`,
      [b.id],
    );
    expect({
      replied: [
        replied.comments.map((x) => [x.author.name, x.body, x.mentions.map((m) => m.name)]),
        replied.mentionsMe,
      ],
      filtered,
      openMarkers,
      resolved: [resolved.status, resolved.resolvedBy?.name],
      afterResolve,
      closedReply,
      reopened: [reopened.status, reopened.resolvedBy],
      events: events.map((e) => [e.type, e.payload.authorId ?? e.payload.actorId, e.payload.mentions ?? null]),
      firstEvent: { ...events[0]?.payload, commentId: 'id', threadId: 'id' },
    }).toEqual({
      replied: [
        [
          [c.owner.name, '@Commenter why so high?', [c.commenter.name]],
          [c.commenter.name, 'Conference in February, @Owner.', [c.owner.name]],
        ],
        // The commenter, who replied, was mentioned in the first comment.
        true,
      ],
      filtered: {
        open: ['Rent 2027-01-01', 'Travel 2027-02-01'],
        mineForCommenter: ['Travel 2027-02-01'],
        mentioningOwner: ['Travel 2027-02-01'],
        mentioningAccountant: [],
      },
      openMarkers: [
        { lineKey: rent, period: '2027-01-01', open: 1 },
        { lineKey: travel, period: '2027-02-01', open: 1 },
      ].sort((x, y) => x.lineKey.localeCompare(y.lineKey)),
      resolved: ['resolved', c.editor.name],
      afterResolve: {
        markers: [{ lineKey: rent, period: '2027-01-01', open: 1 }],
        open: ['Rent 2027-01-01'],
        resolved: ['Travel 2027-02-01'],
      },
      closedReply: { code: 'CONFLICT', message: 'This thread is resolved. Reopen it to reply.' },
      reopened: ['open', null],
      events: [
        ['comment.added', c.owner.id, [c.commenter.id]],
        ['comment.added', c.commenter.id, [c.owner.id]],
        ['comment.added', c.accountant.id, []],
        ['thread.resolved', c.editor.id, null],
        ['thread.reopened', c.owner.id, null],
      ],
      firstEvent: {
        commentId: 'id',
        threadId: 'id',
        subject: b.subject,
        budgetId: b.id,
        forecastId: null,
        goalId,
        lineKey: travel,
        period: '2027-02-01',
        versionNumber: 1,
        ownerId: c.owner.id,
        participants: [],
        authorId: c.owner.id,
        actorId: c.owner.id,
        excerpt: '@Commenter why so high?',
        mentions: [c.commenter.id],
        newThread: true,
      },
    });
  });

  it('offers and accepts as mentions only people who can read the budget', async () => {
    const b = await budgetWith(['Rent']);
    const offered = await c.owner.tab.trpc.comments.mentionable.query({ subject: b.subject, limit: 20 });
    const searched = await c.commenter.tab.trpc.comments.mentionable.query({ subject: b.subject, search: 'SUPER' });
    const start = (mentions: string[]) =>
      failure(
        c.owner.tab.trpc.comments.start.mutate({
          subject: b.subject,
          lineKey: b.keys[0]!,
          period: '2027-01-01',
          body: 'Look',
          mentions,
        }),
      );
    const outsider = await start([c.viewer.id, c.stranger.id]);
    const lapsed = await start([c.expired.id]);
    const unknown = await start([crypto.randomUUID()]);
    const viewerWrites = await failure(
      c.viewer.tab.trpc.comments.start.mutate({
        subject: b.subject,
        lineKey: b.keys[0]!,
        period: '2027-01-01',
        body: 'Hi',
      }),
    );
    const badCell = await failure(
      c.owner.tab.trpc.comments.start.mutate({ subject: b.subject, lineKey: key(), period: '2028-01-01', body: 'Hi' }),
    );
    const admin = await t.admin();
    const adminMe = await admin.trpc.auth.me.query();
    expect({
      offered: offered.map((p) => p.name).sort(),
      searched: searched.map((p) => p.email),
      outsider,
      lapsed: lapsed.message,
      unknown: unknown.message,
      viewerWrites,
      badCell,
    }).toEqual({
      offered: [
        c.accountant.name,
        c.admin.name,
        c.approver.name,
        c.commenter.name,
        c.editor.name,
        c.supervisor.name,
        c.viewer.name,
        adminMe?.name,
      ].sort(),
      searched: [c.supervisor.email],
      outsider: {
        code: 'BAD_REQUEST',
        message: `mentions.1: ${c.stranger.name} cannot see this budget. Share it with them first, or leave the mention out.`,
      },
      lapsed: `mentions.0: ${c.expired.name} cannot see this budget. Share it with them first, or leave the mention out.`,
      unknown: 'mentions.0: No such person, or their account is deactivated.',
      viewerWrites: {
        code: 'FORBIDDEN',
        message:
          'You may not comment on this budget. Commenting needs commenter rights or more; ask its owner to share it with you.',
      },
      badCell: {
        code: 'BAD_REQUEST',
        message: 'lineKey: This line is not in the budget’s current revision. Reload the grid.',
      },
    });
  });
});

describe('a thread stays on its cell', () => {
  it('through reordering, inserted rows and a new revision, carried and marked so', async () => {
    const b = await budgetWith(['A', 'B', 'C']);
    const [a, bKey, cKey] = b.keys as [string, string, string];
    const thread = await c.commenter.tab.trpc.comments.start.mutate({
      subject: b.subject,
      lineKey: bKey,
      period: '2027-02-01',
      body: 'On B in February',
    });
    const where = async (versionNumber?: number) => {
      const grid = await c.owner.tab.trpc.budgets.get.query({ budgetId: b.id, versionNumber });
      const cells = await c.owner.tab.trpc.comments.cells.query({ subject: b.subject, versionNumber });
      const listed = await c.owner.tab.trpc.comments.list.query({ subject: b.subject, versionNumber, status: 'all' });
      return {
        rows: grid.lines.map((l) => l.category),
        markers: cells.map((m) => `${grid.lines.find((l) => l.key === m.lineKey)?.category ?? 'no row'} ${m.period}`),
        threads: listed.threads.map((x) => [
          x.line?.category ?? null,
          x.period,
          x.versionNumber,
          x.carried,
          x.lineExists,
        ]),
      };
    };
    const save = (lines: Record<string, unknown>, versionNumber = 1) =>
      c.owner.tab.trpc.budgets.save.mutate({ budgetId: b.id, versionNumber, lines: lines as never });
    await save({ order: [cKey, bKey, a] });
    const reordered = await where();
    await save({ added: [{ key: key(), position: 0, category: 'New' }], order: undefined });
    const grid = await c.owner.tab.trpc.budgets.get.query({ budgetId: b.id });
    await save({ order: [grid.lines.find((l) => l.category === 'New')!.key, cKey, bKey, a] });
    const inserted = await where();
    // Through the workflow to a final approval, then reopened as revision 2.
    const move = (who: keyof Cast, action: 'submit' | 'approve' | 'final-approve' | 'reopen', expectedState: string) =>
      c[who].tab.trpc.workflow.transition.mutate({ budgetId: b.id, action, expectedState: expectedState as never });
    await move('owner', 'submit', 'draft');
    await move('approver', 'approve', 'submitted');
    await move('supervisor', 'final-approve', 'approved');
    await move('owner', 'reopen', 'final_approved');
    const v2 = await where();
    const onV2 = await c.owner.tab.trpc.comments.start.mutate({
      subject: b.subject,
      lineKey: a,
      period: '2027-03-01',
      body: 'Only on revision 2',
    });
    const v1 = await where(1);
    await save({ removed: [bKey] }, 2);
    const removed = await where();
    expect({ reordered, inserted, v2, v1, onV2: onV2.versionNumber, removed, thread: thread.versionNumber }).toEqual({
      thread: 1,
      reordered: {
        rows: ['C', 'B', 'A'],
        markers: ['B 2027-02-01'],
        threads: [['B', '2027-02-01', 1, false, true]],
      },
      inserted: {
        rows: ['New', 'C', 'B', 'A'],
        markers: ['B 2027-02-01'],
        threads: [['B', '2027-02-01', 1, false, true]],
      },
      v2: {
        rows: ['New', 'C', 'B', 'A'],
        markers: ['B 2027-02-01'],
        threads: [['B', '2027-02-01', 1, true, true]],
      },
      onV2: 2,
      // The approved revision shows what was said up to it, not what came after.
      v1: {
        rows: ['New', 'C', 'B', 'A'],
        markers: ['B 2027-02-01'],
        threads: [['B', '2027-02-01', 1, false, true]],
      },
      // B is gone from revision 2: its thread has no cell there (no marker), and says so.
      removed: {
        rows: ['New', 'C', 'A'],
        markers: ['A 2027-03-01'],
        threads: [
          ['A', '2027-03-01', 2, false, true],
          [null, '2027-02-01', 1, true, false],
        ],
      },
    });
  });

  it('anchors a forecast’s threads to the budget’s lines', async () => {
    const b = await budgetWith(['Rent']);
    const forecast = await c.owner.tab.trpc.forecasts.create.mutate({ budgetId: b.id, name: 'Outlook' });
    const subject = { type: 'forecast' as const, id: forecast.id };
    const thread = await c.approver.tab.trpc.comments.start.mutate({
      subject,
      lineKey: b.keys[0]!,
      period: '2027-03-01',
      body: 'Actuals late?',
    });
    const cells = await c.viewer.tab.trpc.comments.cells.query({ subject });
    const onBudget = await c.viewer.tab.trpc.comments.cells.query({ subject: b.subject });
    expect({ subject: thread.subject, versionNumber: thread.versionNumber, cells, onBudget }).toEqual({
      subject,
      versionNumber: null,
      cells: [{ lineKey: b.keys[0], period: '2027-03-01', open: 1 }],
      onBudget: [],
    });
  });
});
