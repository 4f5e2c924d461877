/**
 * The outbox relay against real PostgreSQL, with a bus that records what it is given (the bus's
 * own behaviour is tested in bus-kafka.test.ts and the notifications tests). No jobs run in this
 * app, so the relays below are the only ones.
 *
 * Three promises: an event whose transaction commits after a later-numbered one is still
 * published (rows are claimed by state, never past a high-water mark); two relays at once never
 * publish one key's events at the same time, so nothing is published twice or out of order (the
 * first relay holds its keys while it publishes, the second takes only the others); and a relay
 * that fails mid-batch leaves its events unpublished for the next run, with the failure counted.
 */
import { query } from '@goalpost/db';
import { startTestApp, type TestApp } from '@goalpost/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Actor, type Services, systemContext } from '../context.ts';
import { newTraceId } from '../platform/trace.ts';
import type { BusEvent, EventBus } from './bus.ts';
import { drainOutbox, relayBatch } from './relay.ts';
import { emit } from './service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ JOBS_IN_PROCESS: 'false' });
});
afterAll(() => t?.close());

/** A bus that records each publish call; `gate` holds a publish until the test opens it. */
function recordingBus(options: { gate?: Promise<void>; fail?: Error } = {}) {
  const calls: BusEvent[][] = [];
  let entered: () => void = () => {};
  const publishing = new Promise<void>((r) => {
    entered = r;
  });
  const bus: EventBus = {
    kind: 'pg-boss',
    async publish(_em, events) {
      entered();
      await options.gate;
      if (options.fail) throw options.fail;
      calls.push(events);
    },
    async subscribe() {},
    async close() {},
  };
  return { bus, calls, publishing };
}

const withBus = (bus: EventBus): Services => ({ ...t.app.services, bus });
const label = (e: BusEvent) => `${e.key}:${e.payload.n}`;

async function write(key: string, n: number) {
  const ctx = systemContext(t.app.services, newTraceId());
  await ctx.em.transactional(async (em) => {
    emit({ ...ctx, em }, { topic: 'workflow', type: 'test.event', key, payload: { n } });
  });
}

it('publishes an event whose transaction committed after a later-numbered one', async () => {
  const late = t.app.services.orm.em.fork();
  await late.begin();
  const ctx = { ...systemContext(t.app.services, newTraceId()), em: late, actor: null as Actor | null };
  emit(ctx, { topic: 'workflow', type: 'test.event', key: 'late-key', payload: { n: 'late' } });
  await late.flush(); // written (and numbered) first, committed last
  await write('late-key', 1);
  await write('other-key', 1);
  const first = recordingBus();
  const published = await drainOutbox(withBus(first.bus));
  await late.commit();
  const second = recordingBus();
  const publishedLater = await drainOutbox(withBus(second.bus));
  const [seqs] = await query<{ late: string; next: string }>(
    t.app.services.orm.em.fork(),
    `select (select seq from outbox_events where payload->>'n' = 'late')::text as late,
            (select seq from outbox_events where key = 'late-key' and payload->>'n' = '1')::text as next`,
  );
  expect({
    numberedFirst: Number(seqs?.late) < Number(seqs?.next),
    published,
    first: first.calls.flat().map(label).sort(),
    publishedLater,
    second: second.calls.flat().map(label),
    unpublished: await t.sql('select id from outbox_events where published_at is null'),
  }).toEqual({
    numberedFirst: true,
    published: 2,
    first: ['late-key:1', 'other-key:1'],
    publishedLater: 1,
    second: ['late-key:late'],
    unpublished: [],
  });
});

it('lets two relays run at once without publishing a key twice or out of order', async () => {
  for (let n = 1; n <= 3; n++) for (const key of ['k1', 'k2', 'k3', 'k4']) await write(key, n);
  let open: () => void = () => {};
  const gate = new Promise<void>((r) => {
    open = r;
  });
  const held = recordingBus({ gate });
  // Relay A claims the two oldest events (of k1 and k2) and stays in its publish, holding their
  // keys' buckets.
  const relayA = relayBatch(withBus(held.bus), { events: 2 });
  await held.publishing;
  const free = recordingBus();
  // Relay B runs to completion meanwhile: it may only take the keys A does not hold.
  const byB = await drainOutbox(withBus(free.bus));
  open();
  const byA = await relayA;
  // What A left (the later events of k1 and k2) goes on the next run, after A's.
  const rest = recordingBus();
  const byNext = await drainOutbox(withBus(rest.bus));
  const all = [...held.calls.flat(), ...free.calls.flat(), ...rest.calls.flat()];
  const perKey = (key: string) => all.filter((e) => e.key === key).map((e) => e.seq);
  expect({
    byA,
    byB,
    byNext,
    keysOfA: [...new Set(held.calls.flat().map((e) => e.key))].sort(),
    keysOfB: [...new Set(free.calls.flat().map((e) => e.key))].sort(),
    once: all.length === new Set(all.map((e) => e.id)).size,
    inOrder: ['k1', 'k2', 'k3', 'k4'].every((k) => perKey(k).join() === [...perKey(k)].sort((a, b) => a - b).join()),
    unpublished: await t.sql('select id from outbox_events where published_at is null'),
  }).toEqual({
    byA: 2,
    byB: 6,
    byNext: 4,
    keysOfA: ['k1', 'k2'],
    keysOfB: ['k3', 'k4'],
    once: true,
    inOrder: true,
    unpublished: [],
  });
});

it('leaves the events of a batch whose publish failed unpublished, counts the failure, and sends them on the next run', async () => {
  await write('fragile', 1);
  await write('fragile', 2);
  const broken = recordingBus({ fail: new Error('broker unavailable') });
  const failure = await drainOutbox(withBus(broken.bus)).then(
    () => 'published',
    (e: Error) => e.message,
  );
  const afterFailure = await t.sql<{ n: string; attempts: number; published: boolean }>(
    `select payload->>'n' as n, attempts, published_at is not null as published from outbox_events
     where key = 'fragile' order by seq`,
  );
  const healthy = recordingBus();
  const published = await drainOutbox(withBus(healthy.bus));
  expect({ failure, afterFailure, published, sent: healthy.calls.flat().map(label) }).toEqual({
    failure: 'broker unavailable',
    afterFailure: [
      { n: '1', attempts: 1, published: false },
      { n: '2', attempts: 1, published: false },
    ],
    published: 2,
    sent: ['fragile:1', 'fragile:2'],
  });
});
