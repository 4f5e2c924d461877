import type { Redis } from 'ioredis';
import type { Clock } from './clock.ts';

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

export class RedisRateLimiter implements RateLimiter {
  readonly #redis: Redis;
  readonly #prefix: string;
  constructor(redis: Redis, prefix = 'goalpost:rl:') {
    this.#redis = redis;
    this.#prefix = prefix;
  }
  async hit(key: string, limit: number, windowSeconds: number) {
    const k = this.#prefix + key;
    const result = await this.#redis.multi().incr(k).expire(k, windowSeconds, 'NX').ttl(k).exec();
    if (!result) throw new Error('Redis rate-limit transaction was aborted');
    const count = Number(result[0]?.[1]);
    const ttl = Number(result[2]?.[1]);
    return { allowed: count <= limit, retryAfterSeconds: ttl > 0 ? ttl : windowSeconds };
  }
}
