/**
 * The approval workflow against the real server and PostgreSQL. The state machine is tested as a
 * whole: every (state, action, person) is tried on a budget of its own, and the outcome table is
 * compared in one `toEqual` with the hand-written list of the moves that must succeed (everything
 * else must be refused, with a message saying why). Then what one move writes (state, transition,
 * history and outbox rows, all or nothing), races between approvers, self-approval, reopening,
 * the inbox with its bulk actions, and delegation.
 */

import { WORKFLOW_STATES, type WorkflowState } from '@goalpost/db';
import { failure, startTestApp, type TestApp } from '@goalpost/testing';
import { type Cast, cast, person, share } from '@goalpost/testing/cast';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_ACTIONS, type WorkflowAction } from './transitions.ts';

/** A cast signs in a dozen people and the admin many times: more than the sign-in limits allow. */
const MANY_SIGN_INS = { RATE_LIMIT_LOGIN_PER_IP: '10000', RATE_LIMIT_LOGIN_PER_ACCOUNT: '10000' };

let t: TestApp;
let c: Cast;
let goalId: string;
let template: string;
beforeAll(async () => {
  t = await startTestApp(MANY_SIGN_INS);
  c = await cast(t, 'flow.test');
  const goal = await c.owner.tab.trpc.goals.create.mutate({ name: 'Flow', targetAmountMinor: 0n, currency: 'EUR' });
  goalId = goal.id;
  await share(t, c, { type: 'goal', id: goalId });
  template = (await newBudget()).id;
}, 120_000);
afterAll(() => t?.close());

function newBudget(name = 'Plan') {
  return c.owner.tab.trpc.budgets.create.mutate({ goalId, name, periodStart: '2027-01-01', periods: 3 });
}

/**
 * A copy of the template budget whose version 1 stands in `state`, as if the owner had submitted it
 * and (from approved on) the approver had approved it: the workflow's history is not what these
 * cases test, the next move is.
 */
async function budgetIn(state: WorkflowState): Promise<string> {
  const id = crypto.randomUUID();
  await t.sql(
    `insert into budgets (id, org_id, goal_id, owner_id, name, currency, period_start, period_end, granularity, state,
                          current_version_number, version, created_at, updated_at)
     select ?, org_id, goal_id, owner_id, name, currency, period_start, period_end, granularity, ?, 1, 1, created_at, updated_at
     from budgets where id = ?`,
    [id, state, template],
  );
  await t.sql(
    `insert into budget_versions (id, org_id, budget_id, number, state, created_by_id, created_at, submitted_by_id,
                                  approved_by_id, locked_at)
     select gen_random_uuid(), org_id, id, 1, state, owner_id, created_at,
            case when state <> 'draft' then owner_id end,
            case when state in ('approved', 'final_approved') then ?::uuid end,
            case when state = 'final_approved' then now() end
     from budgets where id = ?`,
    [c.approver.id, id],
  );
  return id;
}

const ACTORS = ['owner', 'editor', 'viewer', 'approver', 'accountant', 'supervisor', 'admin'] as const;

/** The moves that must succeed: state, action, who. Everything else is refused. */
const ALLOWED: [WorkflowState, WorkflowAction, (typeof ACTORS)[number][]][] = [
  ['draft', 'submit', ['owner', 'editor']],
  ['submitted', 'recall', ['owner']],
  ['submitted', 'start-review', ['approver', 'accountant']],
  ['submitted', 'approve', ['approver', 'accountant']],
  ['in_review', 'approve', ['approver', 'accountant']],
  ['submitted', 'send-back', ['approver', 'accountant']],
  ['in_review', 'send-back', ['approver', 'accountant']],
  ['approved', 'send-back', ['supervisor']],
  ['changes_requested', 'revise', ['owner', 'editor']],
  ['approved', 'final-approve', ['supervisor']],
  ['final_approved', 'reopen', ['owner']],
  ['cancelled', 'reopen', ['owner']],
  ['draft', 'cancel', ['admin']],
  ['submitted', 'cancel', ['admin']],
  ['in_review', 'cancel', ['admin']],
  ['approved', 'cancel', ['admin']],
  ['changes_requested', 'cancel', ['admin']],
];

