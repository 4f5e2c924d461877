/**
 * The approval workflow: moves of a budget's current version through the transition table
 * (transitions.ts), the approvals inbox, the history of moves, and delegations.
 *
 * A move is one transaction, under the budget's lock (the one grid saves take, so a save and a
 * submit never interleave): it checks the state the person saw, the table and the policy, then
 * writes the new state (version and budget), a workflow_transitions row, a budget_log row and an
 * outbox event. Two approvers acting at once are serialised by the lock, and the second finds the
 * budget moved on (CONFLICT); the state update is also conditional on the state it read.
 */
import { randomUUID } from 'node:crypto';
import { Delegation, query, User, type WorkflowState } from '@goalpost/db';
import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import { lockBudget, writeLog } from '../budgets/cells.ts';
import { newRevision } from '../budgets/service.ts';
import type { ActorContext } from '../context.ts';
import { emit } from '../outbox/service.ts';
import { toApiError } from '../platform/errors.ts';
import { authorize, type BudgetFacts, forbidden, loadFacts } from '../policy/access.ts';
import { can } from '../policy/index.ts';
import { decide } from '../policy/objects.ts';
import { audienceOf, type DelegationEventPayload, recipientsOf, type WorkflowEventPayload } from './events.ts';
import type * as schema from './schema.ts';
import {
  ACTION_LABELS,
  availableActions,
  STATE_LABELS,
  statesFor,
  TRANSITIONS,
  transitionFrom,
  type WorkflowAction,
} from './transitions.ts';

type Ctx = ActorContext;

/** What a refusal says the person tried: "You may not send back this budget." */
const VERBS: Record<WorkflowAction, string> = {
  submit: 'submit',
  recall: 'recall',
  'start-review': 'start the review of',
  approve: 'approve',
  'send-back': 'send back',
  revise: 'revise',
  'final-approve': 'give the final approval to',
  cancel: 'cancel',
  reopen: 'reopen',
};

function stale(current: WorkflowState, expected: WorkflowState): TRPCError {
  return new TRPCError({
    code: 'CONFLICT',
    message: `This budget is now ${STATE_LABELS[current]}, not ${STATE_LABELS[expected]}: someone acted on it meanwhile. Reload to see where it stands.`,
  });
}

function wrongState(state: WorkflowState, action: WorkflowAction): TRPCError {
  const states = statesFor(action).map((s) => STATE_LABELS[s]);
  const list = states.length > 1 ? `${states.slice(0, -1).join(', ')} or ${states.at(-1)}` : states[0];
  return new TRPCError({
    code: 'FORBIDDEN',
    message: `This budget is ${STATE_LABELS[state]}, so it cannot be moved with “${ACTION_LABELS[action]}”: that applies to ${list} budgets.`,
  });
}

/**
 * Checks, in this order: can the actor see the budget (NOT_FOUND), could they ever take this
 * action on it (FORBIDDEN, naming who can), is it still in the state they saw (CONFLICT), does
 * the action apply in this state (FORBIDDEN, naming the states), and do they hold the right this
 * row asks for (FORBIDDEN).
 */
function check(ctx: Ctx, facts: BudgetFacts, input: z.infer<typeof schema.transitionInput>) {
  const rows = TRANSITIONS.filter((t) => t.action === input.action);
  const row = transitionFrom(facts.state, input.action);
  const verb = VERBS[input.action];
  if (!rows.some((t) => decide(ctx.actor, t.right, facts).allowed)) {
    throw forbidden(ctx.actor, (row ?? rows[0]!).right, facts, verb);
  }
  if (facts.state !== input.expectedState) throw stale(facts.state, input.expectedState);
  if (!row) throw wrongState(facts.state, input.action);
  const decision = decide(ctx.actor, row.right, facts);
  if (!decision.allowed) throw forbidden(ctx.actor, row.right, facts, verb);
  return { row, onBehalfOf: decision.onBehalfOf };
}

