/**
 * The session check is answered from a cache (memory, or Redis when REDIS_URL is set), so every
 * write that changes what it returns must forget the entry at once. Each test first makes sure the
 * person's session is really cached (a hit counted in goalpost_session_cache_lookups_total; the
 * first test shows a hand-made SQL change is then NOT seen, so a cache is answering), then makes
 * the change through the real procedure and checks the very next request sees it. The same tests
 * run against both stores (the Redis one on a key prefix of its own, skipped without REDIS_URL),
 * and a last one checks that a sign-out on one server reaches another server's cache.
 * Real servers, real PostgreSQL, real Redis; no timings.
 */
import { ADMIN, startTestApp, type TestApp, type TestClient, testClient } from '@goalpost/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsRegistry } from '../platform/metrics.ts';

const stores = [
  { store: 'memory', env: {} as Record<string, string> },
  ...(process.env.REDIS_URL
    ? [
        {
          store: 'redis',
          env: { REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: `goalpost-test:${process.pid}:sc-test:` },
        },
      ]
    : []),
];

// Each new person costs the admin two sign-ins (the harness reads mails as an admin).
const LIMITS = { SESSION_CACHE_SECONDS: '300', RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000', RATE_LIMIT_LOGIN_PER_IP: '1000' };

async function hits(store: string): Promise<number> {
  const metric = metricsRegistry.getSingleMetric('goalpost_session_cache_lookups_total');
  const values = (await metric?.get())?.values ?? [];
  return values.find((v) => v.labels.store === store && v.labels.result === 'hit')?.value ?? 0;
}

describe.each(stores)('session cache in $store', ({ store, env }) => {
  let t: TestApp;
  let admin: TestClient;
  let n = 0;
  beforeAll(async () => {
    t = await startTestApp({ ...LIMITS, ...env });
    admin = await t.admin();
  });
  afterAll(() => t?.close());

  /** A new active person, signed in on one tab. */
  async function person(roles: ('user' | 'accountant')[] = ['user']) {
    n += 1;
    const email = `p${n}@${store}.cache.test`;
    const password = `Correct-horse-battery-${n}`;
    const tab = await t.activeUser({ email, name: `Person ${n}`, password, roles });
    const id = (await tab.trpc.auth.me.query())!.id;
    return { email, password, tab, id };
  }

  /** Another tab holding the same session cookie (what a second request of that browser sends). */
  function sameSession(tab: TestClient, app: TestApp = t): TestClient {
    const copy = app.client();
    copy.cookies.set('goalpost_session', tab.cookies.get('goalpost_session')!);
    return copy;
  }

  /** Asks until the answer came from the cache (the LISTEN connection may still be opening). */
  async function cached(tab: TestClient): Promise<true> {
    return t.eventually(async () => {
      const before = await hits(store);
      await tab.trpc.auth.me.query();
      return (await hits(store)) > before || undefined;
    });
  }

  it('answers from the cache: a hand-made SQL change is unseen until the app forgets the entry', async () => {
    const p = await person();
    await cached(p.tab);
    await t.sql('update users set name = ? where id = ?', ['Changed by hand', p.id]);
    const whileCached = (await p.tab.trpc.auth.me.query())?.name;
    await admin.trpc.users.update.mutate({ userId: p.id, name: 'Renamed by admin', email: `renamed-${p.email}` });
    expect({ whileCached, after: await p.tab.trpc.auth.me.query() }).toEqual({
      whileCached: `Person ${n}`,
      after: { id: p.id, name: 'Renamed by admin', email: `renamed-${p.email}`, roles: ['user'] },
    });
  });

  it('sign-out: the same cookie is refused on the next request', async () => {
    const p = await person();
    const other = sameSession(p.tab);
    await cached(other);
    await p.tab.trpc.auth.logout.mutate();
    expect(await other.trpc.auth.me.query()).toBeNull();
  });

  it('password change: every other session ends, the changing tab stays in', async () => {
    const p = await person();
    const second = t.client();
    await second.trpc.auth.login.mutate({ email: p.email, password: p.password });
    await cached(second);
    await cached(p.tab);
    await p.tab.trpc.auth.changePassword.mutate({ currentPassword: p.password, newPassword: 'A-new-passphrase-99' });
    expect({ second: await second.trpc.auth.me.query(), changer: (await p.tab.trpc.auth.me.query())?.id }).toEqual({
      second: null,
      changer: p.id,
    });
  });

  it('password reset: every session ends', async () => {
    const p = await person();
    await cached(p.tab);
    await t.client().trpc.auth.requestPasswordReset.mutate({ email: p.email });
    const token = await t.mailedToken(p.email, 'password-reset');
    await t.client().trpc.auth.resetPassword.mutate({ token, password: 'A-reset-passphrase-77' });
    expect(await p.tab.trpc.auth.me.query()).toBeNull();
  });

  it('role change: granted and removed roles count on the next request', async () => {
    const p = await person();
    await cached(p.tab);
    await admin.trpc.users.assignRole.mutate({ userId: p.id, role: 'accountant' });
    const granted = (await p.tab.trpc.auth.me.query())?.roles;
    await cached(p.tab);
    await admin.trpc.users.removeRole.mutate({ userId: p.id, role: 'accountant' });
    expect({ granted, removed: (await p.tab.trpc.auth.me.query())?.roles }).toEqual({
      granted: ['accountant', 'user'],
      removed: ['user'],
    });
  });

  it('deactivation: the person is signed out at once', async () => {
    const p = await person();
    await cached(p.tab);
    await admin.trpc.users.deactivate.mutate({ userId: p.id });
    expect(await p.tab.trpc.auth.me.query()).toBeNull();
  });

  it('bulk import updating existing people: their new name and roles count once the job commits', async () => {
    const p = await person();
    await cached(p.tab);
    const csv = `email,name,roles\n${p.email},Imported Name,user;accountant\n`;
    const report = await admin.trpc.users.bulkValidate.mutate({ fileName: 'update.csv', csv });
    await admin.trpc.users.bulkCommit.mutate({ importId: report.importId, existing: 'update' });
    const status = await t.eventually(async () => {
      const s = await admin.trpc.users.bulkStatus.query({ importId: report.importId });
      return s.status === 'done' || s.status === 'failed' ? s.status : undefined;
    }, 60_000);
    const me = await p.tab.trpc.auth.me.query();
    expect({ status, me: [me?.name, me?.roles] }).toEqual({
      status: 'done',
      me: ['Imported Name', ['accountant', 'user']],
    });
  });

  it("another server's cache hears a sign-out", async () => {
    const other = await startTestApp({ ...LIMITS, ...env }, { sameDatabaseAs: t });
    try {
      const tab = testClient(t.url);
      await tab.trpc.auth.login.mutate(ADMIN);
      const there = sameSession(tab, other);
      await t.eventually(async () => {
        const before = await hits(store);
        await there.trpc.auth.me.query();
        return (await hits(store)) > before || undefined;
      });
      await tab.trpc.auth.logout.mutate();
      // Memory: the other process hears the notice at commit, moments later. Redis: at once.
      const answer =
        store === 'redis'
          ? await there.trpc.auth.me.query()
          : await t.eventually(async () => ((await there.trpc.auth.me.query()) === null ? null : undefined), 10_000);
      expect(answer).toBeNull();
    } finally {
      await other.close();
    }
  });
});