describe('the state machine', () => {
  it('lets each allowed move by the right person through, and refuses every other (state, action, person)', async () => {
    const cases = WORKFLOW_STATES.flatMap((state) =>
      WORKFLOW_ACTIONS.flatMap((action) => ACTORS.map((actor) => ({ state, action, actor }))),
    );
    const budgets = new Map<string, string>();
    for (const k of cases) budgets.set(`${k.state} ${k.action} ${k.actor}`, await budgetIn(k.state));
    const outcomes: Record<string, string> = {};
    const messages: Record<string, string> = {};
    for (const { state, action, actor } of cases) {
      const key = `${state} ${action} ${actor}`;
      const reason = action === 'send-back' || action === 'cancel' ? 'Because the test says so.' : undefined;
      try {
        await c[actor].tab.trpc.workflow.transition.mutate({
          budgetId: budgets.get(key)!,
          action,
          expectedState: state,
          reason,
        });
        outcomes[key] = 'ok';
      } catch (error) {
        const refused = await failure(Promise.reject(error));
        outcomes[key] = refused.code;
        messages[key] = refused.message;
      }
    }
    const allowed = new Set(ALLOWED.flatMap(([s, a, who]) => who.map((p) => `${s} ${a} ${p}`)));
    expect(outcomes).toEqual(
      Object.fromEntries(
        cases.map((k) => [
          `${k.state} ${k.action} ${k.actor}`,
          allowed.has(`${k.state} ${k.action} ${k.actor}`) ? 'ok' : 'FORBIDDEN',
        ]),
      ),
    );
    expect({
      viewerApproves: messages['submitted approve viewer'],
      approverApprovesDraft: messages['draft approve approver'],
      ownerApproves: messages['submitted approve owner'],
      editorRecalls: messages['submitted recall editor'],
      supervisorSendsBackEarly: messages['submitted send-back supervisor'],
      accountantFinalApproves: messages['approved final-approve accountant'],
      adminSubmits: messages['draft submit admin'],
      ownerCancels: messages['draft cancel owner'],
      approverReopens: messages['final_approved reopen approver'],
      lockedSubmit: messages['final_approved submit owner'],
    }).toEqual({
      viewerApproves:
        "You may not approve this budget. The first approval is for its approvers and the owner's accountants.",
      approverApprovesDraft:
        'This budget is draft, so it cannot be moved with “Approve”: that applies to submitted or in review budgets.',
      ownerApproves: 'You own this budget, and nobody approves their own budget.',
      editorRecalls: 'You may not recall this budget. Only its owner and whoever submitted it may recall it.',
      supervisorSendsBackEarly:
        "You may not send back this budget. The first approval is for its approvers and the owner's accountants.",
      accountantFinalApproves:
        "You may not give the final approval to this budget. The final approval is for the owner's supervisor.",
      adminSubmits: 'You may not submit this budget. Only its owner and its editors submit it.',
      ownerCancels: 'You may not cancel this budget. Only an administrator may cancel it.',
      approverReopens: 'You may not reopen this budget. Only its owner may reopen it.',
      lockedSubmit:
        'This budget is final approved, so it cannot be moved with “Submit for approval”: that applies to draft budgets.',
    });
  }, 120_000);

  it('keeps a budget’s settings and goal as read-only as its grid until it is back in draft, and takes them again after a reopen', async () => {
    const other = await c.owner.tab.trpc.goals.create.mutate({
      name: 'Elsewhere',
      targetAmountMinor: 0n,
      currency: 'EUR',
    });
    /** Renames the budget, then moves it to the other goal: each outcome, and where the budget stands after. */
    const tryBoth = async (id: string) => {
      const before = await c.owner.tab.trpc.budgets.get.query({ budgetId: id });
      const rename = await c.owner.tab.trpc.budgets.update
        .mutate({ budgetId: id, version: before.version, name: 'Renamed' })
        .then(
          () => 'saved',
          (error) => failure(Promise.reject(error)),
        );
      const { version } = await c.owner.tab.trpc.budgets.get.query({ budgetId: id });
      const move = await c.owner.tab.trpc.budgets.move.mutate({ budgetId: id, goalId: other.id, version }).then(
        () => 'moved',
        (error) => failure(Promise.reject(error)),
      );
      const after = await c.owner.tab.trpc.budgets.get.query({ budgetId: id });
      return { rename, move, name: after.name, goal: after.goal.name };
    };
    const refused = (message: string) => ({
      rename: { code: 'FORBIDDEN', message: message.replace('{what}', 'its settings (name and rate)') },
      move: { code: 'FORBIDDEN', message: message.replace('{what}', 'the goal it counts toward') },
      name: 'Plan',
      goal: 'Flow',
    });
    const taken = { rename: 'saved', move: 'moved', name: 'Renamed', goal: 'Elsewhere' };
    const outcomes: Record<string, unknown> = {};
    for (const state of WORKFLOW_STATES) outcomes[state] = await tryBoth(await budgetIn(state));
    // Reopened, the new revision is a draft: its settings and goal take changes again.
    const locked = await budgetIn('final_approved');
    await c.owner.tab.trpc.workflow.transition.mutate({
      budgetId: locked,
      action: 'reopen',
      expectedState: 'final_approved',
    });
    outcomes.reopened = await tryBoth(locked);
    expect(outcomes).toEqual({
      draft: taken,
      changes_requested: taken,
      submitted: refused(
        'This budget is submitted for approval, so {what} cannot change. Recall it, or ask an approver to send it back, to make changes.',
      ),
      in_review: refused('This budget is in review, so {what} cannot change until an approver sends it back.'),
      approved: refused(
        'This budget is approved and waits for the final approval, so {what} cannot change unless the final approver sends it back.',
      ),
      final_approved: refused(
        'Revision 1 of this budget is final approved and locked, so {what} cannot change. Reopen it as a new revision to make changes.',
      ),
      cancelled: refused(
        'This budget is cancelled, so {what} cannot change. Reopen it as a new revision to work on it again.',
      ),
      reopened: taken,
    });
  }, 120_000);

  it('answers CONFLICT to a move made from a state the budget has left, and needs a reason to send back', async () => {
    const id = await budgetIn('submitted');
    const noReason = await failure(
      c.approver.tab.trpc.workflow.transition.mutate({ budgetId: id, action: 'send-back', expectedState: 'submitted' }),
    );
    await c.approver.tab.trpc.workflow.transition.mutate({
      budgetId: id,
      action: 'start-review',
      expectedState: 'submitted',
    });
    const stale = await failure(
      c.accountant.tab.trpc.workflow.transition.mutate({ budgetId: id, action: 'approve', expectedState: 'submitted' }),
    );
    const stranger = await failure(
      c.stranger.tab.trpc.workflow.transition.mutate({ budgetId: id, action: 'approve', expectedState: 'in_review' }),
    );
    expect({ noReason, stale, stranger }).toEqual({
      noReason: { code: 'BAD_REQUEST', message: 'reason: Say what needs to change; the owner will read it.' },
      stale: {
        code: 'CONFLICT',
        message:
          'This budget is now in review, not submitted: someone acted on it meanwhile. Reload to see where it stands.',
      },
      stranger: { code: 'NOT_FOUND', message: 'This budget does not exist, or it has not been shared with you.' },
    });
  });
});

