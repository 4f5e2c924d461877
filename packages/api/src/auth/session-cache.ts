/**
 * The session check is the hottest read (every request makes it), so its answer (the session's
 * expiry, the user's email, name and status, their roles) is cached: in Redis when REDIS_URL is
 * set, shared by every server; in this process's memory otherwise.
 *
 * Correctness comes before hits:
 * - Every write that changes what an entry holds calls `forgetSession` or `forgetUser` (sign-out,
 *   password change or reset, role change, deactivation, name or email change, a bulk import's
 *   updates, the check's own deletion of an expired session). It takes effect at once in this
 *   process (and in Redis), and at commit in every other process: it also sends
 *   `pg_notify('session_cache', …)` in the writer's transaction, which each server hears on its
 *   LISTEN connection. So a jobs process (bulk imports) needs no Redis to invalidate.
 * - A forget leaves a tombstone for TOMBSTONE_MS rather than deleting: a request that read the old
 *   rows before the writer committed cannot put them back (fills are refused while a tombstone for
 *   the session or its user lives, and a fill whose database read began more than FILL_WINDOW_MS
 *   before is dropped). So a forget inside the writer's transaction is safe if it commits within
 *   TOMBSTONE_MS - FILL_WINDOW_MS.
 * - Redis: while Redis is down every read goes to PostgreSQL. A forget that could not reach Redis
 *   (or a LISTEN connection that was lost, so notices were missed) bumps the epoch when Redis is
 *   back, before this process uses it again: every entry written before carries the old epoch and
 *   is ignored. A sign-out during an outage is therefore never undone by an entry from before it.
 * - Memory: entries are served only while this process's LISTEN connection is up (otherwise it
 *   would not hear other processes' forgets), and all are dropped when it re-connects.
 * - What neither can see: a change made by hand in SQL, outside the app. It counts once the entry
 *   expires (SESSION_CACHE_SECONDS, 30 s by default; 0 turns the cache off).
 */
import type { RoleKey } from '@goalpost/db';
import { query } from '@goalpost/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { listen } from '../platform/listen.ts';
import type { Logger } from '../platform/logger.ts';
import { counter } from '../platform/metrics.ts';
import type { RedisConnection } from '../platform/redis.ts';

export const SESSION_CACHE_CHANNEL = 'session_cache';
const TOMBSTONE_MS = 10_000;
const FILL_WINDOW_MS = 2_000;
const MAX_MEMORY_ENTRIES = 100_000;

const lookups = counter<'store' | 'result'>({
  name: 'goalpost_session_cache_lookups_total',
  help: 'Session checks answered from the cache (hit) or from PostgreSQL (miss), by store.',
  labelNames: ['store', 'result'],
});

/** What the session check needs, for an active session. */
export interface CachedSession {
  expiresMs: number;
  userId: string;
  email: string;
  name: string;
  status: string;
  roles: RoleKey[];
}

/** Handed from a miss to its fill: the state the database read started from. */
export interface FillToken {
  epoch: string;
  generation: number;
  startedAt: number;
}

