/**
 * Budgets against the real server and PostgreSQL. What the grid relies on: a save writes what it
 * says in one transaction and a history row per change; changes are decided per cell, so two
 * people's edits to different cells both land while a cell someone else changed meanwhile is not
 * overwritten (CONFLICT with its current value, the rest saved); money stays exact over 10,000
 * cells; a budget belongs to exactly one goal and moves only explicitly; another person's ids
 * answer NOT_FOUND everywhere; the list shows each person every budget they may read (their own,
 * shared on its own or through its goal) and nothing else.
 */
import { failure, startTestApp, type TestApp, type TestClient } from '@goalpost/testing';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestApp;
let owner: TestClient;
let stranger: TestClient;
beforeAll(async () => {
  // The lists' tests sign in a handful of people from one address.
  t = await startTestApp({ RATE_LIMIT_LOGIN_PER_IP: '1000', RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000' });
  owner = await t.activeUser({ email: 'bea@budgets.test', name: 'Bea Budget', password: 'Numbers-in-rows-42' });
  stranger = await t.activeUser({
    email: 'sam@budgets.test',
    name: 'Sam Stranger',
    password: 'Someone-else-entirely-9',
  });
});
afterAll(() => t?.close());

const key = () => crypto.randomUUID();

async function newBudget(over: { currency?: string; fxRate?: string; periods?: number } = {}) {
  const goal = await owner.trpc.goals.create.mutate({ name: 'Goal', targetAmountMinor: 0n, currency: 'EUR' });
  const budget = await owner.trpc.budgets.create.mutate({
    goalId: goal.id,
    name: 'Operating',
    periodStart: '2027-01-01',
    periods: over.periods ?? 12,
    ...over,
  });
  return { goal, budget };
}

/** The conflicts a CONFLICT answer carries. */
async function conflictOf(call: Promise<unknown>) {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCClientError) {
      const data = error.data as { code: string; conflicts: unknown[]; applied: unknown };
      return { code: data.code, conflicts: data.conflicts, applied: data.applied };
    }
    throw error;
  }
  return 'saved without conflict';
}

