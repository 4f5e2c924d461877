/**
 * Goals against the real server and PostgreSQL: create, list with filters and progress, edit with
 * a stale-version check, archive, and a history row for every change. Progress is checked with
 * budgets in two currencies and a forecast, worked out by hand.
 */
import { failure, startTestApp, type TestApp, type TestClient } from '@goalpost/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestApp;
let owner: TestClient;
beforeAll(async () => {
  t = await startTestApp();
  owner = await t.activeUser({ email: 'owner@goals.test', name: 'Olive Owner', password: 'Plan-ahead-carefully-7' });
});
afterAll(() => t?.close());

const goal = (over: Partial<{ name: string; category: string; targetAmountMinor: bigint; targetDate: string }> = {}) =>
  owner.trpc.goals.create.mutate({
    name: 'New office',
    category: 'Facilities',
    targetAmountMinor: 10_000_00n,
    currency: 'EUR',
    targetDate: '2027-12-31',
    ...over,
  });

describe('goals', () => {
  it('creates a goal and logs it', async () => {
    const created = await goal();
    const history = await owner.trpc.goals.history.query({ goalId: created.id });
    expect({
      created: [
        created.name,
        created.category,
        created.targetAmountMinor,
        created.currency,
        created.status,
        created.permissions,
      ],
      progress: created.progress,
      history: history.items.map((h) => [h.action, h.actorName, h.newValue]),
    }).toEqual({
      created: [
        'New office',
        'Facilities',
        10_000_00n,
        'EUR',
        'active',
        {
          read: true,
          comment: true,
          edit: true,
          manage: true,
          share: true,
          submit: false,
          recall: false,
          approve: false,
          'final-approve': false,
          cancel: false,
          reopen: false,
        },
      ],
      progress: { plannedMinor: 0n, forecastMinor: null, reachedIn: null, forecastEnd: null, budgetCount: 0 },
      history: [['created', 'Olive Owner', { name: 'New office' }]],
    });
  });

  it('edits fields one history row each, and refuses an edit from a stale version', async () => {
    const created = await goal({ name: 'Fleet' });
    const edited = await owner.trpc.goals.update.mutate({
      goalId: created.id,
      version: created.version,
      name: 'Fleet renewal',
      targetAmountMinor: 25_000_00n,
    });
    const stale = await failure(
      owner.trpc.goals.update.mutate({ goalId: created.id, version: created.version, name: 'Lost' }),
    );
    const history = await owner.trpc.goals.history.query({ goalId: created.id });
    expect({
      edited: [edited.name, edited.targetAmountMinor, edited.version],
      stale: stale.code,
      history: history.items.map((h) => [h.action, h.field, h.oldValue, h.newValue]),
    }).toEqual({
      edited: ['Fleet renewal', 25_000_00n, created.version + 1],
      stale: 'CONFLICT',
      history: [
        ['updated', 'targetAmountMinor', '1000000', '2500000'],
        ['updated', 'name', 'Fleet', 'Fleet renewal'],
        ['created', null, null, { name: 'Fleet' }],
      ],
    });
  });

  it('lists by status, category and search, sorted, with archived goals apart', async () => {
    const a = await goal({ name: 'Alpha savings', category: 'Savings' });
    await goal({ name: 'Beta travel', category: 'Travel' });
    await owner.trpc.goals.archive.mutate({ goalId: a.id, archived: true });
    const savings = await owner.trpc.goals.list.query({ status: 'all', category: 'Savings' });
    const active = await owner.trpc.goals.list.query({ search: 'ta tr', sort: 'name' });
    const archived = await owner.trpc.goals.list.query({ status: 'archived' });
    expect({
      savings: savings.items.map((g) => [g.name, g.status]),
      active: active.items.map((g) => g.name),
      archived: archived.items.map((g) => g.name),
      categories: savings.categories,
    }).toEqual({
      savings: [['Alpha savings', 'archived']],
      active: ['Beta travel'],
      archived: ['Alpha savings'],
      categories: ['Facilities', 'Savings', 'Travel'],
    });
  });

  it('shows planned and forecast progress in the goal’s currency, converting once, and when the target is reached', async () => {
    const g = await goal({ name: 'Progress', targetAmountMinor: 1_000_00n });
    const eur = await owner.trpc.budgets.create.mutate({
      goalId: g.id,
      name: 'EUR part',
      periodStart: '2027-01-01',
      periods: 3,
    });
    const usd = await owner.trpc.budgets.create.mutate({
      goalId: g.id,
      name: 'USD part',
      currency: 'USD',
      fxRate: '0.9',
      periodStart: '2027-01-01',
      periods: 3,
    });
    const line = (key: string) => ({ key, category: 'Savings', position: 0 });
    const [k1, k2] = [crypto.randomUUID(), crypto.randomUUID()];
    await owner.trpc.budgets.save.mutate({
      budgetId: eur.id,
      versionNumber: 1,
      lines: { added: [line(k1)] },
      cells: ['2027-01-01', '2027-02-01', '2027-03-01'].map((period) => ({
        lineKey: k1,
        period,
        from: null,
        to: 300_00n,
      })),
    });
    await owner.trpc.budgets.save.mutate({
      budgetId: usd.id,
      versionNumber: 1,
      lines: { added: [line(k2)] },
      cells: [{ lineKey: k2, period: '2027-01-01', from: null, to: 333_33n }],
    });
    const forecast = await owner.trpc.forecasts.create.mutate({ budgetId: eur.id, name: 'Rolling' });
    await owner.trpc.forecasts.save.mutate({
      forecastId: forecast.id,
      cells: [
        { lineKey: k1, period: '2027-01-01', field: 'actual', from: null, to: 400_00n },
        { lineKey: k1, period: '2027-02-01', field: 'forecast', from: null, to: 400_00n },
        { lineKey: k1, period: '2027-03-01', field: 'forecast', from: null, to: 400_00n },
      ],
    });
    const page = await owner.trpc.goals.get.query({ goalId: g.id });
    // Planned: 900.00 EUR + 333.33 USD × 0.9 = 900.00 + 299.997 → 1,199.997 → 1,200.00 (rounded once).
    // Forecast (EUR budget only): 400 actual in January, then 400 + 400: reaches 1,000 in March.
    expect({ progress: page.progress, totals: page.budgets.map((b) => [b.name, b.totalMinor, b.currency]) }).toEqual({
      progress: {
        plannedMinor: 1_200_00n,
        forecastMinor: 1_200_00n,
        reachedIn: '2027-03-01',
        forecastEnd: '2027-03-01',
        budgetCount: 2,
      },
      totals: [
        ['EUR part', 900_00n, 'EUR'],
        ['USD part', 333_33n, 'USD'],
      ],
    });
  });
});
