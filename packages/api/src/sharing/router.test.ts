/**
 * Sharing against the real server and PostgreSQL, on a manual clock so that expiry is tested by
 * moving time, not by waiting: a grant gives access at its level (a goal's covers its budgets),
 * changes at once, ends at once when revoked and by itself when it expires; the Share dialog, the
 * "Shared with me" list, the user picker (limited, nothing but id, name and email) and the admin's
 * "who has access, and why".
 */
import { ManualClock } from '@goalpost/api';
import { failure, startTestApp, type TestApp } from '@goalpost/testing';
import { type Cast, cast, person } from '@goalpost/testing/cast';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const HOUR = 3_600_000;
const clock = new ManualClock(new Date('2027-02-01T09:00:00Z'));
let t: TestApp;
let c: Cast;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_LOGIN_PER_IP: '10000', RATE_LIMIT_LOGIN_PER_ACCOUNT: '10000' }, { clock });
  c = await cast(t, 'share.test');
}, 120_000);
afterAll(() => t?.close());

async function goalWithBudget(name = 'Shared') {
  const goal = await c.owner.tab.trpc.goals.create.mutate({ name, targetAmountMinor: 0n, currency: 'EUR' });
  const budget = await c.owner.tab.trpc.budgets.create.mutate({
    goalId: goal.id,
    name: `${name} budget`,
    periodStart: '2027-01-01',
    periods: 2,
  });
  return { goal: { type: 'goal' as const, id: goal.id }, budget: { type: 'budget' as const, id: budget.id } };
}