describe('the grid save', () => {
  it('adds lines and cells, reports totals through the goal, and logs every change', async () => {
    const { budget } = await newBudget();
    const [rent, power] = [key(), key()];
    const saved = await owner.trpc.budgets.save.mutate({
      budgetId: budget.id,
      versionNumber: 1,
      lines: {
        added: [
          { key: rent, position: 0, category: 'Rent', description: 'Office' },
          { key: power, position: 1, category: 'Power' },
        ],
      },
      cells: [
        { lineKey: rent, period: '2027-01-01', from: null, to: 1_500_00n },
        { lineKey: rent, period: '2027-02-01', from: null, to: 1_500_00n },
        { lineKey: power, period: '2027-01-01', from: null, to: -12_34n },
      ],
    });
    const grid = await owner.trpc.budgets.get.query({ budgetId: budget.id });
    const history = await owner.trpc.budgets.history.query({ budgetId: budget.id });
    expect({
      saved,
      periods: [grid.periods.length, grid.periods[0], grid.periods.at(-1)],
      lines: grid.lines.map((l) => [l.category, l.description, l.amounts.slice(0, 3)]),
      history: history.items.map((h) => [h.action, h.field, h.period, h.oldValue, h.newValue]).reverse(),
    }).toEqual({
      saved: { applied: { cells: 3, lines: 2 }, conflicts: [] },
      periods: [12, '2027-01-01', '2027-12-01'],
      lines: [
        ['Rent', 'Office', [1_500_00n, 1_500_00n, null]],
        ['Power', null, [-12_34n, null, null]],
      ],
      history: [
        ['created', null, null, null, expect.objectContaining({ name: 'Operating' })],
        ['line.added', null, null, null, { category: 'Rent', description: 'Office', notes: null }],
        ['line.added', null, null, null, { category: 'Power', description: null, notes: null }],
        ['cell', 'amount', '2027-01-01', null, '150000'],
        ['cell', 'amount', '2027-02-01', null, '150000'],
        ['cell', 'amount', '2027-01-01', null, '-1234'],
      ],
    });
  });

  it('lands two people’s edits to different cells, and refuses to overwrite a cell changed meanwhile', async () => {
    const { budget } = await newBudget();
    const line = key();
    await owner.trpc.budgets.save.mutate({
      budgetId: budget.id,
      versionNumber: 1,
      lines: { added: [{ key: line, position: 0, category: 'Travel' }] },
      cells: [
        { lineKey: line, period: '2027-01-01', from: null, to: 100n },
        { lineKey: line, period: '2027-02-01', from: null, to: 200n },
      ],
    });
    // A second tab of the owner's, opened before either edit below.
    const other = t.client();
    await other.trpc.auth.login.mutate({ email: 'bea@budgets.test', password: 'Numbers-in-rows-42' });
    const mine = owner.trpc.budgets.save.mutate({
      budgetId: budget.id,
      versionNumber: 1,
      cells: [{ lineKey: line, period: '2027-01-01', from: 100n, to: 111n }],
    });
    const theirs = other.trpc.budgets.save.mutate({
      budgetId: budget.id,
      versionNumber: 1,
      cells: [{ lineKey: line, period: '2027-02-01', from: 200n, to: 222n }],
    });
    const both = await Promise.all([mine, theirs]);
    // Now the other tab, still believing January holds 100, writes it and March.
    const late = await conflictOf(
      other.trpc.budgets.save.mutate({
        budgetId: budget.id,
        versionNumber: 1,
        cells: [
          { lineKey: line, period: '2027-01-01', from: 100n, to: 999n },
          { lineKey: line, period: '2027-03-01', from: null, to: 300n },
        ],
      }),
    );
    const grid = await owner.trpc.budgets.get.query({ budgetId: budget.id });
    expect({ both: both.map((s) => s.applied.cells), late, cells: grid.lines[0]?.amounts.slice(0, 3) }).toEqual({
      both: [1, 1],
      late: {
        code: 'CONFLICT',
        conflicts: [{ lineKey: line, period: '2027-01-01', field: 'amount', current: 111n, mine: 999n }],
        applied: { cells: 1, lines: 0 },
      },
      cells: [111n, 222n, 300n],
    });
  });

  it('changes, reorders and removes lines, with a conflict for a line field changed meanwhile', async () => {
    const { budget } = await newBudget();
    const [a, b, c] = [key(), key(), key()];
    await owner.trpc.budgets.save.mutate({
      budgetId: budget.id,
      versionNumber: 1,
      lines: {
        added: [
          { key: a, position: 0, category: 'A' },
          { key: b, position: 1, category: 'B' },
          { key: c, position: 2, category: 'C' },
        ],
      },
      cells: [{ lineKey: c, period: '2027-05-01', from: null, to: 5n }],
    });
    await owner.trpc.budgets.save.mutate({
      budgetId: budget.id,
      versionNumber: 1,
      lines: {
        // Several fields of one line in one save (a pasted row): every one lands.
        changed: [
          { key: a, field: 'category', from: 'A', to: 'Alpha' },
          { key: a, field: 'description', from: null, to: 'First' },
          { key: a, field: 'notes', from: null, to: 'Checked' },
        ],
        order: [b, a],
        removed: [c],
      },
    });
    const stale = await conflictOf(
      owner.trpc.budgets.save.mutate({
        budgetId: budget.id,
        versionNumber: 1,
        lines: { changed: [{ key: a, field: 'description', from: null, to: 'Other' }] },
      }),
    );
    const grid = await owner.trpc.budgets.get.query({ budgetId: budget.id });
    const removedLog = (await owner.trpc.budgets.history.query({ budgetId: budget.id, lineKey: c })).items[0];
    expect({
      lines: grid.lines.map((l) => [l.category, l.description, l.notes]),
      stale,
      removedLog: [removedLog?.action, removedLog?.oldValue],
    }).toEqual({
      lines: [
        ['B', null, null],
        ['Alpha', 'First', 'Checked'],
      ],
      stale: {
        code: 'CONFLICT',
        conflicts: [{ lineKey: a, period: null, field: 'description', current: 'First', mine: 'Other' }],
        applied: { cells: 0, lines: 0 },
      },
      removedLog: ['line.removed', { category: 'C', description: null, amounts: { '2027-05-01': '5' } }],
    });
  });

  it('saves a category emptied again, as a line just added starts without one (an undone paste, a cleared cell)', async () => {
    const { budget } = await newBudget();
    const line = key();
    await owner.trpc.budgets.save.mutate({
      budgetId: budget.id,
      versionNumber: 1,
      lines: { added: [{ key: line, position: 0, category: '' }] },
    });
    const change = (from: string, to: string) =>
      owner.trpc.budgets.save.mutate({
        budgetId: budget.id,
        versionNumber: 1,
        lines: { changed: [{ key: line, field: 'category', from, to }] },
      });
    await change('', 'Rent');
    await change('Rent', '');
    const grid = await owner.trpc.budgets.get.query({ budgetId: budget.id });
    const log = (await owner.trpc.budgets.history.query({ budgetId: budget.id, lineKey: line })).items;
    expect({
      category: grid.lines[0]?.category,
      log: log.map((l) => [l.action, l.oldValue, l.newValue]),
    }).toEqual({
      category: '',
      log: [
        ['line.changed', 'Rent', ''],
        ['line.changed', '', 'Rent'],
        ['line.added', null, expect.anything()],
      ],
    });
  });

  it('refuses cells outside the budget’s periods and amounts too large, naming the cell', async () => {
    const { budget } = await newBudget({ periods: 2 });
    const line = key();
    const outside = await failure(
      owner.trpc.budgets.save.mutate({
        budgetId: budget.id,
        versionNumber: 1,
        lines: { added: [{ key: line, position: 0, category: 'X' }] },
        cells: [{ lineKey: line, period: '2027-03-01', from: null, to: 1n }],
      }),
    );
    const huge = await failure(
      owner.trpc.budgets.save.mutate({
        budgetId: budget.id,
        versionNumber: 1,
        cells: [{ lineKey: line, period: '2027-01-01', from: null, to: 10n ** 17n + 1n }],
      }),
    );
    const grid = await owner.trpc.budgets.get.query({ budgetId: budget.id });
    expect({ outside, huge, lines: grid.lines.length }).toEqual({
      outside: { code: 'BAD_REQUEST', message: "cells.0.period: 2027-03-01 is not one of this budget's periods." },
      huge: { code: 'BAD_REQUEST', message: 'cells.0.to: This amount is too large for one cell.' },
      // The refused save wrote nothing, not even its added line.
      lines: 0,
    });
  });
});

