/**
 * A jobs process killed mid-batch loses nothing. 8,000 messages wait in the outbox; a standalone
 * jobs process (as operators run it) starts relaying and notifying, and is killed with SIGKILL
 * once part of the work is done, with batches in flight: a relay transaction or a consumer
 * transaction open, bus jobs claimed. A second jobs process then finishes: a rolled-back relay
 * batch is published again, and jobs the dead worker held are handed out again once its heartbeat
 * stops (pg-boss's supervision, every second here). Every message ends as exactly one
 * notification; nothing is dead-lettered.
 */
import { emitMany, newTraceId, systemContext } from '@goalpost/api';
import { eventually, startTestApp, type TestApp } from '@goalpost/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { jobsProcesses } from './testing.ts';

const MESSAGES = 8_000;
let t: TestApp;
const workers = jobsProcesses(() => t);

beforeAll(async () => {
  t = await startTestApp({ JOBS_IN_PROCESS: 'false' });
});
afterAll(async () => {
  await workers.stopAll();
  await t?.close();
});

const startWorker = () => workers.start({ JOBS_CONCURRENCY_POOL: '12' });

const count = async (query: string) => Number((await t.sql<{ n: string }>(query))[0]?.n);

it('finishes every notification exactly once after a jobs process is killed mid-batch', async () => {
  const [recipient] = await t.sql<{ id: string }>(
    `insert into users (id, org_id, email, name, status, created_at, updated_at)
     values (gen_random_uuid(), ?, 'reader@killed.test', 'Rita Reader', 'active', now(), now()) returning id`,
    [t.app.services.orgId],
  );
  const ctx = systemContext(t.app.services, newTraceId());
  const budgets = Array.from({ length: 200 }, () => crypto.randomUUID());
  await ctx.em.transactional((em) =>
    emitMany(
      { ...ctx, em },
      Array.from({ length: MESSAGES }, (_, i) => ({
        topic: 'messages' as const,
        type: 'message.sent',
        key: budgets[i % budgets.length]!,
        payload: { budgetId: budgets[i % budgets.length], message: `Message ${i}`, recipients: [recipient!.id] },
      })),
    ),
  );

  const first = startWorker();
  const atKill = await eventually(async () => {
    const n = await count("select count(*) as n from notifications where kind = 'message.sent'");
    return n > 0 ? n : undefined;
  }, 60_000);
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));

  startWorker();
  const done = await eventually(async () => {
    const n = await count("select count(*) as n from notifications where kind = 'message.sent'");
    return n === MESSAGES ? n : undefined;
  }, 150_000).catch(async (error: Error) => {
    const states = await t.sql("select name, state, count(*) from pgboss.job where name like 'events.%' group by 1, 2");
    throw new Error(`${error.message}; bus jobs: ${JSON.stringify(states)}`);
  });
  expect({
    killedMidway: atKill < MESSAGES,
    done,
    distinctEvents: await count("select count(distinct event_id) as n from notifications where kind = 'message.sent'"),
    unpublished: await count('select count(*) as n from outbox_events where published_at is null'),
    deadLetters: await count('select count(*) as n from dead_letters'),
  }).toEqual({
    killedMidway: true,
    done: MESSAGES,
    distinctEvents: MESSAGES,
    unpublished: 0,
    deadLetters: 0,
  });
}, 240_000);
