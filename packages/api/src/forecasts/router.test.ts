/**
 * Forecasts against the real server and PostgreSQL: rows are the budget's lines; forecast and
 * actual cells save per cell with the same conflict rule as budgets; history records them against
 * the forecast; a new budget line appears in the forecast at once. forecasts.list shows each person
 * every forecast they may read (their own, shared on its own or through its budget or goal), with
 * filters and pages, and nothing else.
 */
import { failure, startTestApp, type TestApp, type TestClient } from '@goalpost/testing';
import type { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, expect, it } from 'vitest';

let t: TestApp;
let owner: TestClient;
beforeAll(async () => {
  // The list's test signs in a handful of people from one address.
  t = await startTestApp({ RATE_LIMIT_LOGIN_PER_IP: '1000', RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000' });
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

it('lists every forecast each person may read, however it was shared, with filters and pages', async () => {
  const people = await Promise.all(
    ['Olive', 'Bella', 'Bert', 'Gus', 'Otto'].map(async (name) => {
      const client = await t.activeUser({
        email: `${name.toLowerCase()}@forecast-list.test`,
        name,
        password: 'Listing-forecasts-2027',
      });
      return { client, id: (await client.trpc.auth.me.query())!.id };
    }),
  );
  type Person = (typeof people)[number];
  const [olive, bella, bert, gus, otto] = people as [Person, Person, Person, Person, Person];
  const o = olive.client.trpc;
  const office = await o.goals.create.mutate({ name: 'Office', targetAmountMinor: 0n, currency: 'EUR' });
  const fleet = await o.goals.create.mutate({ name: 'Fleet', targetAmountMinor: 0n, currency: 'EUR' });
  const budget = (goalId: string, name: string) =>
    o.budgets.create.mutate({ goalId, name, periodStart: '2027-01-01', periods: 6, granularity: 'monthly' });
  const [fitOut, moving, vans] = [
    await budget(office.id, 'Fit-out'),
    await budget(office.id, 'Moving'),
    await budget(fleet.id, 'Vans'),
  ];
  const forecast = (budgetId: string, name: string) => o.forecasts.create.mutate({ budgetId, name });
  const q1 = await forecast(fitOut.id, 'Q1 outlook');
  await forecast(fitOut.id, 'Q2 outlook');
  await forecast(moving.id, 'Movers');
  await forecast(vans.id, 'Van costs');
  await o.sharing.grant.mutate({ subject: { type: 'forecast', id: q1.id }, userId: bella.id, level: 'commenter' });
  await o.sharing.grant.mutate({ subject: { type: 'budget', id: moving.id }, userId: bert.id, level: 'viewer' });
  await o.sharing.grant.mutate({ subject: { type: 'goal', id: fleet.id }, userId: gus.id, level: 'viewer' });

  type Input = Parameters<typeof o.forecasts.list.query>[0];
  const names = async (client: TestClient, input: Input = {}) => {
    const page = await client.trpc.forecasts.list.query({ sort: 'name', ...input });
    return [page.total, ...page.items.map((f) => f.name)];
  };
  const own = (input: Input) => names(olive.client, input);
  const bellas = await bella.client.trpc.forecasts.list.query({});
  expect({
    owner: await names(olive.client),
    forecastGrantee: await names(bella.client),
    budgetGrantee: await names(bert.client),
    goalGrantee: await names(gus.client),
    outsider: await names(otto.client),
    bellasItem: bellas.items,
    ofGoal: await own({ goalId: office.id }),
    ofBudget: await own({ budgetId: fitOut.id, direction: 'desc' }),
    search: await own({ search: 'OUTLOOK' }),
    page2: await own({ pageSize: 3, page: 2 }),
    bad: (await failure(o.forecasts.list.query({ pageSize: 500 }))).code,
  }).toEqual({
    owner: [4, 'Movers', 'Q1 outlook', 'Q2 outlook', 'Van costs'],
    forecastGrantee: [1, 'Q1 outlook'],
    budgetGrantee: [1, 'Movers'],
    goalGrantee: [1, 'Van costs'],
    outsider: [0],
    // Bella reads neither the budget nor the goal, but the list names both, as forecasts.get does.
    bellasItem: [
      {
        id: q1.id,
        name: 'Q1 outlook',
        budget: { id: fitOut.id, name: 'Fit-out', state: 'draft' },
        goal: { id: office.id, name: 'Office' },
        ownerId: olive.id,
        ownerName: 'Olive',
        currency: 'EUR',
        granularity: 'monthly',
        periodStart: '2027-01-01',
        periodEnd: '2027-06-01',
        updatedAt: expect.any(Date),
        permissions: {
          read: true,
          comment: true,
          edit: false,
          manage: false,
          share: false,
          submit: false,
          recall: false,
          approve: false,
          'final-approve': false,
          cancel: false,
          reopen: false,
        },
      },
    ],
    ofGoal: [3, 'Movers', 'Q1 outlook', 'Q2 outlook'],
    ofBudget: [2, 'Q2 outlook', 'Q1 outlook'],
    search: [2, 'Q1 outlook', 'Q2 outlook'],
    page2: [4, 'Van costs'],
    bad: 'BAD_REQUEST',
  });
});