describe('money stays exact', () => {
  it('sums 10,000 cells of mixed signs in JPY, USD and KWD exactly, and converts the goal total once', async () => {
    const goal = await owner.trpc.goals.create.mutate({ name: 'Exact', targetAmountMinor: 0n, currency: 'USD' });
    // A seeded generator: the same cells every run.
    let seed = 42;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed;
    };
    const expected: Record<string, bigint> = {};
    const parts: { currency: string; rate: string; total: bigint }[] = [];
    for (const [currency, rate] of [
      ['JPY', '0.0066'],
      ['USD', '1'],
      ['KWD', '3.2517'],
    ] as const) {
      const budget = await owner.trpc.budgets.create.mutate({
        goalId: goal.id,
        name: currency,
        currency,
        ...(currency === 'USD' ? {} : { fxRate: rate }),
        periodStart: '2027-01-01',
        periods: 12,
      });
      const lines = Array.from({ length: 278 }, (_, i) => ({ key: key(), position: i, category: `L${i}` }));
      const cells = lines.flatMap((l) =>
        budget.periods.map((period) => {
          const magnitude = BigInt(next() % 100_000_000) * 1_003n;
          return { lineKey: l.key, period, from: null, to: next() % 2 === 0 ? magnitude : -magnitude };
        }),
      );
      await owner.trpc.budgets.save.mutate({ budgetId: budget.id, versionNumber: 1, lines: { added: lines }, cells });
      expected[currency] = cells.reduce((s, c) => s + (c.to ?? 0n), 0n);
      parts.push({ currency, rate, total: expected[currency] });
    }
    const page = await owner.trpc.goals.get.query({ goalId: goal.id });
    const cellCount = await t.sql<{ n: string }>(
      'select count(*) as n from budget_amounts a join budget_lines l on l.id = a.line_id join budget_versions v on v.id = l.version_id join budgets b on b.id = v.budget_id where b.goal_id = ?',
      [goal.id],
    );
    // The goal total by hand, in USD cents: JPY has 0 decimals, KWD 3, USD 2. Each converts exactly
    // (rational), and the sum is rounded once, half away from zero.
    const scale = 10n ** 7n;
    const exact =
      parts[0]!.total * 66n * 10n ** 2n * (scale / 10n ** 4n) + // JPY: × 0.0066 × 100
      parts[1]!.total * scale + // USD
      (parts[2]!.total * 32_517n * (scale / 10n ** 4n)) / 10n; // KWD: × 3.2517 ÷ 10
    const rounded = (exact >= 0n ? exact + scale / 2n : exact - scale / 2n) / scale;
    expect({
      cells: cellCount[0]?.n,
      totals: Object.fromEntries(page.budgets.map((b) => [b.currency, b.totalMinor])),
      planned: page.progress.plannedMinor,
    }).toEqual({ cells: '10008', totals: expected, planned: rounded });
  });
});

