/**
 * Redis is an accelerator, never a dependency. This test runs the app on a private redis-server,
 * kills it (SIGKILL) in the middle of a run of requests, and checks that the API keeps answering
 * from PostgreSQL (session checks, goal lists, sign-ins with rate limits counted in memory), that
 * the outage shows in the metrics, and that the cache is used again once the same server is back.
 *
 * The private server is persistent (append-only, fsync always), so the session entries cached
 * before the kill are still in Redis after the restart: the worst case. A person signs out during
 * the outage (the forget cannot reach Redis); their old entry must not let the signed-out cookie
 * back in when Redis returns. No timings are asserted: it waits for conditions.
 */
import { hash } from 'node:crypto';
import { metricsRegistry } from '@goalpost/api';
import { ADMIN, startTestApp, type TestApp, type TestClient } from '@goalpost/testing';
import { type RedisServer, startRedisServer } from '@goalpost/testing/redis-server';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';

const PREFIX = `goalpost-outage-test:`;
let redis: RedisServer;
let t: TestApp;
beforeAll(async () => {
  redis = await startRedisServer();
  t = await startTestApp({
    REDIS_URL: redis.url,
    REDIS_PREFIX: PREFIX,
    SESSION_CACHE_SECONDS: '300',
    RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000',
    RATE_LIMIT_LOGIN_PER_IP: '1000',
  });
});
afterAll(async () => {
  await t?.close();
  await redis?.stop();
});

async function metric(name: string, labels: Record<string, string> = {}): Promise<number> {
  const values = (await metricsRegistry.getSingleMetric(name)?.get())?.values ?? [];
  return values
    .filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
    .reduce((sum, v) => sum + v.value, 0);
}
const redisHits = () => metric('goalpost_session_cache_lookups_total', { store: 'redis', result: 'hit' });

/** Waits until a session check of `tab` is answered from Redis. */
function cachedInRedis(tab: TestClient) {
  return t.eventually(async () => {
    const before = await redisHits();
    await tab.trpc.auth.me.query();
    return (await redisHits()) > before || undefined;
  });
}

it('serves from PostgreSQL while Redis is down, never revives a session ended meanwhile, and uses Redis again when it returns', async () => {
  const admin = await t.admin();
  const alice = await t.activeUser({ email: 'alice@outage.test', name: 'Alice', password: 'Correct-horse-battery-1' });
  // A second request of Alice's browser: the same session, which she will end during the outage.
  const aliceToken = alice.cookies.get('goalpost_session')!;
  const aliceAgain = t.client();
  aliceAgain.cookies.set('goalpost_session', aliceToken);
  await admin.trpc.goals.create.mutate({ name: 'Outage goal', targetAmountMinor: 100_00n, currency: 'EUR' });
  await cachedInRedis(admin);
  await cachedInRedis(aliceAgain);
  const errorsBefore = await metric('goalpost_redis_errors_total');
  const rateLimitFallbacksBefore = await metric('goalpost_redis_errors_total', { op: 'rate-limit' });

  // Requests are running when Redis dies.
  let stop = false;
  const answers: string[] = [];
  const load = (async () => {
    while (!stop) {
      const answer = await Promise.all([admin.trpc.auth.me.query(), admin.trpc.goals.list.query({})]).then(
        ([me, goals]) => (me?.email === ADMIN.email && goals.items.length === 1 ? 'ok' : 'wrong'),
        (error) => `failed: ${error}`,
      );
      answers.push(answer);
    }
  })();
  await t.eventually(async () => answers.length >= 5 || undefined);
  await redis.kill();
  await t.eventually(async () => (await metric('goalpost_redis_up')) === 0 || undefined);

  const answeredBeforeOutageChecks = answers.length;
  const duringOutage = {
    me: (await admin.trpc.auth.me.query())?.email,
    goals: (await admin.trpc.goals.list.query({})).items.map((g) => g.name),
    // A sign-in needs the rate limiter: it counts in memory meanwhile.
    signIn: await t
      .client()
      .trpc.auth.login.mutate(ADMIN)
      .then(() => 'ok'),
  };
  await alice.trpc.auth.logout.mutate();
  const aliceDuringOutage = await aliceAgain.trpc.auth.me.query();
  await t.eventually(async () => answers.length >= answeredBeforeOutageChecks + 5 || undefined);

  await redis.start();
  await t.eventually(async () => (await metric('goalpost_redis_up')) === 1 || undefined, 20_000);
  // Alice's entry from before the outage is still in Redis (persistent server), not a tombstone...
  const raw = new Redis(redis.url);
  const leftover = await raw.get(`${PREFIX}sc:s:${hash('sha256', aliceToken, 'hex')}`);
  raw.disconnect();
  // ...yet her ended session stays ended, and the cache answers again for the admin.
  aliceAgain.cookies.set('goalpost_session', aliceToken);
  const aliceAfter = await aliceAgain.trpc.auth.me.query();
  await cachedInRedis(admin);
  stop = true;
  await load;

  expect({
    duringOutage,
    aliceDuringOutage,
    leftoverEntryKept: JSON.parse(leftover ?? 'null')?.email,
    aliceAfter,
    wrongOrFailed: answers.filter((a) => a !== 'ok').length,
    answeredDuringRun: answers.length > answeredBeforeOutageChecks,
    errorsCounted: (await metric('goalpost_redis_errors_total')) > errorsBefore,
    rateLimitFellBack: (await metric('goalpost_redis_errors_total', { op: 'rate-limit' })) > rateLimitFallbacksBefore,
  }).toEqual({
    duringOutage: { me: ADMIN.email, goals: ['Outage goal'], signIn: 'ok' },
    aliceDuringOutage: null,
    leftoverEntryKept: 'alice@outage.test',
    aliceAfter: null,
    wrongOrFailed: 0,
    answeredDuringRun: true,
    errorsCounted: true,
    rateLimitFellBack: true,
  });
});
