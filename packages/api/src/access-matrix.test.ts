/**
 * The access matrix: every goals, budgets, forecasts, sharing, workflow and comments procedure,
 * called over HTTP against real PostgreSQL by each kind of person around one owner's objects:
 * the owner; people the goal is shared with as editor, commenter, viewer and approver; someone
 * whose grant expired and someone whose grant was revoked; the accountant assigned to the owner;
 * the owner's supervisor; an admin; an unrelated user; and nobody signed in.
 *
 * Each person acts on objects of their own (the same shape each time: a goal shared with the whole
 * cast, budgets in the states the workflow rows need, a forecast, a thread, spare grants and a
 * delegation), so one person's successful change cannot change another's answer. The outcome of
 * each call is written as one line per procedure, the columns in the order below, and the whole
 * table is compared at once: a failure shows every line that differs.
 *
 * Cells: ok = succeeded; in / out = a list shows the object or not; otherwise the error code
 * (NF = NOT_FOUND, FB = FORBIDDEN, UA = UNAUTHORIZED). Workflow rows name the move they try.
 */
import { failure, startTestApp, type TestApp, type TestClient } from '@goalpost/testing';
import { type Cast, cast, MEMBERS, type Person, person, share } from '@goalpost/testing/cast';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appRouter } from './root.ts';

const COLUMNS = [...MEMBERS, 'anonymous'] as const;
type Column = (typeof COLUMNS)[number];

let t: TestApp;
let c: Cast;
let spare: [Person, Person];
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_LOGIN_PER_IP: '10000', RATE_LIMIT_LOGIN_PER_ACCOUNT: '10000' });
  c = await cast(t, 'matrix.test');
  spare = [await person(t, 'spare1@matrix.test', 'Spare One'), await person(t, 'spare2@matrix.test', 'Spare Two')];
}, 180_000);
afterAll(() => t?.close());

/** One person's objects, owned by the owner and shared with the whole cast. */
async function fixture() {
  const owner = c.owner.tab.trpc;
  const goal = await owner.goals.create.mutate({ name: 'Matrix', targetAmountMinor: 0n, currency: 'EUR' });
  const goalRef = { type: 'goal' as const, id: goal.id };
  await share(t, c, goalRef);
  const budget = (name: string) =>
    owner.budgets.create.mutate({ goalId: goal.id, name, periodStart: '2027-01-01', periods: 2 });
  const line = crypto.randomUUID();
  const main = await budget('Main');
  await owner.budgets.save.mutate({
    budgetId: main.id,
    versionNumber: 1,
    lines: { added: [{ key: line, position: 0, category: 'Rent' }] },
    cells: [{ lineKey: line, period: '2027-01-01', from: null, to: 100n }],
  });
  const submit = async (name: string) => {
    const b = await budget(name);
    await owner.workflow.transition.mutate({ budgetId: b.id, action: 'submit', expectedState: 'draft' });
    return b.id;
  };
  const submitted = await submit('Submitted');
  const queued = await submit('Queued');
  const approved = await submit('Approved');
  await c.approver.tab.trpc.workflow.transition.mutate({
    budgetId: approved,
    action: 'approve',
    expectedState: 'submitted',
  });
  const forecast = await owner.forecasts.create.mutate({ budgetId: main.id, name: 'Outlook' });
  const thread = await owner.comments.start.mutate({
    subject: { type: 'budget', id: main.id },
    lineKey: line,
    period: '2027-01-01',
    body: 'Why?',
  });
  const [toChange, toRevoke] = [
    await owner.sharing.grant.mutate({ subject: goalRef, userId: spare[0].id, level: 'viewer' }),
    await owner.sharing.grant.mutate({ subject: goalRef, userId: spare[1].id, level: 'viewer' }),
  ];
  const delegation = await owner.workflow.delegate.mutate({
    delegateId: spare[0].id,
    startsAt: new Date(Date.now() - 60_000),
    endsAt: new Date(Date.now() + 3_600_000),
  });
  const [cell] = await t.sql<{ id: string }>(`select id from budget_log where budget_id = ? and action = 'cell'`, [
    main.id,
  ]);
  // Not shared: a goal of the owner's own to try moving a budget to.
  const elsewhere = await owner.goals.create.mutate({ name: 'Elsewhere', targetAmountMinor: 0n, currency: 'EUR' });
  return {
    goal: goal.id,
    goalRef,
    elsewhere: elsewhere.id,
    main: main.id,
    mainRef: { type: 'budget' as const, id: main.id },
    draft: (await budget('Draft')).id,
    toCancel: (await budget('To cancel')).id,
    submitted,
    queued,
    approved,
    forecast: forecast.id,
    line,
    thread: thread.id,
    toChange: toChange.id,
    toRevoke: toRevoke.id,
    delegation: delegation.id,
    logId: Number(cell!.id),
  };
}
type Fixture = Awaited<ReturnType<typeof fixture>>;

