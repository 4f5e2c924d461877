/**
 * Forecasts: for each line of a budget and each period, what is now expected (forecast) and what
 * happened (actual), beside the budgeted amount. Rows are the budget's lines (matched by their
 * stable key), so a forecast follows the budget's lines across revisions. Variance is computed
 * from the three figures wherever it is shown.
 */
import { Budget, BudgetLog, Forecast, query, type WorkflowState } from '@goalpost/db';
import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import { type CellStore, type Conflict, conflictError, lockBudget, writeCells, writeLog } from '../budgets/cells.ts';
import { type Granularity, periodsBetween } from '../budgets/periods.ts';
import { gridLines } from '../budgets/service.ts';
import type { ActorContext } from '../context.ts';
import { currencyDigits, maxMinor } from '../money/index.ts';
import { conditions, type SortColumns } from '../platform/listing.ts';
import { containing } from '../platform/search.ts';
import { authorize, loadFacts, permissionsOn, readable } from '../policy/access.ts';
import type * as schema from './schema.ts';

type Ctx = ActorContext;

export const STORES: Record<'forecast' | 'actual', CellStore> = {
  forecast: {
    linesTable: 'forecast_lines',
    lineKey: 'budget_line_key',
    lineScope: 'forecast_id',
    amountsTable: 'forecast_amounts',
    valueColumn: 'forecast_minor',
    field: 'forecast',
  },
  actual: {
    linesTable: 'forecast_lines',
    lineKey: 'budget_line_key',
    lineScope: 'forecast_id',
    amountsTable: 'forecast_amounts',
    valueColumn: 'actual_minor',
    field: 'actual',
  },
};

export async function create(ctx: Ctx, input: z.infer<typeof schema.createInput>) {
  await authorize(ctx, 'edit', { budgetId: input.budgetId });
  const forecast = await ctx.em.transactional(async (em) => {
    const forecast = em.create(Forecast, {
      org: ctx.services.orgId,
      budget: input.budgetId,
      owner: ctx.actor.id,
      name: input.name,
    });
    await em.flush();
    await writeLog(
      { ...ctx, em },
      { budgetId: input.budgetId, versionNumber: null, forecastId: forecast.id, action: 'forecast.created' },
      [{ newValue: { name: input.name } }],
    );
    return forecast;
  });
  return get(ctx, { forecastId: forecast.id });
}

export async function rename(ctx: Ctx, input: z.infer<typeof schema.renameInput>) {
  const facts = await authorize(ctx, 'manage', { forecastId: input.forecastId });
  await ctx.em.transactional(async (em) => {
    const forecast = await em.findOneOrFail(Forecast, { id: input.forecastId });
    if (forecast.name === input.name) return;
    await writeLog(
      { ...ctx, em },
      { budgetId: facts.budgetId, versionNumber: null, forecastId: forecast.id, action: 'forecast.renamed' },
      [{ field: 'name', oldValue: forecast.name, newValue: input.name }],
    );
    forecast.name = input.name;
    await em.flush();
  });
  return get(ctx, { forecastId: input.forecastId });
}

const SORT_COLUMNS: SortColumns<z.infer<typeof schema.listInput>['sort']> = {
  name: { column: 'lower(f.name)', direction: 'asc' },
  updated: { column: 'f.updated_at', direction: 'desc' },
};

/**
 * Every forecast the actor may read, a page at a time: their own, those of their budgets and
 * goals, those shared with them directly or through the budget or goal, and whatever else the
 * policy lets them read (the SQL filter agrees with it: policy/readable.test.ts).
 */
