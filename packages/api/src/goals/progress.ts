/**
 * How far a goal's money gets it: planned (the sum of its budgets' current versions) and forecast
 * (per period, each budget's latest forecast: the actual where one is recorded, else the forecast),
 * both in the goal's currency. Budgets in other currencies convert at their owner-entered rate, and
 * every total is rounded once, at the end (money/convert.ts). The forecast reaches the target in
 * the first period whose running total is at least the target.
 */
import { query } from '@goalpost/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sumConverted } from '../money/index.ts';

export interface GoalProgress {
  plannedMinor: bigint;
  /** Projected: actuals to date, then forecast (the pages say Projected). Null when no budget of the goal has a forecast yet. */
  forecastMinor: bigint | null;
  /** The period in which the forecast's running total reaches the target, or null. */
  reachedIn: string | null;
  /** The last period the forecast covers (for "not reached by …" when there is no target date). */
  forecastEnd: string | null;
  budgetCount: number;
}

interface GoalRef {
  id: string;
  currency: string;
  targetAmountMinor: bigint;
}

interface Part {
  minor: bigint;
  currency: string;
  rate?: string;
}

export async function progressOf(em: EntityManager, goals: GoalRef[]): Promise<Map<string, GoalProgress>> {
  const ids = goals.map((g) => g.id);
  const result = new Map<string, GoalProgress>();
  if (!ids.length) return result;
  const planned = await query<{ goal_id: string; currency: string; fx_rate: string | null; total: string }>(
    em,
    `select b.goal_id, b.currency, b.fx_rate::text as fx_rate, coalesce(sum(a.amount_minor), 0)::text as total
     from budgets b
     join budget_versions v on v.budget_id = b.id and v.number = b.current_version_number
     left join budget_lines l on l.version_id = v.id
     left join budget_amounts a on a.line_id = l.id
     where b.goal_id = any($1::uuid[])
     group by b.id`,
    [ids],
  );
  const forecast = await query<{
    goal_id: string;
    currency: string;
    fx_rate: string | null;
    period: string;
    total: string;
  }>(
    em,
    `select b.goal_id, b.currency, b.fx_rate::text as fx_rate, fa.period::text as period,
            sum(coalesce(fa.actual_minor, fa.forecast_minor))::text as total
     from budgets b
     join lateral (select f.id from forecasts f where f.budget_id = b.id order by f.updated_at desc, f.id limit 1) f on true
     join forecast_lines fl on fl.forecast_id = f.id
     join forecast_amounts fa on fa.line_id = fl.id
     where b.goal_id = any($1::uuid[]) and coalesce(fa.actual_minor, fa.forecast_minor) is not null
     group by b.id, fa.period`,
    [ids],
  );
  const part = (row: { currency: string; fx_rate: string | null; total: string }): Part => ({
    minor: BigInt(row.total),
    currency: row.currency,
    ...(row.fx_rate ? { rate: row.fx_rate } : {}),
  });
  for (const goal of goals) {
    const budgets = planned.filter((r) => r.goal_id === goal.id);
    const periods = forecast.filter((r) => r.goal_id === goal.id).sort((a, b) => a.period.localeCompare(b.period));
    const plannedMinor = sumConverted(budgets.map(part), goal.currency);
    let reachedIn: string | null = null;
    let forecastMinor: bigint | null = null;
    const distinct = [...new Set(periods.map((r) => r.period))];
    for (const [i, period] of distinct.entries()) {
      // The running total up to this period, converted and rounded once.
      const running = sumConverted(periods.filter((r) => r.period <= period).map(part), goal.currency);
      if (reachedIn === null && goal.targetAmountMinor > 0n && running >= goal.targetAmountMinor) reachedIn = period;
      if (i === distinct.length - 1) forecastMinor = running;
    }
    result.set(goal.id, {
      plannedMinor,
      forecastMinor,
      reachedIn,
      forecastEnd: distinct.at(-1) ?? null,
      budgetCount: budgets.length,
    });
  }
  return result;
}