const version = async (table: 'goals' | 'budgets', id: string) =>
  Number((await t.sql<{ version: number }>(`select version from ${table} where id = ?`, [id]))[0]!.version);

type Call = (s: TestClient['trpc'], f: Fixture) => Promise<unknown>;
/** A list call answers `in` when `found` finds the fixture's object in it. */
const listing =
  (call: Call, found: (answer: never, f: Fixture) => boolean): Call =>
  async (s, f) =>
    found((await call(s, f)) as never, f) ? 'in' : 'out';

/** The calls, in the order they run for each person (a row's success never spoils a later row). */
const CALLS: Record<string, Call> = {
  'goals.list': listing(
    (s) => s.goals.list.query({ status: 'all', pageSize: 100 }),
    (a: { items: { id: string }[] }, f) => a.items.some((g) => g.id === f.goal),
  ),
  'goals.get': (s, f) => s.goals.get.query({ goalId: f.goal }),
  'goals.create': (s) => s.goals.create.mutate({ name: 'Own', targetAmountMinor: 0n, currency: 'EUR' }),
  'goals.update': async (s, f) =>
    s.goals.update.mutate({ goalId: f.goal, version: await version('goals', f.goal), name: 'Renamed' }),
  'goals.archive': (s, f) => s.goals.archive.mutate({ goalId: f.goal, archived: false }),
  'goals.history': (s, f) => s.goals.history.query({ goalId: f.goal }),
  'budgets.list': listing(
    (s, f) => s.budgets.list.query({ goalId: f.goal, pageSize: 100 }),
    (a: { items: { id: string }[] }, f) => a.items.some((b) => b.id === f.main),
  ),
  'budgets.get': (s, f) => s.budgets.get.query({ budgetId: f.main }),
  'budgets.create': (s, f) =>
    s.budgets.create.mutate({ goalId: f.goal, name: 'New', periodStart: '2027-01-01', periods: 1 }),
  'budgets.update': async (s, f) =>
    s.budgets.update.mutate({ budgetId: f.main, version: await version('budgets', f.main), name: 'Renamed' }),
  'budgets.move': async (s, f) =>
    s.budgets.move.mutate({ budgetId: f.main, goalId: f.goal, version: await version('budgets', f.main) }),
  // Waiting for approval, a budget's settings and goal are as read-only as its grid, for everyone.
  'budgets.update submitted': async (s, f) =>
    s.budgets.update.mutate({ budgetId: f.submitted, version: await version('budgets', f.submitted), name: 'Renamed' }),
  'budgets.move submitted': async (s, f) =>
    s.budgets.move.mutate({
      budgetId: f.submitted,
      goalId: f.elsewhere,
      version: await version('budgets', f.submitted),
    }),
  'budgets.save': (s, f) =>
    s.budgets.save.mutate({
      budgetId: f.main,
      versionNumber: 1,
      lines: { added: [{ key: crypto.randomUUID(), position: 9, category: 'Added' }] },
    }),
  'budgets.history': (s, f) => s.budgets.history.query({ budgetId: f.main }),
  'budgets.restore': (s, f) => s.budgets.restore.mutate({ budgetId: f.main, logId: f.logId }),
  'forecasts.list': listing(
    (s, f) => s.forecasts.list.query({ budgetId: f.main, pageSize: 100 }),
    (a: { items: { id: string }[] }, f) => a.items.some((x) => x.id === f.forecast),
  ),
  'forecasts.get': (s, f) => s.forecasts.get.query({ forecastId: f.forecast }),
  'forecasts.create': (s, f) => s.forecasts.create.mutate({ budgetId: f.main, name: 'Another' }),
  'forecasts.rename': (s, f) => s.forecasts.rename.mutate({ forecastId: f.forecast, name: 'Renamed' }),
  'forecasts.save': (s, f) =>
    s.forecasts.save.mutate({
      forecastId: f.forecast,
      cells: [{ lineKey: f.line, period: '2027-02-01', field: 'forecast', from: null, to: 5n }],
    }),
  'forecasts.history': (s, f) => s.forecasts.history.query({ forecastId: f.forecast }),
  'sharing.list': (s, f) => s.sharing.list.query({ subject: f.goalRef }),
  'sharing.grant': (s, f) => s.sharing.grant.mutate({ subject: f.mainRef, userId: spare[1].id, level: 'viewer' }),
  'sharing.update': (s, f) => s.sharing.update.mutate({ grantId: f.toChange, level: 'commenter' }),
  'sharing.revoke': (s, f) => s.sharing.revoke.mutate({ grantId: f.toRevoke }),
  'sharing.searchUsers': (s) => s.sharing.searchUsers.query({ search: 'spare' }),
  'sharing.sharedWithMe': listing(
    (s) => s.sharing.sharedWithMe.query({ pageSize: 100 }),
    (a: { items: { subject: { id: string } }[] }, f) => a.items.some((i) => i.subject.id === f.goal),
  ),
  'sharing.whoHasAccess': (s, f) => s.sharing.whoHasAccess.query({ subject: f.mainRef }),
  'workflow.transitions': (s) => s.workflow.transitions.query(),
  'workflow.inbox': listing(
    (s) => s.workflow.inbox.query({ pageSize: 200 }),
    (a: { items: { budgetId: string }[] }, f) => a.items.some((i) => i.budgetId === f.queued),
  ),
  'workflow.transition submit': (s, f) =>
    s.workflow.transition.mutate({ budgetId: f.draft, action: 'submit', expectedState: 'draft' }),
  'workflow.transition approve': (s, f) =>
    s.workflow.transition.mutate({ budgetId: f.submitted, action: 'approve', expectedState: 'submitted' }),
  'workflow.transition final-approve': (s, f) =>
    s.workflow.transition.mutate({ budgetId: f.approved, action: 'final-approve', expectedState: 'approved' }),
  'workflow.transition cancel': (s, f) =>
    s.workflow.transition.mutate({ budgetId: f.toCancel, action: 'cancel', expectedState: 'draft', reason: 'Test' }),
  'workflow.bulk approve': async (s, f) => {
    const [result] = (
      await s.workflow.bulk.mutate({ action: 'approve', items: [{ budgetId: f.queued, expectedState: 'submitted' }] })
    ).results;
    if (!result?.ok) return result?.code;
    return 'ok';
  },
  'workflow.history': (s, f) => s.workflow.history.query({ budgetId: f.main }),
  'workflow.goalHistory': (s, f) => s.workflow.goalHistory.query({ goalId: f.goal }),
  'workflow.delegate': (s) =>
    s.workflow.delegate.mutate({
      delegateId: spare[1].id,
      startsAt: new Date(Date.now() + 86_400_000),
      endsAt: new Date(Date.now() + 2 * 86_400_000),
    }),
  'workflow.delegations': (s) => s.workflow.delegations.query({}),
  'workflow.endDelegation': (s, f) => s.workflow.endDelegation.mutate({ delegationId: f.delegation }),
  'comments.list': (s, f) => s.comments.list.query({ subject: f.mainRef }),
  'comments.cells': (s, f) => s.comments.cells.query({ subject: f.mainRef }),
  'comments.start': (s, f) =>
    s.comments.start.mutate({ subject: f.mainRef, lineKey: f.line, period: '2027-02-01', body: 'Mine' }),
  'comments.reply': (s, f) => s.comments.reply.mutate({ threadId: f.thread, body: 'Reply' }),
  'comments.resolve': (s, f) => s.comments.resolve.mutate({ threadId: f.thread }),
  'comments.reopen': (s, f) => s.comments.reopen.mutate({ threadId: f.thread }),
  'comments.mentionable': (s, f) => s.comments.mentionable.query({ subject: f.mainRef }),
};

