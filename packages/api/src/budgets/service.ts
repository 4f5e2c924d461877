/**
 * Budgets: one goal's plan, in one currency, over a run of months or quarters, as lines (category,
 * description, notes) with one exact amount per line and period. A budget edits its current
 * version; a new revision copies the last one with the same line keys, so history and comments
 * follow each line from revision to revision.
 */
import { Budget, BudgetLog, BudgetVersion, Goal, query, type WorkflowState } from '@goalpost/db';
import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import type { ActorContext } from '../context.ts';
import { logGoal } from '../goals/history.ts';
import { currencyDigits, maxMinor } from '../money/index.ts';
import { conditions, type SortColumns } from '../platform/listing.ts';
import { containing } from '../platform/search.ts';
import { authorize, type BudgetFacts, loadFacts, permissionsOn, readable } from '../policy/access.ts';
import { assertOpen, isOpen } from '../policy/versions.ts';
import { availableActions } from '../workflow/transitions.ts';
import {
  BUDGET_CELLS,
  type CellChange,
  type Conflict,
  conflictError,
  type LogRow,
  lockBudget,
  writeCells,
  writeLog,
} from './cells.ts';
import { type Granularity, isPeriodStart, lastPeriod, periodsBetween } from './periods.ts';
import type * as schema from './schema.ts';

type Ctx = ActorContext;

const MAX_LINES = 20_000;

/** A stored rate as people write it: NUMERIC(20,10) keeps trailing zeros ("0.9500000000" → "0.95"). */
export function rateText(rate: string | null | undefined): string | null {
  if (rate == null) return null;
  return rate.includes('.') ? rate.replace(/0+$/, '').replace(/\.$/, '') : rate;
}

export async function currentVersion(ctx: Pick<Ctx, 'em'>, budgetId: string) {
  const [row] = await query<{ id: string; number: number; state: WorkflowState; locked_at: Date | null }>(
    ctx.em,
    `select v.id, v.number, v.state, v.locked_at from budget_versions v
     join budgets b on b.id = v.budget_id and b.current_version_number = v.number where b.id = $1`,
    [budgetId],
  );
  if (!row) throw new Error(`Budget ${budgetId} has no current version.`);
  return row;
}

export async function create(ctx: Ctx, input: z.infer<typeof schema.createInput>) {
  await authorize(ctx, 'edit', { goalId: input.goalId });
  const goal = await ctx.em.findOneOrFail(Goal, { id: input.goalId });
  const currency = input.currency ?? goal.currency;
  if (currency !== goal.currency && !input.fxRate) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `fxRate: Give the rate from ${currency} to the goal's ${goal.currency}, so the goal's totals can include this budget.`,
    });
  }
  const periodEnd = lastPeriod(input.periodStart, input.periods, input.granularity);
  if (input.granularity === 'quarterly' && !isPeriodStart(input.periodStart, 'quarterly')) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: 'periodStart: A quarterly budget starts in January, April, July or October.',
    });
  }
  const budget = await ctx.em.transactional((em) =>
    insertBudget({ ...ctx, em }, goal, { ...input, currency, periodEnd }),
  );
  return get(ctx, { budgetId: budget.id });
}

/**
 * Writes a new budget with its first (draft) version and their history, in the caller's
 * transaction. The caller has checked access and the periods (budgets.create, an import's commit).
 */