export async function list(ctx: Ctx, input: z.infer<typeof schema.listInput>) {
  const params: unknown[] = [ctx.services.orgId];
  const filter = conditions(params, ['f.org_id = $1', readable(ctx, 'forecast', 'f', params)]);
  if (input.budgetId) filter.add('f.budget_id = ?', input.budgetId);
  if (input.goalId) filter.add('f.budget_id in (select b.id from budgets b where b.goal_id = ?)', input.goalId);
  if (input.search) filter.add('f.name ilike ?', containing(input.search));
  const { ids, total } = await filter.ids(
    ctx.em,
    { table: 'forecasts', alias: 'f' },
    { columns: SORT_COLUMNS, sort: input.sort, direction: input.direction },
    input,
  );
  const details = ids.length
    ? await query<{
        id: string;
        name: string;
        budget_id: string;
        budget_name: string;
        state: WorkflowState;
        goal_id: string;
        goal_name: string;
        owner_id: string;
        owner_name: string;
        currency: string;
        granularity: Granularity;
        period_start: string;
        period_end: string;
        updated_at: Date;
      }>(
        ctx.em,
        `select f.id, f.name, b.id as budget_id, b.name as budget_name, b.state, g.id as goal_id, g.name as goal_name,
                o.id as owner_id, o.name as owner_name, b.currency, b.granularity,
                b.period_start::text as period_start, b.period_end::text as period_end, f.updated_at
         from forecasts f join budgets b on b.id = f.budget_id join goals g on g.id = b.goal_id
         join users o on o.id = f.owner_id
         where f.id = any($1::uuid[])`,
        [ids],
      )
    : [];
  const facts = await loadFacts(ctx, 'forecast', ids, [ctx.actor.id]);
  const byId = new Map(details.map((d) => [d.id, d]));
  return {
    items: ids.flatMap((id) => {
      const d = byId.get(id);
      const f = facts.get(id)?.get(ctx.actor.id)?.facts;
      if (!d || !f) return [];
      return [
        {
          id,
          name: d.name,
          budget: { id: d.budget_id, name: d.budget_name, state: d.state },
          goal: { id: d.goal_id, name: d.goal_name },
          ownerId: d.owner_id,
          ownerName: d.owner_name,
          currency: d.currency,
          granularity: d.granularity,
          periodStart: d.period_start,
          periodEnd: d.period_end,
          updatedAt: new Date(d.updated_at),
          permissions: permissionsOn(ctx, f),
        },
      ];
    }),
    total,
    page: input.page,
    pageSize: input.pageSize,
  };
}

/** The forecast grid: the budget's current lines with budget, forecast and actual per period. */
export async function get(ctx: Ctx, { forecastId }: z.infer<typeof schema.forecastId>) {
  const facts = await authorize(ctx, 'read', { forecastId });
  const forecast = await ctx.em.findOneOrFail(
    Forecast,
    { id: forecastId },
    { populate: ['owner'], fields: ['*', 'owner.name'] },
  );
  const budget = await ctx.em.findOneOrFail(
    Budget,
    { id: facts.budgetId },
    { populate: ['goal'], fields: ['*', 'goal.name'] },
  );
  const [version] = await query<{ id: string }>(
    ctx.em,
    'select id from budget_versions where budget_id = $1 and number = $2',
    [budget.id, budget.currentVersionNumber],
  );
  const periods = periodsBetween(budget.periodStart, budget.periodEnd, budget.granularity as Granularity);
  const lines = await gridLines(ctx, version!.id, periods);
  const figures = await query<{ key: string; period: string; forecast: string | null; actual: string | null }>(
    ctx.em,
    `select fl.budget_line_key as key, fa.period::text as period, fa.forecast_minor::text as forecast, fa.actual_minor::text as actual
     from forecast_lines fl join forecast_amounts fa on fa.line_id = fl.id where fl.forecast_id = $1`,
    [forecastId],
  );
  const at = new Map(figures.map((f) => [`${f.key}|${f.period}`, f]));
  const value = (v: string | null | undefined) => (v == null ? null : BigInt(v));
  return {
    id: forecast.id,
    name: forecast.name,
    ownerName: forecast.owner.name,
    budget: {
      id: budget.id,
      name: budget.name,
      goalId: budget.goal.id,
      goalName: budget.goal.name,
      state: budget.state,
    },
    currency: budget.currency,
    digits: currencyDigits(budget.currency),
    granularity: budget.granularity as Granularity,
    permissions: permissionsOn(ctx, facts),
    updatedAt: forecast.updatedAt,
    periods,
    lines: lines.map((line) => ({
      key: line.key,
      category: line.category,
      description: line.description,
      budget: line.amounts,
      forecast: periods.map((p) => value(at.get(`${line.key}|${p}`)?.forecast)),
      actual: periods.map((p) => value(at.get(`${line.key}|${p}`)?.actual)),
    })),
  };
}