/** Columns: owner editor commenter viewer approver expired revoked accountant supervisor admin stranger anonymous */
const EXPECTED: Record<string, string> = {
  'goals.list': '          in  in  in  in  in  out out in  in  in  out UA',
  'goals.get': '           ok  ok  ok  ok  ok  NF  NF  ok  ok  ok  NF  UA',
  'goals.create': '        ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  UA',
  'goals.update': '        ok  FB  FB  FB  FB  NF  NF  FB  FB  ok  NF  UA',
  'goals.archive': '       ok  FB  FB  FB  FB  NF  NF  FB  FB  ok  NF  UA',
  'goals.history': '       ok  ok  ok  ok  ok  NF  NF  ok  ok  ok  NF  UA',
  'budgets.list': '        in  in  in  in  in  out out in  in  in  out UA',
  'budgets.get': '         ok  ok  ok  ok  ok  NF  NF  ok  ok  ok  NF  UA',
  'budgets.create': '      ok  ok  FB  FB  FB  NF  NF  FB  FB  ok  NF  UA',
  'budgets.update': '      ok  FB  FB  FB  FB  NF  NF  FB  FB  ok  NF  UA',
  'budgets.move': '        ok  FB  FB  FB  FB  NF  NF  FB  FB  ok  NF  UA',
  'budgets.update submitted': 'FB  FB  FB  FB  FB  NF  NF  FB  FB  FB  NF  UA',
  'budgets.move submitted': '  FB  FB  FB  FB  FB  NF  NF  FB  FB  FB  NF  UA',
  'budgets.save': '        ok  ok  FB  FB  FB  NF  NF  FB  FB  ok  NF  UA',
  'budgets.history': '     ok  ok  ok  ok  ok  NF  NF  ok  ok  ok  NF  UA',
  'budgets.restore': '     ok  FB  FB  FB  FB  NF  NF  FB  FB  ok  NF  UA',
  'forecasts.list': '      in  in  in  in  in  out out in  in  in  out UA',
  'forecasts.get': '       ok  ok  ok  ok  ok  NF  NF  ok  ok  ok  NF  UA',
  'forecasts.create': '    ok  ok  FB  FB  FB  NF  NF  FB  FB  ok  NF  UA',
  'forecasts.rename': '    ok  FB  FB  FB  FB  NF  NF  FB  FB  ok  NF  UA',
  'forecasts.save': '      ok  ok  FB  FB  FB  NF  NF  FB  FB  ok  NF  UA',
  'forecasts.history': '   ok  ok  ok  ok  ok  NF  NF  ok  ok  ok  NF  UA',
  'sharing.list': '        ok  FB  FB  FB  FB  NF  NF  FB  FB  ok  NF  UA',
  'sharing.grant': '       ok  FB  FB  FB  FB  NF  NF  FB  FB  ok  NF  UA',
  'sharing.update': '      ok  FB  FB  FB  FB  NF  NF  FB  FB  ok  NF  UA',
  'sharing.revoke': '      ok  FB  FB  FB  FB  NF  NF  FB  FB  ok  NF  UA',
  'sharing.searchUsers': ' ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  UA',
  'sharing.sharedWithMe': 'out in  in  in  in  out out out out out out UA',
  'sharing.whoHasAccess': 'FB  FB  FB  FB  FB  FB  FB  FB  FB  ok  FB  UA',
  'workflow.transitions': 'ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  UA',
  'workflow.inbox': '      out out out out in  out out in  out out out UA',
  'workflow.transition submit': '       ok  ok  FB  FB  FB  NF  NF  FB  FB  FB  NF  UA',
  'workflow.transition approve': '      FB  FB  FB  FB  ok  NF  NF  ok  FB  FB  NF  UA',
  'workflow.transition final-approve': 'FB  FB  FB  FB  FB  NF  NF  FB  ok  FB  NF  UA',
  'workflow.transition cancel': '       FB  FB  FB  FB  FB  NF  NF  FB  FB  ok  NF  UA',
  'workflow.bulk approve': '            FB  FB  FB  FB  ok  NF  NF  ok  FB  FB  NF  UA',
  'workflow.history': '    ok  ok  ok  ok  ok  NF  NF  ok  ok  ok  NF  UA',
  'workflow.goalHistory': 'ok  ok  ok  ok  ok  NF  NF  ok  ok  ok  NF  UA',
  'workflow.delegate': '   ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  UA',
  'workflow.delegations': 'ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  ok  UA',
  'workflow.endDelegation': 'ok NF  NF  NF  NF  NF  NF  NF  NF  ok  NF  UA',
  'comments.list': '       ok  ok  ok  ok  ok  NF  NF  ok  ok  ok  NF  UA',
  'comments.cells': '      ok  ok  ok  ok  ok  NF  NF  ok  ok  ok  NF  UA',
  'comments.start': '      ok  ok  ok  FB  ok  NF  NF  ok  ok  FB  NF  UA',
  'comments.reply': '      ok  ok  ok  FB  ok  NF  NF  ok  ok  FB  NF  UA',
  'comments.resolve': '    ok  ok  ok  FB  ok  NF  NF  ok  ok  FB  NF  UA',
  'comments.reopen': '     ok  ok  ok  FB  ok  NF  NF  ok  ok  FB  NF  UA',
  'comments.mentionable': 'ok  ok  ok  FB  ok  NF  NF  ok  ok  FB  NF  UA',
};