export async function insertBudget(
  ctx: Ctx,
  goal: Goal,
  input: {
    name: string;
    currency: string;
    fxRate?: string | undefined;
    fxRateDate?: string | undefined;
    periodStart: string;
    periodEnd: string;
    granularity: Granularity;
  },
  log: { importId?: string | null; reason?: string } = {},
) {
  const { em } = ctx;
  const now = ctx.services.clock.now();
  const { currency, periodEnd } = input;
  const budget = em.create(Budget, {
    org: ctx.services.orgId,
    goal: goal.id,
    owner: ctx.actor.id,
    name: input.name,
    currency,
    fxRate: currency === goal.currency ? null : (input.fxRate ?? null),
    fxRateDate: currency === goal.currency ? null : (input.fxRateDate ?? now.toISOString().slice(0, 10)),
    periodStart: input.periodStart,
    periodEnd,
    granularity: input.granularity,
  });
  em.create(BudgetVersion, { org: ctx.services.orgId, budget, number: 1, state: 'draft', createdBy: ctx.actor.id });
  await em.flush();
  await writeLog(ctx, { budgetId: budget.id, versionNumber: 1, action: 'created', ...log }, [
    { newValue: { name: budget.name, currency, periodStart: input.periodStart, periodEnd, fxRate: budget.fxRate } },
  ]);
  logGoal(ctx, goal.id, { action: 'budget.added', newValue: { budgetId: budget.id, name: budget.name } });
  return budget;
}

const SORT_COLUMNS: SortColumns<z.infer<typeof schema.listInput>['sort']> = {
  name: { column: 'lower(b.name)', direction: 'asc' },
  updated: { column: 'b.updated_at', direction: 'desc' },
  periodStart: { column: 'b.period_start', direction: 'asc' },
};

/**
 * Every budget the actor may read, a page at a time: their own, those of their goals, those shared
 * with them directly or through the goal, and whatever else the policy lets them read (the SQL
 * filter agrees with it: policy/readable.test.ts). Each with its goal and current total.
 */
export async function list(ctx: Ctx, input: z.infer<typeof schema.listInput>) {
  const params: unknown[] = [ctx.services.orgId];
  const filter = conditions(params, ['b.org_id = $1', readable(ctx, 'budget', 'b', params)]);
  if (input.goalId) filter.add('b.goal_id = ?', input.goalId);
  if (input.state) filter.add('b.state = ?', input.state);
  if (input.search) filter.add('b.name ilike ?', containing(input.search));
  const { ids, total } = await filter.ids(
    ctx.em,
    { table: 'budgets', alias: 'b' },
    { columns: SORT_COLUMNS, sort: input.sort, direction: input.direction },
    input,
  );
  const details = ids.length
    ? await query<{
        id: string;
        name: string;
        goal_id: string;
        goal_name: string;
        owner_id: string;
        owner_name: string;
        currency: string;
        granularity: Granularity;
        period_start: string;
        period_end: string;
        state: WorkflowState;
        current_version_number: number;
        total: string;
        updated_at: Date;
      }>(
        ctx.em,
        `select b.id, b.name, g.id as goal_id, g.name as goal_name, o.id as owner_id, o.name as owner_name, b.currency,
                b.granularity, b.period_start::text as period_start, b.period_end::text as period_end, b.state,
                b.current_version_number, b.updated_at,
                (select coalesce(sum(a.amount_minor), 0)::text from budget_lines l join budget_amounts a on a.line_id = l.id
                 where l.version_id = v.id) as total
         from budgets b join goals g on g.id = b.goal_id join users o on o.id = b.owner_id
         join budget_versions v on v.budget_id = b.id and v.number = b.current_version_number
         where b.id = any($1::uuid[])`,
        [ids],
      )
    : [];
  const facts = await loadFacts(ctx, 'budget', ids, [ctx.actor.id]);
  const byId = new Map(details.map((d) => [d.id, d]));
  return {
    items: ids.flatMap((id) => {
      const d = byId.get(id);
      const f = facts.get(id)?.get(ctx.actor.id)?.facts as BudgetFacts | undefined;
      if (!d || !f) return [];
      return [
        {
          id,
          name: d.name,
          goal: { id: d.goal_id, name: d.goal_name },
          ownerId: d.owner_id,
          ownerName: d.owner_name,
          currency: d.currency,
          granularity: d.granularity,
          periodStart: d.period_start,
          periodEnd: d.period_end,
          state: d.state,
          currentVersionNumber: d.current_version_number,
          totalMinor: BigInt(d.total),
          updatedAt: new Date(d.updated_at),
          permissions: budgetPermissions(ctx, f),
        },
      ];
    }),
    total,
    page: input.page,
    pageSize: input.pageSize,
  };
}

