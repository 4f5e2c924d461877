/**
 * Bulkheads: with JOBS_IN_PROCESS the job workers run in the server process, but on a database
 * pool of their own (JOBS_DB_POOL_MAX), so a burst of jobs cannot take the connections requests
 * need. Here every connection of the workers' pool is taken by a query that waits on an advisory
 * lock this test holds, and one more query queues for that pool; meanwhile requests (the session
 * check, a goals list, a write) are answered. Only then is the lock released and the jobs' queries
 * finish. With one shared pool the requests would wait behind the stuck queries and the test
 * would time out. No timings: it waits for conditions.
 */
import { startTestApp, type TestApp } from '@goalpost/testing';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';

const JOBS_POOL = 2;
let t: TestApp;
beforeAll(async () => {
  // Both pools as small as the burst: were they one pool, the requests would find no connection.
  t = await startTestApp({ JOBS_DB_POOL_MAX: String(JOBS_POOL), DB_POOL_MAX: String(JOBS_POOL) });
});
afterAll(() => t?.close());

it('serves requests while every connection of the jobs pool is held', async () => {
  const workers = t.app.workerServices;
  if (!workers) throw new Error('the test app runs its job workers in process');
  const admin = await t.admin();
  const holder = new pg.Client({ connectionString: t.app.services.orm.config.get('clientUrl') as string });
  await holder.connect();
  const LOCK = 4_242_001;
  await holder.query('select pg_advisory_lock($1)', [LOCK]);

  // A burst on the jobs pool: more statements than it has connections, each stuck on the lock.
  const burst = Array.from({ length: JOBS_POOL + 1 }, () =>
    workers.orm.em.fork().execute('select pg_advisory_xact_lock(?) as locked', [LOCK]),
  );
  const waiting = () =>
    t.sql<{ n: string }>(
      "select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like '%pg_advisory_xact_lock%'",
    );
  await t.eventually(async () => Number((await waiting())[0]!.n) === JOBS_POOL || undefined);

  const served = {
    me: (await admin.trpc.auth.me.query())?.email,
    created: (await admin.trpc.goals.create.mutate({ name: 'Bulkhead', targetAmountMinor: 1n, currency: 'EUR' })).name,
    listed: (await admin.trpc.goals.list.query({})).items.map((g) => g.name),
  };
  const stillStuck = Number((await waiting())[0]!.n);

  await holder.query('select pg_advisory_unlock($1)', [LOCK]);
  await holder.end();
  const finished = (await Promise.all(burst)).length;

  expect({ served, stillStuck, finished }).toEqual({
    served: { me: 'admin@goalpost.test', created: 'Bulkhead', listed: ['Bulkhead'] },
    stillStuck: JOBS_POOL,
    finished: JOBS_POOL + 1,
  });
});
