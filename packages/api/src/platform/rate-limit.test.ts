/**
 * Both rate limiters against the same expectations. The Redis one talks to a real Redis
 * (REDIS_URL, as CI provides); on a machine without one that case is skipped and says so. The
 * outage case kills and restarts a private redis-server (Debian's binary) of its own.
 */
import { startRedisServer } from '@goalpost/testing/redis-server';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from './clock.ts';
import { MemoryRateLimiter, type RateLimiter, RedisRateLimiter } from './rate-limit.ts';

async function burst(limiter: RateLimiter, key: string, n: number) {
  const results = [];
  for (let i = 0; i < n; i++) results.push((await limiter.hit(key, 3, 60)).allowed);
  return results;
}

describe('in-process limiter', () => {
  it('allows the limit per window per key, then opens a new window', async () => {
    const clock = new ManualClock();
    const limiter = new MemoryRateLimiter(clock);
    const first = await burst(limiter, 'a', 5);
    const other = await burst(limiter, 'b', 1);
    const blocked = await limiter.hit('a', 3, 60);
    await clock.advance(61_000);
    expect({ first, other, retryAfter: blocked.retryAfterSeconds, next: await burst(limiter, 'a', 1) }).toEqual({
      first: [true, true, true, false, false],
      other: [true],
      retryAfter: 60,
      next: [true],
    });
  });
});

describe.skipIf(!process.env.REDIS_URL)('Redis limiter (shared across server instances)', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
  const prefix = `goalpost:test:${process.pid}:${Date.now()}:`;
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('counts hits from two instances together and expires the window', async () => {
    await redis.connect();
    const one = new RedisRateLimiter(redis, prefix);
    const two = new RedisRateLimiter(redis, prefix);
    const results = [
      (await one.hit('ip', 3, 60)).allowed,
      (await two.hit('ip', 3, 60)).allowed,
      (await one.hit('ip', 3, 60)).allowed,
      (await two.hit('ip', 3, 60)).allowed,
    ];
    expect({ results, ttl: await redis.ttl(`${prefix}3:60:ip`) }).toEqual({
      results: [true, true, true, false],
      ttl: expect.toSatisfy((n: number) => n > 0 && n <= 60),
    });
  });
});

describe('Redis limiter while Redis is away', () => {
  it('keeps limiting in memory (the insurance limiter) and goes back to Redis when it returns', async () => {
    const server = await startRedisServer();
    const redis = new Redis(server.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: () => 100,
    });
    redis.on('error', () => {});
    try {
      await until(() => redis.status === 'ready');
      const limiter = new RedisRateLimiter(redis, 'goalpost:outage-test:');
      const before = [(await limiter.hit('ip', 3, 60)).allowed];
      await server.kill();
      await until(() => redis.status !== 'ready');
      const whileAway = await burst(limiter, 'ip', 4);
      await server.start();
      await until(() => redis.status === 'ready');
      // Redis kept its count from before the outage (append-only): two more allowed, then refused.
      const after = await burst(limiter, 'ip', 3);
      expect({ before, whileAway, after }).toEqual({
        before: [true],
        whileAway: [true, true, true, false],
        after: [true, true, false],
      });
    } finally {
      redis.disconnect();
      await server.stop();
    }
  });
});

async function until(check: () => boolean) {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!check()) throw new Error('Timed out waiting for the Redis connection');
}
