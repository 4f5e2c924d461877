/**
 * Keeps `npm run bench:load` from rotting: its seed and its mix, in a tiny configuration, against
 * the real app. The seed must hold the proportions and the schema's keys (they are rebuilt and the
 * foreign keys validated after the bulk load), a seeded person must be able to sign in with the
 * shared password hash, and both load modes must send every procedure of the mix with no error.
 * No timing is asserted: speed belongs in the bench itself.
 */
import { startTestApp, type TestApp } from '@goalpost/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LoadGenerator, mixCycle, PROCEDURES, WEIGHTS, WRITES } from './load-mix.ts';
import { BUDGET_EVERY, LINES_PER_BUDGET, LOAD_PASSWORD, PERIODS, type SeedResult, seedAtScale } from './load-seed.ts';

const USERS = 200;
let app: TestApp;
let seeded: SeedResult;

beforeAll(async () => {
  app = await startTestApp();
  seeded = await seedAtScale(app.app.services.orm.config.get('clientUrl') as string, {
    users: USERS,
    virtualUsers: 50,
  });
}, 60_000);
afterAll(() => app?.close());

it('seeds in proportion, with the keys back and sessions and passwords that work', async () => {
  const owners = Math.floor(USERS / BUDGET_EVERY);
  expect({
    users: seeded.rows.users,
    budgets: seeded.rows.budgets,
    cells: seeded.rows.budget_amounts,
    virtualUsers: seeded.virtualUsers.length,
    keys: await app.sql<{ n: number }>(
      `select count(*)::int as n from pg_constraint where conrelid = 'budget_amounts'::regclass and contype in ('p', 'f') and convalidated`,
    ),
  }).toEqual({
    users: USERS + 1, // and the first admin
    budgets: owners,
    cells: owners * LINES_PER_BUDGET * PERIODS,
    virtualUsers: owners,
    keys: [{ n: 3 }], // its primary key and both foreign keys, validated
  });
  const tab = app.client();
  await tab.trpc.auth.login.mutate({ email: `user${seeded.virtualUsers[0]!.i}@load.example`, password: LOAD_PASSWORD });
  expect((await tab.trpc.auth.me.query())?.email).toBe(`user${seeded.virtualUsers[0]!.i}@load.example`);
});

it('keeps 10 reads to 1 write in every cycle of the mix', () => {
  const cycle = mixCycle();
  const writes = cycle.filter((p) => WRITES.includes(p)).length;
  expect({ length: cycle.length, ratio: (cycle.length - writes) / writes, procedures: new Set(cycle).size }).toEqual({
    length: Object.values(WEIGHTS).reduce((a, b) => a + b, 0),
    ratio: 10,
    procedures: PROCEDURES.length,
  });
});

it('drives every procedure of the mix without an error, at a fixed rate and open', async () => {
  const generator = new LoadGenerator(app.url, seeded.virtualUsers, 4);
  try {
    const fixed = await generator.rate(40, 1);
    const open = await generator.openThrottle(4, 2);
    for (const result of [fixed, open]) {
      expect({ errors: result.errors, samples: result.errorSamples }).toEqual({ errors: 0, samples: [] });
      expect(result.ops).toBeGreaterThanOrEqual(PROCEDURES.length);
    }
    expect(PROCEDURES.filter((p) => fixed.byProcedure[p].count === 0)).toEqual([]);
  } finally {
    await generator.close();
  }
  // The writes landed: the edited cells moved and the replies are in the threads.
  const [changed] = await app.sql<{ n: number }>(
    `select count(*)::int as n from budget_amounts a join budget_lines l on l.id = a.line_id
      where l.position = 0 and a.amount_minor <> (1000 + extract(month from a.period)::int - 1) * 100`,
  );
  const [comments] = await app.sql<{ n: number }>('select count(*)::int as n from comments');
  expect(changed!.n).toBeGreaterThan(0);
  expect(comments!.n).toBeGreaterThan(seeded.rows.comments!);
});