describe('one move', () => {
  it('writes the state, a transition row, a history row and an outbox event, from submit to reopen', async () => {
    const budget = await newBudget('Journey');
    const line = crypto.randomUUID();
    await c.editor.tab.trpc.budgets.save.mutate({
      budgetId: budget.id,
      versionNumber: 1,
      lines: { added: [{ key: line, position: 0, category: 'Kept' }] },
      cells: [{ lineKey: line, period: '2027-01-01', from: null, to: 500n }],
    });
    const move = (who: keyof Cast, action: WorkflowAction, expectedState: WorkflowState, reason?: string) =>
      c[who].tab.trpc.workflow.transition.mutate({ budgetId: budget.id, action, expectedState, reason });
    await move('editor', 'submit', 'draft');
    const readOnly = await failure(
      c.owner.tab.trpc.budgets.save.mutate({
        budgetId: budget.id,
        versionNumber: 1,
        cells: [{ lineKey: line, period: '2027-01-01', from: 500n, to: 1n }],
      }),
    );
    await move('accountant', 'start-review', 'submitted');
    await move('approver', 'approve', 'in_review', 'Looks right.');
    const ownerView = await c.owner.tab.trpc.budgets.get.query({ budgetId: budget.id });
    const supervisorView = await c.supervisor.tab.trpc.budgets.get.query({ budgetId: budget.id });
    await move('supervisor', 'final-approve', 'approved');
    const reopened = await move('owner', 'reopen', 'final_approved');
    const v1 = await c.owner.tab.trpc.budgets.get.query({ budgetId: budget.id, versionNumber: 1 });
    const v2 = await c.owner.tab.trpc.budgets.get.query({ budgetId: budget.id });
    const history = await c.viewer.tab.trpc.workflow.history.query({ budgetId: budget.id });
    const log = await t.sql<{
      action: string;
      version_number: number;
      old_value: string;
      new_value: string;
      reason: string | null;
    }>(
      `select action, version_number, old_value, new_value, reason from budget_log
       where budget_id = ? and action like 'workflow.%' order by id`,
      [budget.id],
    );
    const events = await t.sql<{ type: string; key: string; payload: Record<string, unknown> }>(
      `select type, key, payload from outbox_events where topic = 'workflow' and key = ? order by created_at, id`,
      [budget.id],
    );
    const ids = (names: (keyof Cast)[]) => names.map((n) => c[n].id).sort();
    expect({
      readOnly: readOnly.code,
      ownerSees: [
        ownerView.workflow.state,
        ownerView.permissions.edit,
        ownerView.workflow.actions,
        ownerView.workflow.submittedBy?.name,
        ownerView.workflow.approvedBy?.name,
      ],
      supervisorSees: supervisorView.workflow.actions,
      reopened: [reopened.from, reopened.to, reopened.versionNumber],
      v1: [
        v1.versions.map((v) => [v.number, v.state, v.lockedAt !== null]),
        v1.permissions.edit,
        v1.lines[0]?.amounts[0],
      ],
      v2: [v2.workflow.state, v2.permissions.edit, v2.lines[0]?.key, v2.lines[0]?.amounts[0]],
      history: history.items
        .map((h) => [h.versionNumber, h.action, h.from, h.to, h.actor.name, h.onBehalfOf, h.reason])
        .reverse(),
      log: log.map((l) => [l.action, l.version_number, l.old_value, l.new_value, l.reason]),
      events: events.map((e) => [e.type, e.payload.from, e.payload.to, e.payload.actorId]),
      submitted: {
        ...events[0]?.payload,
        at: 'at',
        transitionId: 'id',
        recipients: Object.fromEntries(
          Object.entries(events[0]?.payload.recipients as Record<string, string[]>).map(([k, v]) => [k, [...v].sort()]),
        ),
        notify: [...((events[0]?.payload.notify as string[] | undefined) ?? [])].sort(),
      },
      approvedNotify: [...((events[2]?.payload.notify as string[] | undefined) ?? [])].sort(),
    }).toEqual({
      readOnly: 'FORBIDDEN',
      ownerSees: ['approved', false, [], c.editor.name, c.approver.name],
      supervisorSees: [
        { action: 'send-back', to: 'changes_requested', reason: 'required', onBehalfOf: null },
        { action: 'final-approve', to: 'final_approved', reason: 'optional', onBehalfOf: null },
      ],
      reopened: ['final_approved', 'draft', 2],
      v1: [
        [
          [1, 'final_approved', true],
          [2, 'draft', false],
        ],
        false,
        500n,
      ],
      v2: ['draft', true, line, 500n],
      history: [
        [1, 'submit', 'draft', 'submitted', c.editor.name, null, null],
        [1, 'start-review', 'submitted', 'in_review', c.accountant.name, null, null],
        [1, 'approve', 'in_review', 'approved', c.approver.name, null, 'Looks right.'],
        [1, 'final-approve', 'approved', 'final_approved', c.supervisor.name, null, null],
        [2, 'reopen', 'final_approved', 'draft', c.owner.name, null, null],
      ],
      log: [
        ['workflow.submit', 1, 'draft', 'submitted', null],
        ['workflow.start-review', 1, 'submitted', 'in_review', null],
        ['workflow.approve', 1, 'in_review', 'approved', 'Looks right.'],
        ['workflow.final-approve', 1, 'approved', 'final_approved', null],
        ['workflow.reopen', 2, 'final_approved', 'draft', null],
      ],
      events: [
        ['budget.submitted', 'draft', 'submitted', c.editor.id],
        ['budget.review-started', 'submitted', 'in_review', c.accountant.id],
        ['budget.approved', 'in_review', 'approved', c.approver.id],
        ['budget.final-approved', 'approved', 'final_approved', c.supervisor.id],
        ['budget.reopened', 'final_approved', 'draft', c.owner.id],
      ],
      submitted: {
        transitionId: 'id',
        budgetId: budget.id,
        budgetName: 'Journey',
        goalId,
        goalName: 'Flow',
        versionNumber: 1,
        action: 'submit',
        from: 'draft',
        to: 'submitted',
        actorId: c.editor.id,
        onBehalfOfId: null,
        reason: null,
        at: 'at',
        ownerId: c.owner.id,
        recipients: {
          owners: [c.owner.id],
          approvers: ids(['approver', 'accountant']),
          finalApprovers: [c.supervisor.id],
        },
        notify: ids(['approver', 'accountant']),
      },
      approvedNotify: ids(['owner', 'supervisor']),
    });
  });

  it('writes nothing when a late step fails: the move is one transaction', async () => {
    const id = await budgetIn('submitted');
    const refused = await t.refusingInserts('outbox_events', 'true', () =>
      failure(
        c.approver.tab.trpc.workflow.transition.mutate({ budgetId: id, action: 'approve', expectedState: 'submitted' }),
      ),
    );
    const [row] = await t.sql<{ budget: string; version: string; transitions: string; log: string }>(
      `select b.state as budget, v.state as version,
              (select count(*) from workflow_transitions where budget_id = b.id)::text as transitions,
              (select count(*) from budget_log where budget_id = b.id and action like 'workflow.%')::text as log
       from budgets b join budget_versions v on v.budget_id = b.id where b.id = ?`,
      [id],
    );
    expect({ refused: refused.code, row }).toEqual({
      refused: 'INTERNAL_SERVER_ERROR',
      row: { budget: 'submitted', version: 'submitted', transitions: '0', log: '0' },
    });
  });

  it('leaves exactly one outcome when two approvers act at once', async () => {
    const results: string[][] = [];
    for (let round = 0; round < 5; round++) {
      const id = await budgetIn('submitted');
      const settled = await Promise.allSettled([
        c.approver.tab.trpc.workflow.transition.mutate({ budgetId: id, action: 'approve', expectedState: 'submitted' }),
        c.accountant.tab.trpc.workflow.transition.mutate({
          budgetId: id,
          action: 'send-back',
          expectedState: 'submitted',
          reason: 'Numbers are off.',
        }),
      ]);
      const [row] = await t.sql<{ state: string; transitions: string; events: string }>(
        `select b.state, (select count(*) from workflow_transitions where budget_id = b.id)::text as transitions,
                (select count(*) from outbox_events where key = b.id::text)::text as events
         from budgets b where b.id = ?`,
        [id],
      );
      const winner = settled.findIndex((s) => s.status === 'fulfilled');
      const loser = settled.find((s) => s.status === 'rejected') as PromiseRejectedResult | undefined;
      results.push([
        settled.filter((s) => s.status === 'fulfilled').length.toString(),
        (await failure(Promise.reject(loser?.reason))).code,
        row!.state === (winner === 0 ? 'approved' : 'changes_requested') ? 'state matches the winner' : row!.state,
        row!.transitions,
        row!.events,
      ]);
    }
    expect(results).toEqual(Array.from({ length: 5 }, () => ['1', 'CONFLICT', 'state matches the winner', '1', '1']));
  });
});

