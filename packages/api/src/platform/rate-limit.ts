import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Clock } from './clock.ts';
import { redisErrors } from './redis.ts';

/**
 * Fixed-window counters for abuse limits (sign-in and reset requests, per IP and per account).
 * Redis when REDIS_URL is set, so every server instance shares the counts; in-process otherwise.
 */
export interface RateLimiter {
  /** Counts one hit against `key`; says whether it is within `limit` hits per `windowSeconds`. */
  hit(key: string, limit: number, windowSeconds: number): Promise<{ allowed: boolean; retryAfterSeconds: number }>;
}

export class MemoryRateLimiter implements RateLimiter {
  readonly #windows = new Map<string, { count: number; resetAt: number }>();
  readonly #clock: Clock;
  constructor(clock: Clock) {
    this.#clock = clock;
  }
  async hit(key: string, limit: number, windowSeconds: number) {
    const now = this.#clock.now().getTime();
    let window = this.#windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowSeconds * 1000 };
      this.#windows.set(key, window);
      if (this.#windows.size > 100_000) this.#sweep(now);
    }
    window.count += 1;
    return { allowed: window.count <= limit, retryAfterSeconds: Math.ceil((window.resetAt - now) / 1000) };
  }
  #sweep(now: number) {
    for (const [key, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(key);
  }
}

/**
 * Redis counters shared by every server (rate-limiter-flexible's atomic script). While Redis is
 * away each server counts in its own memory instead (the library's insurance limiter), so limits
 * still hold, per server, and Redis takes over again by itself when it returns.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #limiters = new Map<string, RateLimiterRedis>();
  constructor(redis: Redis, prefix = 'goalpost:rl:') {
    this.#redis = redis;
    this.#prefix = prefix;
  }
  async hit(key: string, limit: number, windowSeconds: number) {
    // One limiter per (limit, window): the keys carry both, so changing a limit starts afresh.
    const name = `${limit}:${windowSeconds}`;
    let limiter = this.#limiters.get(name);
    if (!limiter) {
      const options = { keyPrefix: `${this.#prefix}${name}`, points: limit, duration: windowSeconds };
      limiter = new RateLimiterRedis({
        ...options,
        storeClient: this.#redis,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory(options),
      });
      this.#limiters.set(name, limiter);
    }
    if (this.#redis.status !== 'ready') redisErrors.inc({ op: 'rate-limit' });
    try {
      await limiter.consume(key);
      return { allowed: true, retryAfterSeconds: 0 };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
    }
  }
}