/** The actor's permissions on a budget's current version: editing only while it takes edits. */
function budgetPermissions(ctx: Ctx, facts: BudgetFacts) {
  const permissions = permissionsOn(ctx, facts);
  return { ...permissions, edit: permissions.edit && isOpen(facts) };
}

/** The budget with everything its page shows: settings, periods, and the grid of a version. */
export async function get(ctx: Ctx, input: z.infer<typeof schema.getInput>) {
  const facts = await authorize(ctx, 'read', { budgetId: input.budgetId });
  const budget = await ctx.em.findOneOrFail(
    Budget,
    { id: input.budgetId },
    { populate: ['goal', 'owner'], fields: ['*', 'goal.name', 'goal.currency', 'goal.status', 'owner.name'] },
  );
  const versions = await ctx.em.find(
    BudgetVersion,
    { budget: budget.id },
    {
      orderBy: { number: 'asc' },
      fields: ['number', 'state', 'lockedAt', 'createdAt', 'submittedBy.name', 'approvedBy.name'],
      populate: ['submittedBy', 'approvedBy'],
    },
  );
  const number = input.versionNumber ?? budget.currentVersionNumber;
  const version = versions.find((v) => v.number === number);
  if (!version) throw new TRPCError({ code: 'NOT_FOUND', message: `This budget has no revision ${number}.` });
  const periods = periodsBetween(budget.periodStart, budget.periodEnd, budget.granularity as Granularity);
  const lines = await gridLines(ctx, version.id, periods);
  const current = number === budget.currentVersionNumber;
  const latest = versions.find((v) => v.number === budget.currentVersionNumber);
  const permissions = permissionsOn(ctx, facts);
  const editable = current && isOpen({ state: version.state, locked: Boolean(version.lockedAt) });
  return {
    id: budget.id,
    name: budget.name,
    goal: { id: budget.goal.id, name: budget.goal.name, currency: budget.goal.currency },
    ownerId: budget.owner.id,
    ownerName: budget.owner.name,
    currency: budget.currency,
    digits: currencyDigits(budget.currency),
    fxRate: rateText(budget.fxRate),
    fxRateDate: budget.fxRateDate ?? null,
    granularity: budget.granularity as Granularity,
    periodStart: budget.periodStart,
    periodEnd: budget.periodEnd,
    state: budget.state,
    version: budget.version,
    currentVersionNumber: budget.currentVersionNumber,
    versionNumber: number,
    versions: versions.map((v) => ({
      number: v.number,
      state: v.state,
      lockedAt: v.lockedAt ?? null,
      createdAt: v.createdAt,
    })),
    permissions: { ...permissions, edit: permissions.edit && editable },
    /**
     * Where the current version stands in the approval workflow, and the moves the caller may make
     * now (the buttons; workflow.transition takes `action` with `expectedState: state`). Empty
     * actions when an older version is shown.
     */
    workflow: {
      state: budget.state,
      since: budget.stateChangedAt ?? budget.createdAt,
      submittedBy: person(latest?.submittedBy),
      approvedBy: person(latest?.approvedBy),
      actions: current ? availableActions(ctx.actor, facts.state, facts) : [],
    },
    updatedAt: budget.updatedAt,
    periods,
    lines,
  };
}

function person(user: { id: string; name: string } | null | undefined) {
  return user ? { id: user.id, name: user.name } : null;
}

