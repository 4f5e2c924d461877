/**
 * The process's one Redis connection (REDIS_URL), made so that Redis is an accelerator and never
 * a dependency: a command fails at once while the connection is down (no offline queue, a short
 * command timeout) and the caller goes to PostgreSQL instead. The connection re-opens by itself
 * (ioredis retries every few hundred ms, at most 2 s apart).
 *
 * An outage is logged once when it starts and once when it ends, not per request, and counted in
 * the metrics: goalpost_redis_up (1 connected, 0 not) and goalpost_redis_errors_total{op}.
 * `onRecovered` hooks run each time the connection is ready again after an outage, before the
 * process trusts Redis again (the session cache uses it to make entries from before the outage
 * unusable, since invalidations may have been lost meanwhile).
 */
import { Redis } from 'ioredis';
import type { Logger } from './logger.ts';
import { counter, gauge } from './metrics.ts';

const redisUp = gauge({
  name: 'goalpost_redis_up',
  help: 'Whether this process is connected to Redis (1) or not (0).',
});
export const redisErrors = counter<'op'>({
  name: 'goalpost_redis_errors_total',
  help: 'Redis commands that failed (the caller fell back to PostgreSQL or memory), by operation.',
  labelNames: ['op'],
});

export interface RedisConnection {
  client: Redis;
  /** Ready to take commands now (false while down or reconnecting). */
  isUp(): boolean;
  /** Counts a failed command of `op` (the caller has fallen back). */
  failed(op: string, error: unknown): void;
  /** Runs `hook` (awaited) each time the connection is ready (at start too), before isUp() turns true. */
  onRecovered(hook: () => Promise<void>): void;
  close(): Promise<void>;
}

export async function connectRedis(url: string, log: Logger): Promise<RedisConnection> {
  const client = new Redis(url, {
    lazyConnect: true,
    // Fail fast rather than queue: a request waits for PostgreSQL, never for a Redis that is away.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1_000,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  const hooks: (() => Promise<void>)[] = [];
  let up = false;
  let outageSince: Date | null = null;
  let closing = false;

  const down = (error?: unknown) => {
    if (closing) return;
    if (up || !outageSince) {
      outageSince = new Date();
      log.warn({ err: error }, 'Redis unavailable: serving from PostgreSQL until it returns');
    }
    up = false;
    redisUp.set(0);
  };
  client.on('error', (error) => down(error));
  client.on('close', () => down());
  client.on('ready', () => {
    void (async () => {
      for (const hook of hooks) {
        try {
          await hook();
        } catch (error) {
          // Not trusted yet: drop the connection and let it come back again.
          log.warn({ err: error }, 'Redis recovery step failed; reconnecting');
          client.disconnect(true);
          return;
        }
      }
      up = true;
      redisUp.set(1);
      if (outageSince) log.info({ downSince: outageSince.toISOString() }, 'Redis available again');
      outageSince = null;
    })();
  });

  try {
    await client.connect();
  } catch (error) {
    // Starting without Redis is allowed: it will be used once it answers.
    down(error);
  }
  // `ready` fires before connect() resolves, but its handler is async: wait for it to settle.
  await new Promise((r) => setImmediate(r));

  return {
    client,
    isUp: () => up,
    failed(op, error) {
      redisErrors.inc({ op });
      // A command failing while the connection looks fine (a timeout: Redis hung, a network
      // partition) starts an outage too: stop using it and reconnect, which runs the hooks again.
      if (up) {
        down(error);
        client.disconnect(true);
      }
    },
    onRecovered(hook) {
      hooks.push(hook);
    },
    async close() {
      closing = true;
      client.disconnect();
    },
  };
}
