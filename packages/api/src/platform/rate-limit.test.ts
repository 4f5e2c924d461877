/**
 * Both rate limiters against the same expectations. The Redis one talks to a real Redis
 * (REDIS_URL, as CI provides); on a machine without one that case is skipped and says so.
 */
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