describe('grants', () => {
  it('give access at their level, change at once, end at once when revoked and by themselves when expired', async () => {
    const { goal, budget } = await goalWithBudget();
    const startedAt = clock.now();
    const owner = c.owner.tab.trpc.sharing;
    const reader = c.stranger.tab.trpc;
    const edit = () =>
      reader.budgets.save.mutate({
        budgetId: budget.id,
        versionNumber: 1,
        lines: { added: [{ key: crypto.randomUUID(), position: 0, category: 'X' }] },
      });
    const before = await failure(reader.budgets.get.query({ budgetId: budget.id }));
    const granted = await owner.grant.mutate({ subject: goal, userId: c.stranger.id, level: 'editor' });
    const asEditor = [
      (await reader.budgets.get.query({ budgetId: budget.id })).permissions.edit,
      (await edit()).applied,
    ];
    const again = await owner.grant.mutate({ subject: goal, userId: c.stranger.id, level: 'viewer' });
    const asViewer = await failure(edit());
    const onBudget = await owner.grant.mutate({
      subject: budget,
      userId: c.commenter.id,
      level: 'commenter',
      expiresAt: new Date(startedAt.getTime() + HOUR),
    });
    const dialog = await owner.list.query({ subject: budget });
    await clock.advance(HOUR);
    const expired = await failure(c.commenter.tab.trpc.budgets.get.query({ budgetId: budget.id }));
    const dialogLater = await owner.list.query({ subject: budget });
    await owner.revoke.mutate({ grantId: granted.id });
    const revoked = await failure(reader.budgets.get.query({ budgetId: budget.id }));
    const live = await t.sql<{ n: string }>(
      `select count(*)::text as n from grants where grantee_id = ? and goal_id = ? and revoked_at is null`,
      [c.stranger.id, goal.id],
    );
    const events = await t.sql<{ type: string; payload: { level: string; granteeId: string } }>(
      `select type, payload from outbox_events where topic = 'sharing' and key in (?, ?) order by created_at, id`,
      [goal.id, budget.id],
    );
    expect({
      before: before.code,
      asEditor,
      sameGrant: again.id === granted.id,
      asViewer: asViewer.code,
      dialog: {
        grants: dialog.grants.map((g) => [g.user.name, g.level, g.expired, g.on.type]),
        inherited: dialog.inherited.map((g) => [g.user.name, g.level, g.on.type]),
        levels: dialog.levels,
        owner: dialog.owner.name,
      },
      expired: expired.code,
      dialogLater: dialogLater.grants.map((g) => [g.user.name, g.expired]),
      revoked: revoked.code,
      live: live[0]?.n,
      // One instant on the manual clock: compared in order of type.
      events: events.map((e) => [e.type, e.payload.level, e.payload.granteeId]).sort(),
      onBudget: onBudget.expiresAt,
    }).toEqual({
      before: 'NOT_FOUND',
      asEditor: [true, { cells: 0, lines: 1 }],
      sameGrant: true,
      asViewer: 'FORBIDDEN',
      dialog: {
        grants: [[c.commenter.name, 'commenter', false, 'budget']],
        inherited: [[c.stranger.name, 'viewer', 'goal']],
        levels: ['viewer', 'commenter', 'editor', 'approver'],
        owner: c.owner.name,
      },
      expired: 'NOT_FOUND',
      dialogLater: [[c.commenter.name, true]],
      revoked: 'NOT_FOUND',
      live: '0',
      events: [
        ['grant.created', 'commenter', c.commenter.id],
        ['grant.created', 'editor', c.stranger.id],
        ['grant.revoked', 'viewer', c.stranger.id],
        ['grant.updated', 'viewer', c.stranger.id],
      ],
      onBudget: new Date(startedAt.getTime() + HOUR),
    });
  });

  it('refuses what makes no sense, naming the field, and answers others as the policy says', async () => {
    const { goal, budget } = await goalWithBudget('Rules');
    const owner = c.owner.tab.trpc.sharing;
    const forecast = await c.owner.tab.trpc.forecasts.create.mutate({ budgetId: budget.id, name: 'F' });
    const deactivated = await person(t, 'gone@share.test', 'Gone Person');
    await (await t.admin()).trpc.users.deactivate.mutate({ userId: deactivated.id });
    const viewerGrant = await owner.grant.mutate({ subject: goal, userId: c.viewer.id, level: 'viewer' });
    const outcomes = {
      toOwner: await failure(owner.grant.mutate({ subject: budget, userId: c.owner.id, level: 'viewer' })),
      pastExpiry: await failure(
        owner.grant.mutate({ subject: goal, userId: c.editor.id, level: 'editor', expiresAt: new Date('2020-01-01') }),
      ),
      approverOnForecast: await failure(
        owner.grant.mutate({
          subject: { type: 'forecast', id: forecast.id },
          userId: c.approver.id,
          level: 'approver',
        }),
      ),
      badLevel: await failure(owner.grant.mutate({ subject: goal, userId: c.editor.id, level: 'boss' as never })),
      badSubject: await failure(
        owner.grant.mutate({ subject: { type: 'goal', id: 'nope' }, userId: c.editor.id, level: 'viewer' }),
      ),
      deactivated: await failure(owner.grant.mutate({ subject: goal, userId: deactivated.id, level: 'viewer' })),
      viewerShares: await failure(
        c.viewer.tab.trpc.sharing.grant.mutate({ subject: goal, userId: c.editor.id, level: 'viewer' }),
      ),
      viewerLists: await failure(c.viewer.tab.trpc.sharing.list.query({ subject: goal })),
      strangerRevokes: await failure(c.stranger.tab.trpc.sharing.revoke.mutate({ grantId: viewerGrant.id })),
      nothingToChange: await failure(owner.update.mutate({ grantId: viewerGrant.id })),
    };
    const adminShares = await (await t.admin()).trpc.sharing.grant.mutate({
      subject: goal,
      userId: c.editor.id,
      level: 'commenter',
    });
    expect({ ...outcomes, adminShares: [adminShares.level, adminShares.grantedBy.name] }).toEqual({
      toOwner: {
        code: 'BAD_REQUEST',
        message: `userId: ${c.owner.name} owns this budget or what it belongs to, and already has every right.`,
      },
      pastExpiry: { code: 'BAD_REQUEST', message: 'expiresAt: Choose a time in the future.' },
      approverOnForecast: {
        code: 'BAD_REQUEST',
        message: 'level: Forecasts are not approved; share a forecast as viewer, commenter or editor.',
      },
      badLevel: { code: 'BAD_REQUEST', message: 'level: Use one of: viewer, commenter, editor, approver.' },
      badSubject: { code: 'BAD_REQUEST', message: 'subject.id: Invalid UUID' },
      deactivated: { code: 'BAD_REQUEST', message: 'userId: No such person, or their account is deactivated.' },
      viewerShares: {
        code: 'FORBIDDEN',
        message: 'You may not share this goal. Only its owner or an administrator may share it.',
      },
      viewerLists: {
        code: 'FORBIDDEN',
        message: 'You may not share this goal. Only its owner or an administrator may share it.',
      },
      strangerRevokes: { code: 'NOT_FOUND', message: 'No such grant. It may have been removed; reload the list.' },
      nothingToChange: { code: 'BAD_REQUEST', message: 'Change the level, the expiry or both.' },
      adminShares: ['commenter', 'Administrator'],
    });
  });
});