/** The lines of one version in order, each with its amounts aligned to `periods` (null: empty). */
export async function gridLines(ctx: Ctx, versionId: string, periods: string[]) {
  const rows = await query<{
    key: string;
    position: number;
    category: string;
    description: string | null;
    notes: string | null;
    amounts: Record<string, string> | null;
  }>(
    ctx.em,
    `select l.key, l.position, l.category, l.description, l.notes,
            (select jsonb_object_agg(a.period::text, a.amount_minor::text) from budget_amounts a where a.line_id = l.id) as amounts
     from budget_lines l where l.version_id = $1 order by l.position, l.key`,
    [versionId],
  );
  return rows.map((r) => ({
    key: r.key,
    category: r.category,
    description: r.description,
    notes: r.notes,
    amounts: periods.map((p) => {
      const value = r.amounts?.[p];
      return value === undefined ? null : BigInt(value);
    }),
  }));
}

/** Renames the budget or changes its rate to the goal's currency (logged with its date). */
export async function update(ctx: Ctx, input: z.infer<typeof schema.updateInput>) {
  await authorize(ctx, 'manage', { budgetId: input.budgetId });
  await ctx.em.transactional(async (em) => {
    await lockBudget(em, input.budgetId);
    // Settings change what approvers read (its name, its total through the rate): read-only with the grid.
    assertOpen(await currentVersion({ em }, input.budgetId), 'settings');
    const budget = await em.findOneOrFail(Budget, { id: input.budgetId }, { populate: ['goal'] });
    if (budget.version !== input.version) throw staleBudget();
    const log: LogRow[] = [];
    if (input.name !== undefined && input.name !== budget.name) {
      log.push({ field: 'name', oldValue: budget.name, newValue: input.name });
      budget.name = input.name;
    }
    if (input.fxRate !== undefined) {
      if (budget.currency === budget.goal.currency) {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: `fxRate: This budget is in the goal's currency (${budget.currency}); it needs no rate.`,
        });
      }
      const date = input.fxRateDate ?? ctx.services.clock.now().toISOString().slice(0, 10);
      if (Number(input.fxRate) !== Number(budget.fxRate) || date !== budget.fxRateDate) {
        log.push({
          field: 'fxRate',
          oldValue: { rate: rateText(budget.fxRate), date: budget.fxRateDate },
          newValue: { rate: input.fxRate, date },
        });
        budget.fxRate = input.fxRate;
        budget.fxRateDate = date;
      }
    }
    if (!log.length) return;
    budget.updatedAt = ctx.services.clock.now();
    await em.flush();
    await writeLog(
      { ...ctx, em },
      { budgetId: budget.id, versionNumber: budget.currentVersionNumber, action: 'updated' },
      log,
    );
  });
  return get(ctx, { budgetId: input.budgetId });
}

function staleBudget() {
  return new TRPCError({
    code: 'CONFLICT',
    message: 'Someone changed this budget’s settings since you opened it. Reload to see their change, then try again.',
  });
}

/** Moves the budget to another goal: an explicit action, in the history of the budget and both goals. */
export async function move(ctx: Ctx, input: z.infer<typeof schema.moveInput>) {
  const facts = await authorize(ctx, 'manage', { budgetId: input.budgetId });
  if (facts.goalId === input.goalId) return get(ctx, { budgetId: input.budgetId });
  await authorize(ctx, 'edit', { goalId: input.goalId });
  await ctx.em.transactional(async (em) => {
    await lockBudget(em, input.budgetId);
    // A move changes the totals of two goals: not while the budget is read-only for approval or locked.
    assertOpen(await currentVersion({ em }, input.budgetId), 'goal');
    const budget = await em.findOneOrFail(Budget, { id: input.budgetId }, { populate: ['goal'] });
    if (budget.version !== input.version) throw staleBudget();
    const target = await em.findOneOrFail(Goal, { id: input.goalId });
    if (budget.currency !== target.currency && !budget.fxRate) {
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: `goalId: "${target.name}" counts in ${target.currency}; give this ${budget.currency} budget a rate first.`,
      });
    }
    const from = { id: budget.goal.id, name: budget.goal.name };
    budget.goal = target;
    if (budget.currency === target.currency) {
      budget.fxRate = null;
      budget.fxRateDate = null;
    }
    budget.updatedAt = ctx.services.clock.now();
    await em.flush();
    const tx = { ...ctx, em };
    await writeLog(tx, { budgetId: budget.id, versionNumber: budget.currentVersionNumber, action: 'moved' }, [
      { field: 'goal', oldValue: from, newValue: { id: target.id, name: target.name } },
    ]);
    logGoal(tx, from.id, {
      action: 'budget.moved-out',
      oldValue: { budgetId: budget.id, name: budget.name },
      newValue: { goalId: target.id, name: target.name },
    });
    logGoal(tx, target.id, {
      action: 'budget.moved-in',
      oldValue: { goalId: from.id, name: from.name },
      newValue: { budgetId: budget.id, name: budget.name },
    });
  });
  return get(ctx, { budgetId: input.budgetId });
}