/** Saves forecast and actual cells, decided per cell exactly as a budget save (budgets/cells.ts). */
export async function save(ctx: Ctx, input: z.infer<typeof schema.saveInput>) {
  const facts = await authorize(ctx, 'edit', { forecastId: input.forecastId });
  const outcome = await ctx.em.transactional(async (em) => {
    const tx = { ...ctx, em };
    await lockBudget(em, facts.budgetId);
    const budget = await em.findOneOrFail(
      Budget,
      { id: facts.budgetId },
      { fields: ['currency', 'currentVersionNumber', 'periodStart', 'periodEnd', 'granularity'] },
    );
    const periods = new Set(periodsBetween(budget.periodStart, budget.periodEnd, budget.granularity as Granularity));
    const limit = maxMinor(budget.currency);
    for (const [i, cell] of input.cells.entries()) {
      if (!periods.has(cell.period)) {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: `cells.${i}.period: ${cell.period} is not one of this budget's periods.`,
        });
      }
      if (cell.to !== null && (cell.to > limit || cell.to < -limit)) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: `cells.${i}.to: This amount is too large for one cell.` });
      }
    }
    const lineIds = await forecastLines(
      tx,
      input.forecastId,
      budget.currentVersionNumber,
      facts.budgetId,
      input.cells.map((c) => c.lineKey),
    );
    const target = {
      budgetId: facts.budgetId,
      versionNumber: budget.currentVersionNumber,
      forecastId: input.forecastId,
      action: 'forecast.cell',
    };
    let applied = 0;
    const conflicts: Conflict[] = [];
    for (const field of ['forecast', 'actual'] as const) {
      const cells = input.cells.filter((c) => c.field === field);
      if (!cells.length) continue;
      const result = await writeCells(tx, STORES[field], lineIds, cells, target);
      applied += result.applied;
      conflicts.push(...result.conflicts);
    }
    if (applied)
      await query(em, 'update forecasts set updated_at = $2 where id = $1', [
        input.forecastId,
        ctx.services.clock.now(),
      ]);
    return { applied, conflicts };
  });
  if (outcome.conflicts.length) throw conflictError(outcome.conflicts, { cells: outcome.applied, lines: 0 });
  return { applied: { cells: outcome.applied, lines: 0 }, conflicts: [] as Conflict[] };
}

/**
 * The forecast's row ids for these budget line keys, creating the rows a first figure needs. Keys
 * that are not lines of the budget's current version map to nothing (their changes conflict).
 */
export async function forecastLines(
  ctx: Ctx,
  forecastId: string,
  versionNumber: number,
  budgetId: string,
  keys: string[],
) {
  const wanted = [...new Set(keys)];
  if (!wanted.length) return new Map<string, string>();
  await query(
    ctx.em,
    `insert into forecast_lines (id, org_id, forecast_id, budget_line_key, position, category, description)
     select gen_random_uuid(), l.org_id, $1, l.key, l.position, l.category, l.description
     from budget_lines l join budget_versions v on v.id = l.version_id and v.budget_id = $2 and v.number = $3
     where l.key = any($4::uuid[])
       and not exists (select 1 from forecast_lines f where f.forecast_id = $1 and f.budget_line_key = l.key)`,
    [forecastId, budgetId, versionNumber, wanted],
  );
  const rows = await query<{ id: string; key: string }>(
    ctx.em,
    `select f.id, f.budget_line_key as key from forecast_lines f
     join budget_lines l on l.key = f.budget_line_key
     join budget_versions v on v.id = l.version_id and v.budget_id = $2 and v.number = $3
     where f.forecast_id = $1 and f.budget_line_key = any($4::uuid[])`,
    [forecastId, budgetId, versionNumber, wanted],
  );
  return new Map(rows.map((r) => [r.key, r.id]));
}

export async function history(ctx: Ctx, input: z.infer<typeof schema.historyInput>) {
  await authorize(ctx, 'read', { forecastId: input.forecastId });
  const where = {
    forecast: input.forecastId,
    ...(input.lineKey ? { lineKey: input.lineKey } : {}),
    ...(input.period ? { period: input.period } : {}),
  };
  const [items, total] = await ctx.em.findAndCount(BudgetLog, where, {
    orderBy: { at: 'desc', id: 'desc' },
    limit: input.pageSize,
    offset: (input.page - 1) * input.pageSize,
    populate: ['actor'],
    fields: ['*', 'actor.name'],
  });
  return {
    items: items.map((r) => ({
      id: r.id,
      at: r.at,
      actorName: r.actor.name,
      action: r.action,
      lineKey: r.lineKey ?? null,
      period: r.period ?? null,
      field: r.field ?? null,
      oldValue: r.oldValue ?? null,
      newValue: r.newValue ?? null,
    })),
    total,
    page: input.page,
    pageSize: input.pageSize,
  };
}