describe('one goal per budget', () => {
  it('needs a goal, moves only explicitly, and records the move in all three histories', async () => {
    const { goal, budget } = await newBudget();
    const target = await owner.trpc.goals.create.mutate({ name: 'Target', targetAmountMinor: 0n, currency: 'EUR' });
    const noGoal = await failure(
      owner.trpc.budgets.create.mutate({ name: 'Orphan', periodStart: '2027-01-01', periods: 1 } as never),
    );
    const moved = await owner.trpc.budgets.move.mutate({
      budgetId: budget.id,
      goalId: target.id,
      version: budget.version,
    });
    const budgetLog = await owner.trpc.budgets.history.query({ budgetId: budget.id });
    const fromLog = await owner.trpc.goals.history.query({ goalId: goal.id });
    const toLog = await owner.trpc.goals.history.query({ goalId: target.id });
    const dbRule = await t.sql(`update budgets set goal_id = null where id = ?`, [budget.id]).then(
      () => 'allowed',
      (e: Error) => (e.message.includes('goal_id') ? 'refused' : e.message),
    );
    expect({
      noGoal: noGoal.message,
      moved: moved.goal.id === target.id,
      budgetLog: budgetLog.items[0]?.action,
      fromLog: fromLog.items[0]?.action,
      toLog: toLog.items[0]?.action,
      dbRule,
    }).toEqual({
      noGoal: expect.stringContaining('goalId'),
      moved: true,
      budgetLog: 'moved',
      fromLog: 'budget.moved-out',
      toLog: 'budget.moved-in',
      dbRule: 'refused',
    });
  });

  it('needs a rate when the budget counts in another currency than its goal', async () => {
    const goal = await owner.trpc.goals.create.mutate({ name: 'Rates', targetAmountMinor: 0n, currency: 'EUR' });
    const refused = await failure(
      owner.trpc.budgets.create.mutate({
        goalId: goal.id,
        name: 'US',
        currency: 'USD',
        periodStart: '2027-01-01',
        periods: 1,
      }),
    );
    const withRate = await owner.trpc.budgets.create.mutate({
      goalId: goal.id,
      name: 'US',
      currency: 'USD',
      fxRate: '0.92',
      fxRateDate: '2026-11-20',
      periodStart: '2027-01-01',
      periods: 1,
    });
    const updated = await owner.trpc.budgets.update.mutate({
      budgetId: withRate.id,
      version: withRate.version,
      fxRate: '0.95',
      fxRateDate: '2026-11-26',
    });
    const log = (await owner.trpc.budgets.history.query({ budgetId: withRate.id })).items[0];
    expect({
      refused,
      rate: [updated.fxRate, updated.fxRateDate],
      log: [log?.field, log?.oldValue, log?.newValue],
    }).toEqual({
      refused: {
        code: 'BAD_REQUEST',
        message: "fxRate: Give the rate from USD to the goal's EUR, so the goal's totals can include this budget.",
      },
      rate: ['0.95', '2026-11-26'],
      log: ['fxRate', { rate: '0.92', date: '2026-11-20' }, { rate: '0.95', date: '2026-11-26' }],
    });
  });
});