/**
 * One save from the grid: cells, added and removed lines, line text and order, in one transaction.
 * Changes whose starting value no longer matches are not applied; they come back as CONFLICT with
 * the current values, after the rest has been saved.
 */
export async function save(ctx: Ctx, input: z.infer<typeof schema.saveInput>) {
  await authorize(ctx, 'edit', { budgetId: input.budgetId });
  const outcome = await ctx.em.transactional(async (em) => {
    const tx = { ...ctx, em };
    await lockBudget(em, input.budgetId);
    const budget = await em.findOneOrFail(
      Budget,
      { id: input.budgetId },
      { fields: ['currency', 'currentVersionNumber', 'periodStart', 'periodEnd', 'granularity'] },
    );
    const version = await currentVersion(tx, input.budgetId);
    if (input.versionNumber !== version.number) {
      throw new TRPCError({
        code: 'CONFLICT',
        message: `This budget moved on to revision ${version.number} while you edited revision ${input.versionNumber}. Reload to work on the new revision.`,
      });
    }
    assertOpen(version, 'cells');
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
    const target = { budgetId: input.budgetId, versionNumber: version.number };
    const lines = await saveLines(tx, version.id, input.lines, target);
    const lineIds = await lineIdsOf(
      tx,
      version.id,
      input.cells.map((c) => c.lineKey),
    );
    const cells = await writeCells(tx, BUDGET_CELLS, lineIds, input.cells, { ...target, action: 'cell' });
    if (cells.applied || lines.applied) {
      await query(em, 'update budgets set updated_at = $2 where id = $1', [input.budgetId, ctx.services.clock.now()]);
    }
    return {
      applied: { cells: cells.applied, lines: lines.applied },
      conflicts: [...lines.conflicts, ...cells.conflicts],
    };
  });
  if (outcome.conflicts.length) throw conflictError(outcome.conflicts, outcome.applied);
  return { applied: outcome.applied, conflicts: [] as Conflict[] };
}

export async function lineIdsOf(ctx: Pick<Ctx, 'em'>, versionId: string, keys: string[]): Promise<Map<string, string>> {
  if (!keys.length) return new Map();
  const rows = await query<{ id: string; key: string }>(
    ctx.em,
    'select id, key from budget_lines where version_id = $1 and key = any($2::uuid[])',
    [versionId, [...new Set(keys)]],
  );
  return new Map(rows.map((r) => [r.key, r.id]));
}

/**
 * Adds, removes, renames and reorders lines of one version, each change logged. Imports call it
 * too (their `target` carries the import's id, and their own line limit: IMPORT_MAX_ROWS).
 */