describe('nobody approves their own budget', () => {
  it('refuses an accountant approving a budget they own, and whoever submitted the version', async () => {
    // The accountant, made an editor on the owner's goal, writes a budget there: as the owner's
    // accountant they stand as first approver of everything in the goal, but this budget is theirs.
    const goal = { type: 'goal' as const, id: goalId };
    const grant = await c.owner.tab.trpc.sharing.grant.mutate({
      subject: goal,
      userId: c.accountant.id,
      level: 'editor',
    });
    const mine = await c.accountant.tab.trpc.budgets.create.mutate({
      goalId,
      name: 'Accountant’s own',
      periodStart: '2027-01-01',
      periods: 1,
    });
    const move = (budgetId: string, action: WorkflowAction, expectedState: WorkflowState) =>
      c.accountant.tab.trpc.workflow.transition.mutate({ budgetId, action, expectedState });
    await move(mine.id, 'submit', 'draft');
    const ownBudget = await failure(move(mine.id, 'approve', 'submitted'));
    // The same accountant submits the owner's budget as an editor, then tries to approve it.
    const owners = await newBudget('Owner’s');
    await move(owners.id, 'submit', 'draft');
    const ownSubmission = await failure(move(owners.id, 'approve', 'submitted'));
    const view = await c.accountant.tab.trpc.budgets.get.query({ budgetId: owners.id });
    await c.owner.tab.trpc.sharing.revoke.mutate({ grantId: grant.id });
    expect({ ownBudget, ownSubmission, actions: view.workflow.actions }).toEqual({
      ownBudget: { code: 'FORBIDDEN', message: 'You own this budget, and nobody approves their own budget.' },
      ownSubmission: { code: 'FORBIDDEN', message: 'You submitted this version, so someone else must approve it.' },
      actions: [{ action: 'recall', to: 'draft', reason: 'optional', onBehalfOf: null }],
    });
  });
});