describe('history and restore', () => {
  it('shows a cell’s history and restores an earlier value, itself logged', async () => {
    const { budget } = await newBudget();
    const line = key();
    await owner.trpc.budgets.save.mutate({
      budgetId: budget.id,
      versionNumber: 1,
      lines: { added: [{ key: line, position: 0, category: 'Hire' }] },
      cells: [{ lineKey: line, period: '2027-04-01', from: null, to: 70n }],
    });
    await owner.trpc.budgets.save.mutate({
      budgetId: budget.id,
      versionNumber: 1,
      cells: [{ lineKey: line, period: '2027-04-01', from: 70n, to: 90n }],
    });
    const before = await owner.trpc.budgets.history.query({ budgetId: budget.id, lineKey: line, period: '2027-04-01' });
    const second = before.items[0]!;
    const restored = await owner.trpc.budgets.restore.mutate({ budgetId: budget.id, logId: second.id });
    const after = await owner.trpc.budgets.history.query({ budgetId: budget.id, lineKey: line, period: '2027-04-01' });
    expect({
      before: before.items.map((h) => [h.oldValue, h.newValue]),
      value: restored.lines[0]?.amounts[3],
      after: after.items.map((h) => [h.action, h.oldValue, h.newValue, h.reason]),
    }).toEqual({
      before: [
        ['70', '90'],
        [null, '70'],
      ],
      value: 70n,
      after: [
        ['restore', '90', '70', `Restored the value from before change #${second.id}`],
        ['cell', '70', '90', null],
        ['cell', null, '70', null],
      ],
    });
  });

  it('copies the current version into a new revision with the same line keys, leaving the old one intact', async () => {
    const { budget } = await newBudget();
    const line = key();
    await owner.trpc.budgets.save.mutate({
      budgetId: budget.id,
      versionNumber: 1,
      lines: { added: [{ key: line, position: 0, category: 'Kept' }] },
      cells: [{ lineKey: line, period: '2027-01-01', from: null, to: 5n }],
    });
    const { newRevision } = await import('./service.ts');
    const { systemContext } = await import('../context.ts');
    const me = (await owner.trpc.auth.me.query())!;
    const ctx = {
      ...systemContext(t.app.services, 'f'.repeat(32)),
      actor: { ...me, orgId: t.app.services.orgId, sessionId: '' },
    };
    const revision = await newRevision(ctx, { budgetId: budget.id });
    await owner.trpc.budgets.save.mutate({
      budgetId: budget.id,
      versionNumber: 2,
      cells: [{ lineKey: line, period: '2027-01-01', from: 5n, to: 6n }],
    });
    const stale = await failure(owner.trpc.budgets.save.mutate({ budgetId: budget.id, versionNumber: 1, cells: [] }));
    const v1 = await owner.trpc.budgets.get.query({ budgetId: budget.id, versionNumber: 1 });
    const v2 = await owner.trpc.budgets.get.query({ budgetId: budget.id });
    expect({
      revision,
      v1: [v1.lines[0]?.key, v1.lines[0]?.amounts[0], v1.permissions.edit],
      v2: [v2.lines[0]?.key, v2.lines[0]?.amounts[0], v2.permissions.edit, v2.versions.map((v) => v.number)],
      stale: stale.code,
    }).toEqual({
      revision: { versionNumber: 2 },
      v1: [line, 5n, false],
      v2: [line, 6n, true, [1, 2]],
      stale: 'CONFLICT',
    });
  });
});