export async function saveLines(
  ctx: Ctx,
  versionId: string,
  changes: z.infer<typeof schema.saveInput>['lines'],
  target: { budgetId: string; versionNumber: number; reason?: string; importId?: string | null },
  options: {
    maxLines?: number;
    /** Added lines' amounts by key, recorded in their `line.added` history rows (see writeCells' logCells). */
    addedAmounts?: Map<string, Record<string, string>>;
  } = {},
): Promise<{ applied: number; conflicts: Conflict[] }> {
  const maxLines = options.maxLines ?? MAX_LINES;
  const { em } = ctx;
  const conflicts: Conflict[] = [];
  let applied = 0;
  const log: LogRow[] = [];
  if (changes.added.length) {
    const [{ n } = { n: 0 }] = await query<{ n: number }>(
      em,
      'select count(*)::int as n from budget_lines where version_id = $1',
      [versionId],
    );
    if (n + changes.added.length > maxLines) {
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: `A budget holds at most ${maxLines.toLocaleString('en-US')} lines.`,
      });
    }
    // A key already there means this addition was saved before (a retried save): nothing to do.
    const added = await query<{ key: string; category: string; description: string | null; notes: string | null }>(
      em,
      `insert into budget_lines (id, org_id, version_id, key, position, category, description, notes)
       select gen_random_uuid(), $1, $2, x.key, x.position, x.category, x.description, x.notes
       from jsonb_to_recordset($3::jsonb) as x(key uuid, position int, category text, description text, notes text)
       on conflict (version_id, key) do nothing
       returning key, category, description, notes`,
      [
        ctx.services.orgId,
        versionId,
        JSON.stringify(
          changes.added.map((l) => ({ ...l, description: l.description ?? null, notes: l.notes ?? null })),
        ),
      ],
    );
    applied += added.length;
    for (const line of added) {
      log.push({
        action: 'line.added',
        lineKey: line.key,
        newValue: {
          category: line.category,
          description: line.description,
          notes: line.notes,
          ...(options.addedAmounts ? { amounts: options.addedAmounts.get(line.key) ?? {} } : {}),
        },
      });
    }
  }
  if (changes.removed.length) {
    const removed = await query<{
      key: string;
      category: string;
      description: string | null;
      amounts: Record<string, string> | null;
    }>(
      em,
      `delete from budget_lines l where l.version_id = $1 and l.key = any($2::uuid[])
       returning l.key, l.category, l.description,
         (select jsonb_object_agg(a.period::text, a.amount_minor::text) from budget_amounts a where a.line_id = l.id) as amounts`,
      [versionId, changes.removed],
    );
    applied += removed.length;
    for (const line of removed) {
      log.push({
        action: 'line.removed',
        lineKey: line.key,
        oldValue: { category: line.category, description: line.description, amounts: line.amounts ?? {} },
      });
    }
  }
  if (changes.changed.length) {
    const keys = [...new Set(changes.changed.map((c) => c.key))];
    const rows = await query<{ key: string; category: string; description: string | null; notes: string | null }>(
      em,
      'select key, category, description, notes from budget_lines where version_id = $1 and key = any($2::uuid[]) for update',
      [versionId, keys],
    );
    const byKey = new Map(rows.map((r) => [r.key, r]));
    const updates: { key: string; field: string; value: string | null }[] = [];
    for (const change of changes.changed) {
      const line = byKey.get(change.key);
      // category is NOT NULL: an emptied category is '' (as on a line just added, which starts
      // without one: undoing a paste into it, or clearing it, must save too); the others become null.
      const to = change.to === '' || change.to === null ? (change.field === 'category' ? '' : null) : change.to;
      if (!line) {
        conflicts.push({
          lineKey: change.key,
          period: null,
          field: change.field,
          current: null,
          mine: to,
          lineRemoved: true,
        });
        continue;
      }
      const now = line[change.field] ?? null;
      if (now === to) continue;
      const from = change.from === '' || change.from === null ? (change.field === 'category' ? '' : null) : change.from;
      if (now !== from) {
        conflicts.push({ lineKey: change.key, period: null, field: change.field, current: now, mine: to });
        continue;
      }
      updates.push({ key: change.key, field: change.field, value: to });
      line[change.field] = to as string;
      log.push({ action: 'line.changed', lineKey: change.key, field: change.field, oldValue: now, newValue: to });
    }
    if (updates.length) {
      // One record per line: an UPDATE … FROM that matches a row twice applies only one match.
      const byLine = new Map<string, Record<string, string | null>>();
      for (const u of updates) byLine.set(u.key, { ...byLine.get(u.key), [u.field]: u.value });
      await query(
        em,
        `update budget_lines l set
           category = case when jsonb_exists(x.fields, 'category') then x.fields->>'category' else l.category end,
           description = case when jsonb_exists(x.fields, 'description') then x.fields->>'description' else l.description end,
           notes = case when jsonb_exists(x.fields, 'notes') then x.fields->>'notes' else l.notes end
         from jsonb_to_recordset($2::jsonb) as x(key uuid, fields jsonb)
         where l.version_id = $1 and l.key = x.key`,
        [versionId, JSON.stringify([...byLine].map(([key, fields]) => ({ key, fields })))],
      );
      applied += updates.length;
    }
  }
  if (changes.order?.length) {
    // Listed lines take the given order; lines the saver did not know (added by someone else
    // meanwhile) keep their relative order after them.
    const moved = await query<{ key: string }>(
      em,
      `with listed as (select key, ord from unnest($2::uuid[]) with ordinality as t(key, ord)),
            ranked as (
              select l.id, l.key, l.position as old_position,
                     row_number() over (order by (listed.ord is null), listed.ord, l.position, l.key) - 1 as new_position
              from budget_lines l left join listed on listed.key = l.key where l.version_id = $1)
       update budget_lines l set position = r.new_position from ranked r
       where l.id = r.id and l.position <> r.new_position returning l.key`,
      [versionId, changes.order],
    );
    if (moved.length) {
      applied += 1;
      log.push({ action: 'lines.reordered', newValue: { order: changes.order.slice(0, 200), moved: moved.length } });
    }
  }
  await writeLog(ctx, { ...target, action: 'line' }, log);
  return { applied, conflicts };
}

