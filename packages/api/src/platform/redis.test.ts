/**
 * The Redis connection on its own, against a private redis-server: it may start before Redis does
 * and picks it up when it appears; an outage is logged once when it starts and once when it ends
 * (not once per failed command), shows in goalpost_redis_up, and the recovery hooks run before the
 * connection is trusted again. No timings: it waits for conditions.
 */
import { Writable } from 'node:stream';
import { type RedisServer, startRedisServer } from '@goalpost/testing/redis-server';
import { afterAll, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { metricsRegistry } from './metrics.ts';
import { connectRedis } from './redis.ts';

let server: RedisServer | undefined;
afterAll(() => server?.stop());

async function until(check: () => boolean | Promise<boolean>, what: string) {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out waiting: ${what}`);
}

it('starts without Redis, logs an outage once each way, and runs the recovery hooks before trusting it again', async () => {
  server = await startRedisServer();
  await server.kill();
  const lines: { level: number; msg: string }[] = [];
  const log = createLogger(
    'info',
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    }),
  );
  const redis = await connectRedis(server.url, log);
  const upAtStart = redis.isUp();
  let recoveries = 0;
  redis.onRecovered(async () => {
    recoveries += 1;
  });

  await server.start();
  await until(() => redis.isUp(), 'Redis picked up after starting late');
  await redis.client.set('goalpost-redis-test', '1');

  await server.kill();
  await until(() => !redis.isUp(), 'the outage noticed');
  const failures = [];
  for (let i = 0; i < 5; i++) {
    failures.push(
      await redis.client.get('goalpost-redis-test').then(
        () => 'answered',
        (error) => {
          redis.failed('test', error);
          return 'failed';
        },
      ),
    );
  }
  await server.start();
  await until(() => redis.isUp(), 'Redis back');
  const gauge = (await metricsRegistry.getSingleMetric('goalpost_redis_up')?.get())?.values[0]?.value;
  await redis.close();

  const messages = lines.map((l) => l.msg);
  expect({
    upAtStart,
    failures,
    recoveries,
    gauge,
    unavailable: messages.filter((m) => m.startsWith('Redis unavailable')).length,
    availableAgain: messages.filter((m) => m === 'Redis available again').length,
  }).toEqual({
    upAtStart: false,
    failures: ['failed', 'failed', 'failed', 'failed', 'failed'],
    recoveries: 2,
    gauge: 1,
    // Once for the start without Redis, once for the kill; each ended once.
    unavailable: 2,
    availableAgain: 2,
  });
});