describe('access', () => {
  it('answers NOT_FOUND to someone else for every goal, budget and forecast procedure', async () => {
    const { goal, budget } = await newBudget();
    const forecast = await owner.trpc.forecasts.create.mutate({ budgetId: budget.id, name: 'F' });
    const line = key();
    const s = stranger.trpc;
    const calls = {
      'goals.get': () => s.goals.get.query({ goalId: goal.id }),
      'goals.update': () => s.goals.update.mutate({ goalId: goal.id, version: goal.version, name: 'Mine' }),
      'goals.archive': () => s.goals.archive.mutate({ goalId: goal.id, archived: true }),
      'goals.history': () => s.goals.history.query({ goalId: goal.id }),
      'budgets.get': () => s.budgets.get.query({ budgetId: budget.id }),
      'budgets.create': () =>
        s.budgets.create.mutate({ goalId: goal.id, name: 'X', periodStart: '2027-01-01', periods: 1 }),
      'budgets.update': () => s.budgets.update.mutate({ budgetId: budget.id, version: budget.version, name: 'X' }),
      'budgets.move': () => s.budgets.move.mutate({ budgetId: budget.id, goalId: goal.id, version: budget.version }),
      'budgets.save': () =>
        s.budgets.save.mutate({
          budgetId: budget.id,
          versionNumber: 1,
          lines: { added: [{ key: line, position: 0, category: 'X' }] },
        }),
      'budgets.history': () => s.budgets.history.query({ budgetId: budget.id }),
      'budgets.restore': () => s.budgets.restore.mutate({ budgetId: budget.id, logId: 1 }),
      'forecasts.get': () => s.forecasts.get.query({ forecastId: forecast.id }),
      'forecasts.create': () => s.forecasts.create.mutate({ budgetId: budget.id, name: 'X' }),
      'forecasts.rename': () => s.forecasts.rename.mutate({ forecastId: forecast.id, name: 'X' }),
      'forecasts.save': () => s.forecasts.save.mutate({ forecastId: forecast.id, cells: [] }),
      'forecasts.history': () => s.forecasts.history.query({ forecastId: forecast.id }),
    };
    const outcomes: Record<string, string> = {};
    for (const [path, call] of Object.entries(calls)) outcomes[path] = (await failure(call())).code;
    const listed = {
      goals: (await s.goals.list.query({ status: 'all' })).total,
      budgets: (await s.budgets.list.query({})).total,
      forecasts: (await s.forecasts.list.query({})).total,
    };
    expect({ outcomes, listed }).toEqual({
      outcomes: Object.fromEntries(Object.keys(calls).map((p) => [p, 'NOT_FOUND'])),
      listed: { goals: 0, budgets: 0, forecasts: 0 },
    });
  });

  it('lets an admin read and correct anyone’s budget', async () => {
    const { budget } = await newBudget();
    const admin = await t.admin();
    const seen = await admin.trpc.budgets.get.query({ budgetId: budget.id });
    expect(seen.permissions).toEqual({
      read: true,
      comment: false,
      edit: true,
      manage: true,
      share: true,
      submit: false,
      recall: false,
      approve: false,
      'final-approve': false,
      cancel: true,
      reopen: false,
    });
  });
});