describe('the approvals inbox', () => {
  it('lists what waits for me, oldest first, and acts on several at once, each in its own transaction', async () => {
    const a = await budgetIn('submitted');
    const b = await budgetIn('in_review');
    const done = await budgetIn('approved');
    await t.sql(`update budgets set state_changed_at = ? where id = ?`, [new Date('2026-01-01T00:00:00Z'), b]);
    await t.sql(`update budgets set state_changed_at = ? where id = ?`, [new Date('2026-01-02T00:00:00Z'), a]);
    await t.sql(`update budgets set state_changed_at = ? where id = ?`, [new Date('2026-01-03T00:00:00Z'), done]);
    const accountantInbox = await c.accountant.tab.trpc.workflow.inbox.query({});
    const supervisorInbox = await c.supervisor.tab.trpc.workflow.inbox.query({});
    const mine = <T extends { budgetId: string }>(items: T[]) => items.filter((i) => [a, b, done].includes(i.budgetId));
    // Meanwhile someone else approves b.
    await c.approver.tab.trpc.workflow.transition.mutate({
      budgetId: b,
      action: 'approve',
      expectedState: 'in_review',
    });
    const bulk = await c.accountant.tab.trpc.workflow.bulk.mutate({
      action: 'approve',
      items: [
        { budgetId: b, expectedState: 'in_review' },
        { budgetId: a, expectedState: 'submitted' },
      ],
    });
    const log = await t.sql<{ budget_id: string; n: string }>(
      `select budget_id, count(*)::text as n from budget_log where budget_id in (?, ?) and action = 'workflow.approve'
       group by budget_id order by budget_id`,
      [a, b],
    );
    expect({
      accountant: mine(accountantInbox.items).map((i) => [i.budgetId, i.state, i.waitingFor, i.since, i.owner.name]),
      supervisor: mine(supervisorInbox.items).map((i) => [i.budgetId, i.waitingFor, i.actions.map((x) => x.action)]),
      bulk,
      log: Object.fromEntries(log.map((l) => [l.budget_id, l.n])),
    }).toEqual({
      accountant: [
        [b, 'in_review', 'approve', new Date('2026-01-01T00:00:00Z'), c.owner.name],
        [a, 'submitted', 'approve', new Date('2026-01-02T00:00:00Z'), c.owner.name],
      ],
      supervisor: [[done, 'final-approve', ['send-back', 'final-approve']]],
      bulk: {
        results: [
          {
            budgetId: b,
            ok: false,
            code: 'CONFLICT',
            message:
              'This budget is now approved, not in review: someone acted on it meanwhile. Reload to see where it stands.',
          },
          { budgetId: a, ok: true, to: 'approved', onBehalfOf: null },
        ],
        done: 1,
        refused: 1,
      },
      log: { [a]: '1', [b]: '1' },
    });
  });
});