export interface SessionCache {
  read(sessionId: string): Promise<{ entry: CachedSession | null; token: FillToken }>;
  /** Caches `entry` for the configured time, at most `maxTtlMs` (the session's own end). */
  fill(token: FillToken, sessionId: string, entry: CachedSession, maxTtlMs: number): Promise<void>;
  /** In the writer's transaction: at once here, at commit in every other process. */
  forgetSession(em: EntityManager, sessionId: string): Promise<void>;
  forgetUsers(em: EntityManager, userIds: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** Sends the notices every server applies; delivered at commit, dropped on rollback. */
async function notice(em: EntityManager, kind: 's' | 'u', ids: readonly string[]): Promise<void> {
  if (!ids.length) return;
  await query(em, `select pg_notify('${SESSION_CACHE_CHANNEL}', $1 || id) from unnest($2::text[]) as id`, [
    `${kind}:`,
    [...new Set(ids)],
  ]);
}

function parseNotice(payload: string): { kind: 's' | 'u'; id: string } | null {
  const [kind, id] = [payload.slice(0, 1), payload.slice(2)];
  return (kind === 's' || kind === 'u') && id ? { kind, id } : null;
}

const now = () => performance.now();

/**
 * For a process that caches nothing but changes users (the jobs process): its forgets only send
 * the notice, which the servers apply.
 */
export function noticeOnlySessionCache(): SessionCache {
  return {
    read: async () => ({ entry: null, token: { epoch: '', generation: 0, startedAt: now() } }),
    fill: async () => {},
    forgetSession: (em, id) => notice(em, 's', [id]),
    forgetUsers: (em, ids) => notice(em, 'u', ids),
    close: async () => {},
  };
}

/** In this process's memory, kept right across processes by the LISTEN notices. */
export function memorySessionCache(options: { connectionString: string; log: Logger; ttlMs: number }): SessionCache {
  const entries = new Map<string, { entry: CachedSession; until: number }>();
  const byUser = new Map<string, Set<string>>();
  const tombstones = new Map<string, number>();
  let listening = false;
  let generation = 0;

  const dropAll = () => {
    entries.clear();
    byUser.clear();
    generation += 1;
  };
  const bury = (key: string) => {
    tombstones.set(key, now() + TOMBSTONE_MS);
    if (tombstones.size > MAX_MEMORY_ENTRIES) {
      for (const [k, until] of tombstones) if (until <= now()) tombstones.delete(k);
    }
  };
  const buried = (key: string) => {
    const until = tombstones.get(key);
    if (until === undefined) return false;
    if (until > now()) return true;
    tombstones.delete(key);
    return false;
  };
  const forget = (kind: 's' | 'u', id: string) => {
    bury(`${kind}:${id}`);
    if (kind === 's') {
      entries.delete(id);
      return;
    }
    for (const sessionId of byUser.get(id) ?? []) entries.delete(sessionId);
    byUser.delete(id);
  };
  const listener = listen({
    connectionString: options.connectionString,
    channel: SESSION_CACHE_CHANNEL,
    log: options.log,
    onNotify(payload) {
      const parsed = parseNotice(payload);
      if (parsed) forget(parsed.kind, parsed.id);
    },
    onListening() {
      // Notices sent while nobody listened are lost: start again from nothing.
      dropAll();
      listening = true;
    },
    onLost() {
      listening = false;
      dropAll();
    },
  });

  return {
    async read(sessionId) {
      const token = { epoch: '', generation, startedAt: now() };
      const found = listening ? entries.get(sessionId) : undefined;
      const entry = found && found.until > now() ? found.entry : null;
      lookups.inc({ store: 'memory', result: entry ? 'hit' : 'miss' });
      return { entry, token };
    },
    async fill(token, sessionId, entry, maxTtlMs) {
      const ttlMs = Math.min(options.ttlMs, maxTtlMs);
      if (!listening || ttlMs <= 0 || token.generation !== generation) return;
      if (now() - token.startedAt > FILL_WINDOW_MS) return;
      if (buried(`s:${sessionId}`) || buried(`u:${entry.userId}`)) return;
      if (entries.size >= MAX_MEMORY_ENTRIES) {
        for (const [id, e] of entries) if (e.until <= now()) entries.delete(id);
        if (entries.size >= MAX_MEMORY_ENTRIES) dropAll();
      }
      entries.set(sessionId, { entry, until: now() + ttlMs });
      const sessions = byUser.get(entry.userId) ?? new Set<string>();
      byUser.set(entry.userId, sessions.add(sessionId));
    },
    async forgetSession(em, sessionId) {
      forget('s', sessionId);
      await notice(em, 's', [sessionId]);
    },
    async forgetUsers(em, userIds) {
      for (const id of userIds) forget('u', id);
      await notice(em, 'u', userIds);
    },
    async close() {
      await listener.close();
    },
  };
}

const TOMBSTONE = '-';

// A fill lands only if the epoch is the one the read saw and no tombstone lies on the session or
// its user. KEYS: epoch, session, user's session set, user tombstone. ARGV: epoch, value, ttl ms, session id.
const FILL_SCRIPT = `
if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then return 0 end
if redis.call('GET', KEYS[2]) == '${TOMBSTONE}' or redis.call('EXISTS', KEYS[4]) == 1 then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
redis.call('SADD', KEYS[3], ARGV[4])
if redis.call('PTTL', KEYS[3]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[3], ARGV[3]) end
return 1`;

// Tombstones the user and each of their cached sessions. KEYS: user tombstone, user's session set.
// ARGV: tombstone ms, session key prefix.
const FORGET_USER_SCRIPT = `
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  redis.call('SET', ARGV[2] .. id, '${TOMBSTONE}', 'PX', ARGV[1])
end
redis.call('DEL', KEYS[2])
return 1`;

interface Stored extends CachedSession {
  epoch: string;
}

/** In Redis, shared by every server; PostgreSQL answers whenever Redis cannot. */
export function redisSessionCache(options: {
  redis: RedisConnection;
  connectionString: string;
  log: Logger;
  ttlMs: number;
  /** Key prefix (REDIS_PREFIX + 'sc:'), so deployments or tests can share one Redis. */
  prefix?: string;
}): SessionCache {
  const { redis } = options;
  const PREFIX = options.prefix ?? 'goalpost:sc:';
  const EPOCH_KEY = `${PREFIX}epoch`;
  const client = redis.client;
  // Set when a forget may not have reached Redis; cleared once the epoch has moved on.
  let missed = false;
  let heardBefore = false;

  const sessionKey = (id: string) => `${PREFIX}s:${id}`;
  const forget = async (kind: 's' | 'u', id: string) => {
    if (!redis.isUp()) {
      missed = true;
      return;
    }
    try {
      if (kind === 's') await client.set(sessionKey(id), TOMBSTONE, 'PX', TOMBSTONE_MS);
      else
        await client.eval(FORGET_USER_SCRIPT, 2, `${PREFIX}ut:${id}`, `${PREFIX}u:${id}`, TOMBSTONE_MS, `${PREFIX}s:`);
    } catch (error) {
      missed = true;
      redis.failed('session-cache-forget', error);
    }
  };
  // Moves the epoch on, so every entry written before is ignored. Cleared first: a forget that
  // fails meanwhile sets it again and is retired by the next call.
  const retire = async () => {
    if (!missed) return;
    missed = false;
    try {
      await client.incr(EPOCH_KEY);
    } catch (error) {
      missed = true;
      throw error;
    }
    options.log.info('session cache: entries from before the Redis outage retired');
  };
  redis.onRecovered(retire);
  const listener = listen({
    connectionString: options.connectionString,
    channel: SESSION_CACHE_CHANNEL,
    log: options.log,
    onNotify(payload) {
      const parsed = parseNotice(payload);
      if (parsed) void forget(parsed.kind, parsed.id);
    },
    onListening() {
      // Another process's notice may have come while this one was not listening and no one else
      // applied it: retire every entry (the next ready Redis runs it if it is away now).
      if (heardBefore) {
        missed = true;
        if (redis.isUp()) retire().catch((error) => redis.failed('session-cache-retire', error));
      }
      heardBefore = true;
    },
  });

  return {
    async read(sessionId) {
      const startedAt = now();
      if (!redis.isUp()) return { entry: null, token: { epoch: '', generation: -1, startedAt } };
      try {
        // A forget that did not land (a command failed while the connection stayed up): nothing
        // cached may be trusted until the epoch has moved on.
        await retire();
        const [epoch, raw] = await client.mget(EPOCH_KEY, sessionKey(sessionId));
        const current = epoch ?? '0';
        const stored = raw && raw !== TOMBSTONE ? (JSON.parse(raw) as Stored) : null;
        const entry = stored && stored.epoch === current ? stored : null;
        lookups.inc({ store: 'redis', result: entry ? 'hit' : 'miss' });
        return { entry, token: { epoch: current, generation: 0, startedAt } };
      } catch (error) {
        redis.failed('session-cache-read', error);
        return { entry: null, token: { epoch: '', generation: -1, startedAt } };
      }
    },
    async fill(token, sessionId, entry, maxTtlMs) {
      const ttlMs = Math.min(options.ttlMs, maxTtlMs);
      if (token.generation < 0 || ttlMs <= 0 || missed || !redis.isUp()) return; // missed: the next read retires
      if (now() - token.startedAt > FILL_WINDOW_MS) return;
      const stored: Stored = { ...entry, epoch: token.epoch };
      try {
        await client.eval(
          FILL_SCRIPT,
          4,
          EPOCH_KEY,
          sessionKey(sessionId),
          `${PREFIX}u:${entry.userId}`,
          `${PREFIX}ut:${entry.userId}`,
          token.epoch,
          JSON.stringify(stored),
          Math.ceil(ttlMs),
          sessionId,
        );
      } catch (error) {
        redis.failed('session-cache-fill', error);
      }
    },
    async forgetSession(em, sessionId) {
      await forget('s', sessionId);
      await notice(em, 's', [sessionId]);
    },
    async forgetUsers(em, userIds) {
      await Promise.all(userIds.map((id) => forget('u', id)));
      await notice(em, 'u', userIds);
    },
    async close() {
      await listener.close();
    },
  };
}