/** A budget's history, or one line's, or one cell's, newest first. */
export async function history(ctx: Ctx, input: z.infer<typeof schema.historyInput>) {
  await authorize(ctx, 'read', { budgetId: input.budgetId });
  const where = {
    budget: input.budgetId,
    forecast: null,
    ...(input.lineKey ? { lineKey: input.lineKey } : {}),
    ...(input.period ? { period: input.period } : {}),
  };
  const [items, total] = await ctx.em.findAndCount(BudgetLog, where, {
    orderBy: { at: 'desc', id: 'desc' },
    limit: input.pageSize,
    offset: (input.page - 1) * input.pageSize,
    populate: ['actor', 'onBehalfOf'],
    fields: ['*', 'actor.name', 'onBehalfOf.name'],
  });
  return {
    items: items.map((r) => ({
      id: r.id,
      at: r.at,
      actorName: r.actor.name,
      /** Set when a delegate acted: "by actorName on behalf of onBehalfOfName". */
      onBehalfOfName: r.onBehalfOf?.name ?? null,
      action: r.action,
      versionNumber: r.versionNumber ?? null,
      lineKey: r.lineKey ?? null,
      period: r.period ?? null,
      field: r.field ?? null,
      oldValue: r.oldValue ?? null,
      newValue: r.newValue ?? null,
      reason: r.reason ?? null,
      traceId: r.traceId ?? null,
    })),
    total,
    page: input.page,
    pageSize: input.pageSize,
  };
}

/**
 * Puts a cell (or a line's text) back to the value it had before a logged change. The owner's
 * explicit act: it overwrites whatever the cell holds now, and is itself a logged change.
 */