describe('finding and listing', () => {
  it('lists what is shared with me, with level and who shared it, live grants only', async () => {
    const me = await person(t, 'me@share.test', 'Mia Me');
    const one = await goalWithBudget('One');
    const two = await goalWithBudget('Two');
    await c.owner.tab.trpc.sharing.grant.mutate({ subject: one.goal, userId: me.id, level: 'viewer' });
    await clock.advance(1000);
    await c.owner.tab.trpc.sharing.grant.mutate({ subject: two.budget, userId: me.id, level: 'approver' });
    await clock.advance(1000);
    const gone = await c.owner.tab.trpc.sharing.grant.mutate({ subject: two.goal, userId: me.id, level: 'editor' });
    await c.owner.tab.trpc.sharing.revoke.mutate({ grantId: gone.id });
    const all = await me.tab.trpc.sharing.sharedWithMe.query({});
    const budgets = await me.tab.trpc.sharing.sharedWithMe.query({ type: 'budget' });
    expect({
      all: all.items.map((i) => [i.subject.type, i.name, i.level, i.sharedBy.name, i.owner.name, i.goal.name, i.state]),
      budgets: budgets.total,
    }).toEqual({
      all: [
        ['budget', 'Two budget', 'approver', c.owner.name, c.owner.name, 'Two', 'draft'],
        ['goal', 'One', 'viewer', c.owner.name, c.owner.name, 'One', null],
      ],
      budgets: 1,
    });
  });

  it('finds people by part of a name or email, with id, name and email only, and limits the pace', async () => {
    const searcher = await person(t, 'searcher@share.test', 'Sean Searcher');
    const found = await searcher.tab.trpc.sharing.searchUsers.query({ search: 'SUPERVISOR@SHARE' });
    const self = await searcher.tab.trpc.sharing.searchUsers.query({ search: 'searcher' });
    const deactivated = await searcher.tab.trpc.sharing.searchUsers.query({ search: 'gone@share' });
    const empty = await failure(searcher.tab.trpc.sharing.searchUsers.query({ search: ' ' }));
    let refused: { code: string; message: string } | null = null;
    for (let i = 0; i < 130 && !refused; i++) {
      refused = await searcher.tab.trpc.sharing.searchUsers.query({ search: 'a' }).then(
        () => null,
        (e) => failure(Promise.reject(e)),
      );
    }
    await clock.advance(60_000);
    const afterAMinute = await searcher.tab.trpc.sharing.searchUsers.query({ search: 'owner@share' });
    expect({ found, self, deactivated, empty, refused, afterAMinute: afterAMinute.length }).toEqual({
      found: [{ id: c.supervisor.id, name: c.supervisor.name, email: c.supervisor.email }],
      self: [],
      deactivated: [],
      empty: { code: 'BAD_REQUEST', message: 'search: Type part of a name or email.' },
      refused: {
        code: 'TOO_MANY_REQUESTS',
        message: expect.stringMatching(/^Too many searches at once\. Try again in \d+ seconds?\.$/),
      },
      afterAMinute: 1,
    });
  });

  it('shows an admin who has access to a budget and why, decided by the policy', async () => {
    const { goal, budget } = await goalWithBudget('Audit');
    await c.owner.tab.trpc.sharing.grant.mutate({ subject: goal, userId: c.editor.id, level: 'editor' });
    await c.owner.tab.trpc.sharing.grant.mutate({ subject: budget, userId: c.approver.id, level: 'approver' });
    const colleague = await person(t, 'standin@share.test', 'Stan Standin');
    await c.supervisor.tab.trpc.workflow.delegate.mutate({
      delegateId: colleague.id,
      startsAt: clock.now(),
      endsAt: new Date(clock.now().getTime() + 24 * HOUR),
    });
    const admin = await t.admin();
    const access = await admin.trpc.sharing.whoHasAccess.query({ subject: budget });
    const notAdmin = await failure(c.owner.tab.trpc.sharing.whoHasAccess.query({ subject: budget }));
    const describeReason = (r: (typeof access.people)[number]['reasons'][number]) =>
      r.kind === 'grant'
        ? `grant ${r.level} on ${r.on}`
        : r.kind === 'delegate'
          ? `delegate for ${r.onBehalfOf.name}`
          : r.kind;
    const byName = Object.fromEntries(
      access.people.map((p) => [
        p.user.name,
        [
          p.reasons.map(describeReason),
          Object.entries(p.permissions)
            .filter(([, allowed]) => allowed)
            .map(([action]) => action)
            .join(' '),
        ],
      ]),
    );
    expect({ notAdmin: notAdmin.code, byName }).toEqual({
      notAdmin: 'FORBIDDEN',
      byName: {
        [c.owner.name]: [['owner'], 'read comment edit manage share submit recall reopen'],
        [c.editor.name]: [['grant editor on goal'], 'read comment edit submit'],
        [c.approver.name]: [['grant approver on budget'], 'read comment approve'],
        [c.accountant.name]: [['accountant'], 'read comment approve'],
        [c.supervisor.name]: [['supervisor'], 'read comment final-approve'],
        [c.admin.name]: [['admin'], 'read edit manage share cancel'],
        Administrator: [['admin'], 'read edit manage share cancel'],
        'Stan Standin': [[`delegate for ${c.supervisor.name}`], 'read comment final-approve'],
      },
    });
  });
});
