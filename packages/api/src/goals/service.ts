/**
 * Goals: what a team saves or spends towards, with a target amount and date. Each goal has one or
 * more budgets; its page shows their planned totals and the forecast against the target.
 */
import { Forecast, Goal, GoalLog, query, type WorkflowState } from '@goalpost/db';
import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import { rateText } from '../budgets/service.ts';
import type { ActorContext } from '../context.ts';
import { conditions, type SortColumns } from '../platform/listing.ts';
import { containing } from '../platform/search.ts';
import { authorize, permissionsOn, readable } from '../policy/access.ts';
import { logGoal } from './history.ts';
import { progressOf } from './progress.ts';
import type * as schema from './schema.ts';

type Ctx = ActorContext;

function view(goal: Goal) {
  return {
    id: goal.id,
    name: goal.name,
    description: goal.description ?? null,
    category: goal.category ?? null,
    targetAmountMinor: goal.targetAmountMinor,
    currency: goal.currency,
    targetDate: goal.targetDate ?? null,
    status: goal.status,
    version: goal.version,
    ownerId: goal.owner.id,
    createdAt: goal.createdAt,
    updatedAt: goal.updatedAt,
  };
}

const SORT_COLUMNS: SortColumns<z.infer<typeof schema.listInput>['sort']> = {
  name: { column: 'lower(g.name)', direction: 'asc' },
  targetDate: { column: 'g.target_date', direction: 'asc' },
  updated: { column: 'g.updated_at', direction: 'desc' },
  target: { column: 'g.target_amount_minor', direction: 'desc' },
};

export async function list(ctx: Ctx, input: z.infer<typeof schema.listInput>) {
  const params: unknown[] = [ctx.services.orgId];
  const filter = conditions(params, ['g.org_id = $1', readable(ctx, 'goal', 'g', params)]);
  if (input.status !== 'all') filter.add('g.status = ?', input.status);
  if (input.category) filter.add('g.category = ?', input.category);
  if (input.search) filter.add('g.name ilike ?', containing(input.search));
  const { ids, total } = await filter.ids(
    ctx.em,
    { table: 'goals', alias: 'g' },
    { columns: SORT_COLUMNS, sort: input.sort, direction: input.direction },
    input,
  );
  const goals = ids.length
    ? await ctx.em.find(Goal, { id: { $in: ids } }, { populate: ['owner'], fields: ['*', 'owner.name'] })
    : [];
  const byId = new Map(goals.map((g) => [g.id, g]));
  const ordered = ids.map((id) => byId.get(id)).filter((g): g is Goal => g !== undefined);
  const progress = await progressOf(ctx.em, ordered);
  const categoryParams: unknown[] = [ctx.services.orgId];
  const categories = await query<{ category: string }>(
    ctx.em,
    `select distinct g.category from goals g where g.org_id = $1 and ${readable(ctx, 'goal', 'g', categoryParams)}
     and g.category is not null order by 1`,
    categoryParams,
  );
  return {
    items: ordered.map((g) => ({ ...view(g), ownerName: g.owner.name, progress: progress.get(g.id)! })),
    total,
    page: input.page,
    pageSize: input.pageSize,
    categories: categories.map((c) => c.category),
  };
}

export async function get(ctx: Ctx, { goalId }: z.infer<typeof schema.goalId>) {
  const facts = await authorize(ctx, 'read', { goalId });
  const goal = await ctx.em.findOneOrFail(Goal, { id: goalId }, { populate: ['owner'] });
  const budgets = await query<{
    id: string;
    name: string;
    currency: string;
    fx_rate: string | null;
    fx_rate_date: string | null;
    state: WorkflowState;
    granularity: 'monthly' | 'quarterly';
    period_start: string;
    period_end: string;
    owner_name: string;
    updated_at: Date;
    total: string;
  }>(
    ctx.em,
    `select b.id, b.name, b.currency, b.fx_rate::text as fx_rate, b.fx_rate_date::text as fx_rate_date, b.state,
            b.granularity, b.period_start::text as period_start, b.period_end::text as period_end,
            u.name as owner_name, b.updated_at, coalesce(sum(a.amount_minor), 0)::text as total
     from budgets b
     join users u on u.id = b.owner_id
     join budget_versions v on v.budget_id = b.id and v.number = b.current_version_number
     left join budget_lines l on l.version_id = v.id
     left join budget_amounts a on a.line_id = l.id
     where b.goal_id = $1
     group by b.id, u.name
     order by b.created_at, b.id`,
    [goalId],
  );
  const forecasts = await ctx.em.find(
    Forecast,
    { budget: { goal: goalId } },
    { orderBy: { createdAt: 'asc' }, fields: ['id', 'name', 'budget', 'updatedAt'] },
  );
  const progress = (await progressOf(ctx.em, [goal])).get(goal.id)!;
  return {
    ...view(goal),
    ownerName: goal.owner.name,
    permissions: permissionsOn(ctx, facts),
    progress,
    budgets: budgets.map((b) => ({
      id: b.id,
      name: b.name,
      currency: b.currency,
      fxRate: rateText(b.fx_rate),
      fxRateDate: b.fx_rate_date,
      state: b.state,
      granularity: b.granularity,
      periodStart: b.period_start,
      periodEnd: b.period_end,
      ownerName: b.owner_name,
      updatedAt: new Date(b.updated_at),
      totalMinor: BigInt(b.total),
    })),
    forecasts: forecasts.map((f) => ({ id: f.id, name: f.name, budgetId: f.budget.id, updatedAt: f.updatedAt })),
  };
}