/** One move of one budget (see the module's header). */
export async function transition(ctx: Ctx, input: z.infer<typeof schema.transitionInput>) {
  return ctx.em.transactional(async (em) => {
    const tx = { ...ctx, em };
    await lockBudget(em, input.budgetId);
    const facts = await authorize(tx, 'read', { budgetId: input.budgetId });
    const { row, onBehalfOf } = check(tx, facts, input);
    const now = ctx.services.clock.now();
    const reason = input.reason || null;
    let versionNumber = facts.versionNumber;
    if (row.newRevision) {
      ({ versionNumber } = await newRevision(tx, { budgetId: input.budgetId }));
    } else {
      const moved = await query<{ id: string }>(
        em,
        `update budget_versions set state = $4,
           locked_at = case when $4 = 'final_approved' then $5 else locked_at end,
           submitted_by_id = case when $6 = 'submit' then $7::uuid else submitted_by_id end,
           approved_by_id = case when $4 = 'approved' then $7::uuid
                                 when $4 in ('draft', 'changes_requested') then null else approved_by_id end
         where budget_id = $1 and number = $2 and state = $3 returning id`,
        [input.budgetId, versionNumber, row.from, row.to, now, row.action, ctx.actor.id],
      );
      if (!moved.length) throw stale(facts.state, input.expectedState);
    }
    const [budget] = await query<{
      name: string;
      goal_id: string;
      goal_name: string;
      owner_id: string;
      version_id: string;
      submitted_by: string | null;
    }>(
      em,
      `update budgets b set state = $2, state_changed_at = $3, updated_at = $3 from goals g, budget_versions v
       where b.id = $1 and g.id = b.goal_id and v.budget_id = b.id and v.number = $4
       returning b.name, b.goal_id, g.name as goal_name, b.owner_id, v.id as version_id, v.submitted_by_id as submitted_by`,
      [input.budgetId, row.to, now, versionNumber],
    );
    if (!budget) throw new Error(`Budget ${input.budgetId} vanished under its lock.`);
    const transitionId = randomUUID();
    await query(
      em,
      `insert into workflow_transitions (id, org_id, budget_id, budget_version_id, from_state, to_state, action,
                                         actor_id, on_behalf_of_id, reason, at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        transitionId,
        ctx.services.orgId,
        input.budgetId,
        budget.version_id,
        row.from,
        row.to,
        row.action,
        ctx.actor.id,
        onBehalfOf,
        reason,
        now,
      ],
    );
    await writeLog(
      tx,
      { budgetId: input.budgetId, versionNumber, action: `workflow.${row.action}`, onBehalfOfId: onBehalfOf },
      [{ field: 'state', oldValue: row.from, newValue: row.to, reason }],
    );
    const recipients = await recipientsOf(tx, input.budgetId);
    const notify = audienceOf(row.action, recipients, ctx.actor.id);
    // Whoever submitted hears that it came back, owner or not.
    const submitter = budget.submitted_by;
    if (row.action === 'send-back' && submitter && submitter !== ctx.actor.id && !notify.includes(submitter)) {
      notify.push(submitter);
    }
    const payload: WorkflowEventPayload = {
      transitionId,
      budgetId: input.budgetId,
      budgetName: budget.name,
      goalId: budget.goal_id,
      goalName: budget.goal_name,
      versionNumber,
      action: row.action,
      from: row.from,
      to: row.to,
      actorId: ctx.actor.id,
      onBehalfOfId: onBehalfOf,
      reason,
      at: now.toISOString(),
      ownerId: budget.owner_id,
      recipients,
      notify,
    };
    emit(tx, { topic: 'workflow', type: row.event, key: input.budgetId, payload: { ...payload } });
    await em.flush();
    return { budgetId: input.budgetId, transitionId, from: row.from, to: row.to, versionNumber, onBehalfOf };
  });
}

/**
 * The same move on several budgets, each in its own transaction with its own history rows: one
 * refused budget does not hold back the others, and the answer says what happened to each.
 */
export async function bulk(ctx: Ctx, input: z.infer<typeof schema.bulkInput>) {
  const results: (
    | { budgetId: string; ok: true; to: WorkflowState; onBehalfOf: string | null }
    | { budgetId: string; ok: false; code: string; message: string }
  )[] = [];
  for (const item of input.items) {
    try {
      const moved = await transition(
        { ...ctx, em: ctx.em.fork() },
        { ...item, action: input.action, reason: input.reason },
      );
      results.push({ budgetId: item.budgetId, ok: true, to: moved.to, onBehalfOf: moved.onBehalfOf });
    } catch (error) {
      const refusal = toApiError(error);
      if (!refusal) throw error;
      results.push({ budgetId: item.budgetId, ok: false, code: refusal.code, message: refusal.message });
    }
  }
  return { results, done: results.filter((r) => r.ok).length, refused: results.filter((r) => !r.ok).length };
}

/** Budgets the inbox looks at, at most: older ones wait longest and come first. */
const INBOX_LIMIT = 1000;

/**
 * What waits for the actor: budgets submitted or in review that they may approve, and approved
 * ones they may final-approve, in their own right or as a delegate. Oldest first, with how long
 * each has waited. A candidate query narrows by the same paths the policy knows; the policy then
 * decides each budget, so the inbox never offers what `workflow.transition` would refuse.
 */
export async function inbox(ctx: Ctx, input: z.infer<typeof schema.inboxInput>) {
  const now = ctx.services.clock.now();
  const candidates = await query<{ id: string }>(
    ctx.em,
    `with me as (
       select $1::uuid as id
       union select d.approver_id from delegations d join users du on du.id = d.approver_id and du.status = 'active'
             where d.delegate_id = $1 and d.revoked_at is null and d.starts_at <= $3 and d.ends_at > $3)
     select b.id from budgets b join goals g on g.id = b.goal_id
     where b.org_id = $2 and b.state in ('submitted', 'in_review', 'approved')
       and (exists (select 1 from grants gr
                    where coalesce(gr.goal_id, gr.budget_id, gr.forecast_id) in (b.id, b.goal_id)
                      and gr.grantee_id in (select id from me) and gr.level = 'approver'
                      and gr.revoked_at is null and (gr.expires_at is null or gr.expires_at > $3))
            or exists (select 1 from user_accountants ua
                       where ua.accountant_id in (select id from me) and ua.user_id in (b.owner_id, g.owner_id))
            or exists (select 1 from users s where s.id in (b.owner_id, g.owner_id) and s.supervisor_id in (select id from me)))
     order by coalesce(b.state_changed_at, b.created_at), b.id
     limit ${INBOX_LIMIT}`,
    [ctx.actor.id, ctx.services.orgId, now],
  );
  const ids = candidates.map((c) => c.id);
  const facts = await loadFacts(ctx, 'budget', ids, [ctx.actor.id]);
  const waiting = ids.flatMap((id) => {
    const f = facts.get(id)?.get(ctx.actor.id)?.facts as BudgetFacts | undefined;
    if (!f) return [];
    const right = f.state === 'approved' ? 'final-approve' : 'approve';
    const decision = decide(ctx.actor, right, f);
    return decision.allowed
      ? [{ id, facts: f, waitingFor: right as 'approve' | 'final-approve', onBehalfOf: decision.onBehalfOf }]
      : [];
  });
  const page = waiting.slice((input.page - 1) * input.pageSize, input.page * input.pageSize);
  const details = page.length
    ? await query<{
        id: string;
        name: string;
        currency: string;
        goal_id: string;
        goal_name: string;
        owner_id: string;
        owner_name: string;
        since: Date;
        submitted_by: string | null;
        submitted_by_name: string | null;
        total: string;
      }>(
        ctx.em,
        `select b.id, b.name, b.currency, g.id as goal_id, g.name as goal_name, o.id as owner_id, o.name as owner_name,
                coalesce(b.state_changed_at, b.created_at) as since, v.submitted_by_id as submitted_by,
                sb.name as submitted_by_name,
                (select coalesce(sum(a.amount_minor), 0)::text from budget_lines l join budget_amounts a on a.line_id = l.id
                 where l.version_id = v.id) as total
         from budgets b join goals g on g.id = b.goal_id join users o on o.id = b.owner_id
         join budget_versions v on v.budget_id = b.id and v.number = b.current_version_number
         left join users sb on sb.id = v.submitted_by_id
         where b.id = any($1::uuid[])`,
        [page.map((p) => p.id)],
      )
    : [];
  const names = await namesOf(
    ctx,
    page.flatMap((p) => (p.onBehalfOf ? [p.onBehalfOf] : [])),
  );
  const byId = new Map(details.map((d) => [d.id, d]));
  return {
    items: page.map(({ id, facts: f, waitingFor, onBehalfOf }) => {
      const d = byId.get(id)!;
      return {
        budgetId: id,
        budgetName: d.name,
        goal: { id: d.goal_id, name: d.goal_name },
        owner: { id: d.owner_id, name: d.owner_name },
        state: f.state,
        versionNumber: f.versionNumber,
        since: new Date(d.since),
        submittedBy: d.submitted_by ? { id: d.submitted_by, name: d.submitted_by_name as string } : null,
        waitingFor,
        onBehalfOf: onBehalfOf ? { id: onBehalfOf, name: names.get(onBehalfOf) ?? '' } : null,
        currency: d.currency,
        totalMinor: BigInt(d.total),
        actions: availableActions(ctx.actor, f.state, f),
      };
    }),
    total: waiting.length,
    page: input.page,
    pageSize: input.pageSize,
  };
}

async function namesOf(ctx: Ctx, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const users = await ctx.em.find(User, { id: { $in: [...new Set(ids)] } }, { fields: ['id', 'name'] });
  return new Map(users.map((u) => [u.id, u.name]));
}

interface TransitionRow {
  id: string;
  budget_id: string;
  version_number: number;
  action: WorkflowAction;
  from_state: WorkflowState;
  to_state: WorkflowState;
  actor_id: string;
  actor_name: string;
  on_behalf_of_id: string | null;
  on_behalf_of_name: string | null;
  reason: string | null;
  at: Date;
}

async function transitionsOf(ctx: Ctx, budgetIds: string[]): Promise<TransitionRow[]> {
  return query<TransitionRow>(
    ctx.em,
    `select t.id, t.budget_id, v.number as version_number, t.action, t.from_state, t.to_state, t.actor_id,
            a.name as actor_name, t.on_behalf_of_id, ob.name as on_behalf_of_name, t.reason, t.at
     from workflow_transitions t join budget_versions v on v.id = t.budget_version_id
     join users a on a.id = t.actor_id left join users ob on ob.id = t.on_behalf_of_id
     where t.budget_id = any($1::uuid[]) order by t.at desc, v.number desc`,
    [budgetIds],
  );
}

function transitionView(t: TransitionRow) {
  return {
    id: t.id,
    versionNumber: t.version_number,
    action: t.action,
    from: t.from_state,
    to: t.to_state,
    actor: { id: t.actor_id, name: t.actor_name },
    onBehalfOf: t.on_behalf_of_id ? { id: t.on_behalf_of_id, name: t.on_behalf_of_name as string } : null,
    reason: t.reason,
    at: new Date(t.at),
  };
}

/** Every move of a budget, across its revisions, newest first. */
export async function history(ctx: Ctx, { budgetId }: z.infer<typeof schema.historyInput>) {
  const facts = await authorize(ctx, 'read', { budgetId });
  return {
    budgetId,
    state: facts.state,
    versionNumber: facts.versionNumber,
    items: (await transitionsOf(ctx, [budgetId])).map(transitionView),
  };
}

/** The goal page's view: each budget's state and its moves. Reading a goal reads its budgets. */
export async function goalHistory(ctx: Ctx, { goalId }: z.infer<typeof schema.goalHistoryInput>) {
  await authorize(ctx, 'read', { goalId });
  const budgets = await query<{
    id: string;
    name: string;
    state: WorkflowState;
    current_version_number: number;
    since: Date;
  }>(
    ctx.em,
    `select id, name, state, current_version_number, coalesce(state_changed_at, created_at) as since
     from budgets where goal_id = $1 order by created_at, id`,
    [goalId],
  );
  const moves = await transitionsOf(
    ctx,
    budgets.map((b) => b.id),
  );
  return {
    goalId,
    budgets: budgets.map((b) => ({
      budgetId: b.id,
      name: b.name,
      state: b.state,
      versionNumber: b.current_version_number,
      since: new Date(b.since),
      transitions: moves.filter((m) => m.budget_id === b.id).map(transitionView),
    })),
  };
}

function delegationView(d: Delegation, now: Date) {
  return {
    id: d.id,
    approver: { id: d.approver.id, name: d.approver.name },
    delegate: { id: d.delegate.id, name: d.delegate.name },
    startsAt: d.startsAt,
    endsAt: d.endsAt,
    createdById: d.createdBy.id,
    createdAt: d.createdAt,
    revokedAt: d.revokedAt ?? null,
    inForce: !d.revokedAt && d.startsAt <= now && d.endsAt > now,
  };
}

const badPerson = (field: string, message: string) =>
  new TRPCError({ code: 'BAD_REQUEST', message: `${field}: ${message}` });

/**
 * Hands the approver's approvals to a colleague for a period. An approver delegates their own; an
 * admin may set one up for anyone. The delegate must be an active user other than the approver.
 */
export async function delegate(ctx: Ctx, input: z.infer<typeof schema.delegateInput>) {
  const approverId = input.approverId ?? ctx.actor.id;
  if (approverId !== ctx.actor.id && !can(ctx.actor, 'delegate-for-others')) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message:
        'Only an administrator may hand over someone else’s approvals. Leave approverId out to delegate your own.',
    });
  }
  const now = ctx.services.clock.now();
  if (input.endsAt <= now)
    throw badPerson('endsAt', 'The delegation would already be over; choose an end in the future.');
  const approver = await ctx.em.findOne(User, { id: approverId, org: ctx.services.orgId });
  const delegateUser = await ctx.em.findOne(User, { id: input.delegateId, org: ctx.services.orgId });
  if (!approver || approver.status === 'deactivated') throw badPerson('approverId', 'No such active user.');
  if (delegateUser?.status !== 'active') {
    throw badPerson('delegateId', 'No such active user: the delegate must have an account they can sign in to.');
  }
  if (delegateUser.id === approver.id) throw badPerson('delegateId', 'Choose someone other than the approver.');
  const created = await ctx.em.transactional(async (em) => {
    const delegation = em.create(Delegation, {
      org: ctx.services.orgId,
      approver: approver.id,
      delegate: delegateUser.id,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      createdBy: ctx.actor.id,
    });
    await em.flush();
    emit({ ...ctx, em }, delegationEvent('delegation.created', delegation, ctx.actor.id));
    return delegation;
  });
  return delegationView(created, now);
}

function delegationEvent(type: string, d: Delegation, actorId: string) {
  const payload: DelegationEventPayload = {
    delegationId: d.id,
    approverId: d.approver.id,
    delegateId: d.delegate.id,
    startsAt: d.startsAt.toISOString(),
    endsAt: d.endsAt.toISOString(),
    createdById: d.createdBy.id,
    actorId,
  };
  return { topic: 'workflow' as const, type, key: d.approver.id, payload: { ...payload } };
}

/** Delegations not yet over that the person gave (as approver) and received (as delegate). */
export async function delegations(ctx: Ctx, input: z.infer<typeof schema.delegationsInput>) {
  const userId = input.userId ?? ctx.actor.id;
  if (userId !== ctx.actor.id && !can(ctx.actor, 'delegate-for-others')) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'Only an administrator may look at someone else’s delegations.',
    });
  }
  const now = ctx.services.clock.now();
  const rows = await ctx.em.find(
    Delegation,
    {
      org: ctx.services.orgId,
      revokedAt: null,
      endsAt: { $gt: now },
      $or: [{ approver: userId }, { delegate: userId }],
    },
    { populate: ['approver', 'delegate'], orderBy: { startsAt: 'asc', id: 'asc' } },
  );
  const views = rows.map((d) => delegationView(d, now));
  return {
    given: views.filter((d) => d.approver.id === userId),
    received: views.filter((d) => d.delegate.id === userId),
  };
}

/** Ends a delegation now: its approver, its delegate (declining it) or an admin may. */
export async function endDelegation(ctx: Ctx, { delegationId }: z.infer<typeof schema.delegationId>) {
  const d = await ctx.em.findOne(
    Delegation,
    { id: delegationId, org: ctx.services.orgId },
    { populate: ['approver', 'delegate'] },
  );
  const involved = d && (d.approver.id === ctx.actor.id || d.delegate.id === ctx.actor.id);
  if (!d || (!involved && !can(ctx.actor, 'delegate-for-others'))) {
    throw new TRPCError({
      code: 'NOT_FOUND',
      message: 'No such delegation. It may have been removed; reload the list.',
    });
  }
  const now = ctx.services.clock.now();
  if (!d.revokedAt) {
    await ctx.em.transactional(async (em) => {
      const ended = await em.nativeUpdate(Delegation, { id: d.id, revokedAt: null }, { revokedAt: now });
      if (ended) emit({ ...ctx, em }, delegationEvent('delegation.ended', d, ctx.actor.id));
    });
    d.revokedAt = now;
  }
  return delegationView(d, now);
}
