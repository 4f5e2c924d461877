/**
 * Forecasts against the real server and PostgreSQL: rows are the budget's lines; forecast and
 * actual cells save per cell with the same conflict rule as budgets; history records them against
 * the forecast; a new budget line appears in the forecast at once.
 */
import { failure, startTestApp, type TestApp, type TestClient } from '@goalpost/testing';
import type { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, expect, it } from 'vitest';

let t: TestApp;
let owner: TestClient;
beforeAll(async () => {
  t = await startTestApp();
  owner = await t.activeUser({ email: 'fay@forecasts.test', name: 'Fay Forecast', password: 'Looking-ahead-1984' });
});
afterAll(() => t?.close());

it('shows budget, forecast and actual per line and period, saved per cell, with history', async () => {
  const goal = await owner.trpc.goals.create.mutate({ name: 'G', targetAmountMinor: 0n, currency: 'GBP' });
  const budget = await owner.trpc.budgets.create.mutate({
    goalId: goal.id,
    name: 'B',
    periodStart: '2027-04-01',
    periods: 4,
    granularity: 'quarterly',
  });
  const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
  await owner.trpc.budgets.save.mutate({
    budgetId: budget.id,
    versionNumber: 1,
    lines: { added: [{ key: a, position: 0, category: 'Sales' }] },
    cells: [{ lineKey: a, period: '2027-04-01', from: null, to: 100_00n }],
  });
  const forecast = await owner.trpc.forecasts.create.mutate({ budgetId: budget.id, name: 'Q-rolling' });
  await owner.trpc.forecasts.save.mutate({
    forecastId: forecast.id,
    cells: [
      { lineKey: a, period: '2027-04-01', field: 'forecast', from: null, to: 90_00n },
      { lineKey: a, period: '2027-04-01', field: 'actual', from: null, to: 95_50n },
    ],
  });
  // A line added to the budget afterwards shows in the forecast at once.
  await owner.trpc.budgets.save.mutate({
    budgetId: budget.id,
    versionNumber: 1,
    lines: { added: [{ key: b, position: 1, category: 'Costs' }] },
  });
  const stale = await owner.trpc.forecasts.save
    .mutate({
      forecastId: forecast.id,
      cells: [{ lineKey: a, period: '2027-04-01', field: 'actual', from: null, to: 1n }],
    })
    .catch((e: TRPCClientError<never>) => (e.data as unknown as { conflicts: unknown }).conflicts);
  const cleared = await owner.trpc.forecasts.save.mutate({
    forecastId: forecast.id,
    cells: [{ lineKey: a, period: '2027-04-01', field: 'forecast', from: 90_00n, to: null }],
  });
  const grid = await owner.trpc.forecasts.get.query({ forecastId: forecast.id });
  const history = await owner.trpc.forecasts.history.query({ forecastId: forecast.id });
  const unknown = await failure(
    owner.trpc.forecasts.save.mutate({
      forecastId: forecast.id,
      cells: [{ lineKey: a, period: '2027-05-01', field: 'actual', from: null, to: 1n }],
    }),
  );
  expect({
    periods: grid.periods,
    lines: grid.lines.map((l) => [l.category, l.budget[0], l.forecast[0], l.actual[0]]),
    stale,
    cleared: cleared.applied.cells,
    history: history.items.map((h) => [h.action, h.field, h.oldValue, h.newValue]).reverse(),
    unknown: unknown.code,
  }).toEqual({
    periods: ['2027-04-01', '2027-07-01', '2027-10-01', '2028-01-01'],
    lines: [
      ['Sales', 100_00n, null, 95_50n],
      ['Costs', null, null, null],
    ],
    stale: [{ lineKey: a, period: '2027-04-01', field: 'actual', current: 95_50n, mine: 1n }],
    cleared: 1,
    history: [
      ['forecast.created', null, null, { name: 'Q-rolling' }],
      ['forecast.cell', 'forecast', null, '9000'],
      ['forecast.cell', 'actual', null, '9550'],
      ['forecast.cell', 'forecast', '9000', null],
    ],
    unknown: 'BAD_REQUEST',
  });
});