describe('budgets.list', () => {
  it('lists what each person may read: own, shared on its own, shared through the goal; an outsider sees none', async () => {
    const people = async (...names: string[]) =>
      Promise.all(
        names.map(async (name) => {
          const client = await t.activeUser({
            email: `${name.toLowerCase()}@budget-list.test`,
            name,
            password: 'Listing-budgets-2027',
          });
          return { client, id: (await client.trpc.auth.me.query())!.id };
        }),
      );
    type Person = Awaited<ReturnType<typeof people>>[number];
    const [olive, bella, gus, otto] = (await people('Olive', 'Bella', 'Gus', 'Otto')) as [
      Person,
      Person,
      Person,
      Person,
    ];
    const o = olive.client.trpc;
    const office = await o.goals.create.mutate({ name: 'Office', targetAmountMinor: 0n, currency: 'EUR' });
    const fleet = await o.goals.create.mutate({ name: 'Fleet', targetAmountMinor: 0n, currency: 'EUR' });
    const make = (goalId: string, name: string, currency?: string) =>
      o.budgets.create.mutate({
        goalId,
        name,
        periodStart: '2027-01-01',
        periods: 3,
        ...(currency ? { currency, fxRate: '1.1' } : {}),
      });
    const fitOut = await make(office.id, 'Fit-out 2027');
    const moving = await make(office.id, 'Moving 100%');
    const vans = await make(fleet.id, 'Vans', 'USD');
    const line = key();
    await o.budgets.save.mutate({
      budgetId: fitOut.id,
      versionNumber: 1,
      lines: { added: [{ key: line, position: 0, category: 'Rent' }] },
      cells: [
        { lineKey: line, period: '2027-01-01', from: null, to: 1200_00n },
        { lineKey: line, period: '2027-02-01', from: null, to: 50n },
      ],
    });
    await o.workflow.transition.mutate({ budgetId: moving.id, action: 'submit', expectedState: 'draft' });
    await o.sharing.grant.mutate({ subject: { type: 'budget', id: fitOut.id }, userId: bella.id, level: 'viewer' });
    await o.sharing.grant.mutate({ subject: { type: 'goal', id: fleet.id }, userId: gus.id, level: 'editor' });

    const names = async (client: TestClient, input: Parameters<TestClient['trpc']['budgets']['list']['query']>[0]) => {
      const page = await client.trpc.budgets.list.query(input);
      return { total: page.total, names: page.items.map((b) => b.name) };
    };
    const byName = { sort: 'name' } as const;
    const bellas = await bella.client.trpc.budgets.list.query({});
    expect({
      owner: await names(olive.client, byName),
      budgetGrantee: await names(bella.client, byName),
      goalGrantee: await names(gus.client, byName),
      outsider: await names(otto.client, {}),
      bellasItem: bellas.items,
      goalGranteesItem: (await gus.client.trpc.budgets.list.query({})).items.map((b) => [
        b.id,
        b.currency,
        b.permissions.edit,
      ]),
    }).toEqual({
      owner: { total: 3, names: ['Fit-out 2027', 'Moving 100%', 'Vans'] },
      budgetGrantee: { total: 1, names: ['Fit-out 2027'] },
      goalGrantee: { total: 1, names: ['Vans'] },
      outsider: { total: 0, names: [] },
      // Bella cannot open the goal, but the list names it, as budgets.get does.
      bellasItem: [
        {
          id: fitOut.id,
          name: 'Fit-out 2027',
          goal: { id: office.id, name: 'Office' },
          ownerId: olive.id,
          ownerName: 'Olive',
          currency: 'EUR',
          granularity: 'monthly',
          periodStart: '2027-01-01',
          periodEnd: '2027-03-01',
          state: 'draft',
          currentVersionNumber: 1,
          totalMinor: 1200_50n,
          updatedAt: expect.any(Date),
          permissions: {
            read: true,
            comment: false,
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
      goalGranteesItem: [[vans.id, 'USD', true]],
    });
    await expect(failure(bella.client.trpc.goals.get.query({ goalId: office.id }))).resolves.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('filters by goal, workflow state and name, sorts, and pages', async () => {
    const olive = await t.activeUser({
      email: 'olive2@budget-list.test',
      name: 'Olive Two',
      password: 'Listing-2027!',
    });
    const o = olive.trpc;
    const office = await o.goals.create.mutate({ name: 'Office', targetAmountMinor: 0n, currency: 'EUR' });
    const fleet = await o.goals.create.mutate({ name: 'Fleet', targetAmountMinor: 0n, currency: 'EUR' });
    const make = (goalId: string, name: string, periodStart: string) =>
      o.budgets.create.mutate({ goalId, name, periodStart, periods: 1 });
    await make(office.id, 'Fit-out', '2027-03-01');
    const moving = await make(office.id, 'Moving 100%', '2027-01-01');
    await make(office.id, 'Moving costs', '2027-02-01');
    await make(fleet.id, 'Vans', '2027-04-01');
    await o.workflow.transition.mutate({ budgetId: moving.id, action: 'submit', expectedState: 'draft' });
    const names = async (input: Parameters<typeof o.budgets.list.query>[0]) => {
      const page = await o.budgets.list.query(input);
      return [page.total, page.page, ...page.items.map((b) => b.name)];
    };
    const admin = await t.admin();
    const bad = await failure(o.budgets.list.query({ goalId: 'office' }));
    expect({
      ofGoal: await names({ goalId: office.id, sort: 'name' }),
      submitted: await names({ state: 'submitted' }),
      search: await names({ search: 'MOVING', sort: 'name', direction: 'desc' }),
      // % is a character to find, not a wildcard.
      percent: await names({ search: '100%' }),
      byStart: await names({ sort: 'periodStart' }),
      page2: await names({ sort: 'name', pageSize: 3, page: 2 }),
      past: await names({ sort: 'name', pageSize: 3, page: 3 }),
      adminOfGoal: (await admin.trpc.budgets.list.query({ goalId: fleet.id })).items.map((b) => b.name),
      bad: bad.code,
    }).toEqual({
      ofGoal: [3, 1, 'Fit-out', 'Moving 100%', 'Moving costs'],
      submitted: [1, 1, 'Moving 100%'],
      search: [2, 1, 'Moving costs', 'Moving 100%'],
      percent: [1, 1, 'Moving 100%'],
      byStart: [4, 1, 'Moving 100%', 'Moving costs', 'Fit-out', 'Vans'],
      page2: [4, 2, 'Vans'],
      past: [0, 3],
      adminOfGoal: ['Vans'],
      bad: 'BAD_REQUEST',
    });
  });
});