const SHORT: Record<string, string> = { NOT_FOUND: 'NF', FORBIDDEN: 'FB', UNAUTHORIZED: 'UA' };
const line = (cells: string[]) => cells.map((cell) => cell.padEnd(3)).join(' ');

it('covers every procedure of the per-object domains', () => {
  const procedures = Object.keys(appRouter._def.procedures).filter((p) =>
    ['goals.', 'budgets.', 'forecasts.', 'sharing.', 'workflow.', 'comments.'].some((d) => p.startsWith(d)),
  );
  const covered = new Set(Object.keys(CALLS).map((row) => row.split(' ')[0]));
  expect(procedures.filter((p) => !covered.has(p))).toEqual([]);
  expect(Object.keys(EXPECTED)).toEqual(Object.keys(CALLS));
});

it('answers each person exactly as the policy says, for every procedure', async () => {
  const fixtures = new Map<Column, Fixture>();
  for (const member of MEMBERS) fixtures.set(member, await fixture());
  fixtures.set('anonymous', fixtures.get('stranger')!);
  const clients: Record<Column, TestClient['trpc']> = {
    ...(Object.fromEntries(MEMBERS.map((m) => [m, c[m].tab.trpc])) as Record<
      (typeof MEMBERS)[number],
      TestClient['trpc']
    >),
    anonymous: t.client().trpc,
  };
  const outcomes: Record<string, string[]> = Object.fromEntries(Object.keys(CALLS).map((row) => [row, []]));
  for (const column of COLUMNS) {
    for (const [row, call] of Object.entries(CALLS)) {
      let outcome: string;
      try {
        const answer = await call(clients[column], fixtures.get(column)!);
        outcome = typeof answer === 'string' ? (SHORT[answer] ?? answer) : 'ok';
      } catch (error) {
        const { code } = await failure(Promise.reject(error));
        outcome = SHORT[code] ?? code;
      }
      outcomes[row]!.push(outcome);
    }
  }
  // A header line, so a failing diff shows which column is whom.
  const header = { '(columns)': line(COLUMNS.map((column) => column.slice(0, 3))) };
  const actual = {
    ...header,
    ...Object.fromEntries(Object.entries(outcomes).map(([row, cells]) => [row, line(cells)])),
  };
  const expected = {
    ...header,
    ...Object.fromEntries(Object.entries(EXPECTED).map(([row, cells]) => [row, line(cells.trim().split(/\s+/))])),
  };
  expect(actual).toEqual(expected);
}, 300_000);