describe('delegation', () => {
  it('lets a delegate act for an away approver, on their behalf, never on their own budget, without chaining', async () => {
    const colleague = await person(t, 'colleague@flow.test', 'Cole Colleague');
    const third = await person(t, 'third@flow.test', 'Thea Third');
    const waiting = await budgetIn('submitted');
    // First in the inbox, ahead of the state machine's many budgets.
    await t.sql('update budgets set state_changed_at = ? where id = ?', [new Date('2025-01-01T00:00:00Z'), waiting]);
    const before = await failure(colleague.tab.trpc.budgets.get.query({ budgetId: waiting }));
    const now = Date.now();
    const delegation = await c.accountant.tab.trpc.workflow.delegate.mutate({
      delegateId: colleague.id,
      startsAt: new Date(now - 3_600_000),
      endsAt: new Date(now + 3_600_000),
    });
    // The delegate tries to pass it on: delegations do not chain.
    await colleague.tab.trpc.workflow.delegate.mutate({
      delegateId: third.id,
      startsAt: new Date(now - 3_600_000),
      endsAt: new Date(now + 3_600_000),
    });
    const inbox = await colleague.tab.trpc.workflow.inbox.query({});
    const chained = await failure(
      third.tab.trpc.workflow.transition.mutate({ budgetId: waiting, action: 'approve', expectedState: 'submitted' }),
    );
    const moved = await colleague.tab.trpc.workflow.transition.mutate({
      budgetId: waiting,
      action: 'approve',
      expectedState: 'submitted',
    });
    const history = await c.owner.tab.trpc.workflow.history.query({ budgetId: waiting });
    const log = await c.owner.tab.trpc.budgets.history.query({ budgetId: waiting });
    const [event] = await t.sql<{ payload: { onBehalfOfId: string; actorId: string } }>(
      `select payload from outbox_events where key = ? and type = 'budget.approved'`,
      [waiting],
    );
    // The delegate's own budget: the owner's accountant stands over it too, but not for its owner.
    await (await t.admin()).trpc.users.assignAccountant.mutate({ userId: colleague.id, accountantId: c.accountant.id });
    const goal = await colleague.tab.trpc.goals.create.mutate({ name: 'Mine', targetAmountMinor: 0n, currency: 'EUR' });
    const own = await colleague.tab.trpc.budgets.create.mutate({
      goalId: goal.id,
      name: 'Own',
      periodStart: '2027-01-01',
      periods: 1,
    });
    await colleague.tab.trpc.workflow.transition.mutate({ budgetId: own.id, action: 'submit', expectedState: 'draft' });
    const selfApproval = await failure(
      colleague.tab.trpc.workflow.transition.mutate({
        budgetId: own.id,
        action: 'approve',
        expectedState: 'submitted',
      }),
    );
    const accountantApproves = await c.accountant.tab.trpc.budgets.get.query({ budgetId: own.id });
    const someoneElses = await failure(
      colleague.tab.trpc.workflow.delegate.mutate({
        approverId: c.supervisor.id,
        delegateId: colleague.id,
        startsAt: new Date(now),
        endsAt: new Date(now + 1000),
      }),
    );
    const forSupervisor = await (await t.admin()).trpc.workflow.delegate.mutate({
      approverId: c.supervisor.id,
      delegateId: colleague.id,
      // Next week: not in force during this test.
      startsAt: new Date(now + 7 * 86_400_000),
      endsAt: new Date(now + 14 * 86_400_000),
    });
    await c.accountant.tab.trpc.workflow.endDelegation.mutate({ delegationId: delegation.id });
    const afterEnd = await failure(colleague.tab.trpc.budgets.get.query({ budgetId: waiting }));
    const listed = await c.accountant.tab.trpc.workflow.delegations.query({});
    expect({
      before: before.code,
      delegation: [delegation.approver.name, delegation.delegate.name, delegation.inForce],
      inbox: inbox.items.filter((i) => i.budgetId === waiting).map((i) => [i.waitingFor, i.onBehalfOf?.name]),
      chained: chained.code,
      moved: moved.onBehalfOf,
      history: [history.items[0]?.actor.name, history.items[0]?.onBehalfOf?.name],
      log: [log.items[0]?.action, log.items[0]?.actorName, log.items[0]?.onBehalfOfName],
      event: [event?.payload.actorId, event?.payload.onBehalfOfId],
      selfApproval,
      accountantApproves: accountantApproves.workflow.actions.map((a) => a.action),
      someoneElses: someoneElses.code,
      forSupervisor: [forSupervisor.approver.name, forSupervisor.delegate.name],
      afterEnd: afterEnd.code,
      listed: listed.given.length,
    }).toEqual({
      before: 'NOT_FOUND',
      delegation: [c.accountant.name, 'Cole Colleague', true],
      inbox: [['approve', c.accountant.name]],
      chained: 'NOT_FOUND',
      moved: c.accountant.id,
      history: ['Cole Colleague', c.accountant.name],
      log: ['workflow.approve', 'Cole Colleague', c.accountant.name],
      event: [colleague.id, c.accountant.id],
      selfApproval: { code: 'FORBIDDEN', message: 'You own this budget, and nobody approves their own budget.' },
      accountantApproves: ['start-review', 'approve', 'send-back'],
      someoneElses: 'FORBIDDEN',
      forSupervisor: [c.supervisor.name, 'Cole Colleague'],
      afterEnd: 'NOT_FOUND',
      listed: 0,
    });
  });
});