export async function restore(ctx: Ctx, input: z.infer<typeof schema.restoreInput>) {
  await authorize(ctx, 'manage', { budgetId: input.budgetId });
  const entry = await ctx.em.findOne(BudgetLog, { id: input.logId, budget: input.budgetId, forecast: null });
  if (!entry?.lineKey || !['cell', 'line.changed'].includes(entry.action)) {
    throw new TRPCError({
      code: 'NOT_FOUND',
      message: 'That change cannot be restored: pick a cell or line change from the history.',
    });
  }
  await ctx.em.transactional(async (em) => {
    const tx = { ...ctx, em };
    await lockBudget(em, input.budgetId);
    const version = await currentVersion(tx, input.budgetId);
    assertOpen(version, 'cells');
    const target = { budgetId: input.budgetId, versionNumber: version.number };
    const reason = `Restored the value from before change #${entry.id}`;
    const lineIds = await lineIdsOf(tx, version.id, [entry.lineKey as string]);
    const lineId = lineIds.get(entry.lineKey as string);
    if (!lineId)
      throw new TRPCError({ code: 'CONFLICT', message: 'That line no longer exists in the current revision.' });
    if (entry.action === 'cell') {
      const [row] = await query<{ value: string | null }>(
        em,
        'select amount_minor::text as value from budget_amounts where line_id = $1 and period = $2',
        [lineId, entry.period],
      );
      const change: CellChange = {
        lineKey: entry.lineKey as string,
        period: entry.period as string,
        from: row?.value == null ? null : BigInt(row.value),
        to: entry.oldValue == null ? null : BigInt(entry.oldValue as string),
      };
      await writeCells(tx, BUDGET_CELLS, lineIds, [change], { ...target, action: 'restore', reason });
    } else {
      const field = entry.field as 'category' | 'description' | 'notes';
      const [line] = await query<Record<string, string | null>>(
        em,
        `select ${field} as value from budget_lines where id = $1`,
        [lineId],
      );
      const changed = [
        {
          key: entry.lineKey as string,
          field,
          from: line?.value ?? null,
          to: (entry.oldValue as string | null) ?? null,
        },
      ];
      await saveLines(tx, version.id, { added: [], removed: [], changed }, { ...target, reason });
    }
  });
  return get(ctx, { budgetId: input.budgetId });
}

/**
 * A new revision: a copy of the current version (lines with the same keys, and their amounts) in
 * draft, which becomes the version edits go to. The copied version stays as it was, viewable.
 */
export async function newRevision(ctx: Ctx, { budgetId }: { budgetId: string }) {
  return ctx.em.transactional(async (em) => {
    const tx = { ...ctx, em };
    await lockBudget(em, budgetId);
    const from = await currentVersion(tx, budgetId);
    const number = from.number + 1;
    const [created] = await query<{ id: string }>(
      em,
      `insert into budget_versions (id, org_id, budget_id, number, state, copied_from_id, created_by_id, created_at)
       values (gen_random_uuid(), $1, $2, $3, 'draft', $4, $5, $6) returning id`,
      [ctx.services.orgId, budgetId, number, from.id, ctx.actor.id, ctx.services.clock.now()],
    );
    await query(
      em,
      `with copied as (
         insert into budget_lines (id, org_id, version_id, key, position, category, description, notes)
         select gen_random_uuid(), org_id, $2, key, position, category, description, notes from budget_lines where version_id = $1
         returning id, key)
       insert into budget_amounts (line_id, period, org_id, amount_minor)
       select c.id, a.period, a.org_id, a.amount_minor
       from copied c join budget_lines old on old.version_id = $1 and old.key = c.key
       join budget_amounts a on a.line_id = old.id`,
      [from.id, created!.id],
    );
    await query(em, `update budgets set current_version_number = $2, state = 'draft', updated_at = $3 where id = $1`, [
      budgetId,
      number,
      ctx.services.clock.now(),
    ]);
    await writeLog(tx, { budgetId, versionNumber: number, action: 'revision.created' }, [
      { oldValue: { versionNumber: from.number }, newValue: { versionNumber: number } },
    ]);
    return { versionNumber: number };
  });
}