export async function create(ctx: Ctx, input: z.infer<typeof schema.createInput>) {
  const goal = await ctx.em.transactional(async (em) => {
    const goal = em.create(Goal, {
      org: ctx.services.orgId,
      owner: ctx.actor.id,
      name: input.name,
      description: input.description ?? null,
      category: input.category || null,
      targetAmountMinor: input.targetAmountMinor,
      currency: input.currency,
      targetDate: input.targetDate ?? null,
    });
    await em.flush();
    logGoal({ ...ctx, em }, goal.id, { action: 'created', newValue: { name: goal.name } });
    return goal;
  });
  return get(ctx, { goalId: goal.id });
}

const EDITABLE = ['name', 'description', 'category', 'targetAmountMinor', 'targetDate'] as const;

/** Edits a goal's fields; each changed field is one history row. A stale `version` is CONFLICT. */
export async function update(ctx: Ctx, input: z.infer<typeof schema.updateInput>) {
  await authorize(ctx, 'manage', { goalId: input.goalId });
  await ctx.em.transactional(async (em) => {
    const goal = await em.findOneOrFail(Goal, { id: input.goalId });
    if (goal.version !== input.version) throw staleGoal();
    for (const field of EDITABLE) {
      if (input[field] === undefined) continue;
      const next = field === 'category' ? input[field] || null : input[field];
      if (next === goal[field]) continue;
      logGoal({ ...ctx, em }, goal.id, { action: 'updated', field, oldValue: goal[field], newValue: next });
      Object.assign(goal, { [field]: next });
    }
    await em.flush();
  });
  return get(ctx, { goalId: input.goalId });
}

function staleGoal() {
  return new TRPCError({
    code: 'CONFLICT',
    message: 'Someone changed this goal since you opened it. Reload to see their change, then edit again.',
  });
}

export async function archive(ctx: Ctx, input: z.infer<typeof schema.archiveInput>) {
  await authorize(ctx, 'manage', { goalId: input.goalId });
  await ctx.em.transactional(async (em) => {
    const goal = await em.findOneOrFail(Goal, { id: input.goalId });
    const status = input.archived ? 'archived' : 'active';
    if (goal.status === status) return;
    logGoal({ ...ctx, em }, goal.id, {
      action: input.archived ? 'archived' : 'unarchived',
      field: 'status',
      oldValue: goal.status,
      newValue: status,
    });
    goal.status = status;
    await em.flush();
  });
  return get(ctx, { goalId: input.goalId });
}

export async function history(ctx: Ctx, input: z.infer<typeof schema.historyInput>) {
  await authorize(ctx, 'read', { goalId: input.goalId });
  const [items, total] = await ctx.em.findAndCount(
    GoalLog,
    { goal: input.goalId },
    {
      orderBy: { at: 'desc', id: 'desc' },
      limit: input.pageSize,
      offset: (input.page - 1) * input.pageSize,
      populate: ['actor'],
      fields: ['*', 'actor.name'],
    },
  );
  return {
    items: items.map((r) => ({
      id: r.id,
      at: r.at,
      actorName: r.actor.name,
      action: r.action,
      field: r.field ?? null,
      oldValue: r.oldValue ?? null,
      newValue: r.newValue ?? null,
    })),
    total,
    page: input.page,
    pageSize: input.pageSize,
  };
}
