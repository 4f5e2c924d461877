/**
 * Test harness: the real app (HTTP, tRPC, pg-boss workers) on its own copy of the migrated test
 * database, and a tRPC client that behaves like a browser tab: it keeps cookies and sends Origin.
 */
import { resolve } from 'node:path';
import { type Clock, ManualClock } from '@goalpost/api';
import type { RoleKey } from '@goalpost/db';
import { createTestDatabase } from '@goalpost/db/testing';
import { loadConfig, type RunningApp, startApp } from '@goalpost/server';
import { TRPCClientError } from '@trpc/client';
import { inject } from 'vitest';
import { type TestClient, testClient } from './client.ts';

export { type TestClient, testClient };

export const ADMIN = { email: 'admin@goalpost.test', password: 'Tr1cky-admin-passphrase' };

export interface TestApp {
  app: RunningApp;
  url: string;
  /** A new "browser tab" with its own cookie jar (and extra headers, such as a proxy's X-Forwarded-For). */
  client(options?: { origin?: string | null; headers?: Record<string, string> }): TestClient;
  /** A tab signed in as the first admin. */
  admin(): Promise<TestClient>;
  /** The token in the newest mail of `kind` to `email`, read from the outbox as an admin would. */
  mailedToken(email: string, kind: 'invite' | 'password-reset'): Promise<string>;
  /**
   * Polls until `check` returns a value, for conditions reached by background jobs. Under a manual
   * clock, pg-boss only polls as time moves, so each wait advances the clock by a second.
   */
  eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs?: number): Promise<T>;
  /** Runs SQL on the test database (outside any request). */
  sql<T>(query: string, params?: unknown[]): Promise<T[]>;
  /**
   * Makes inserts into `table` that match `when` (a trigger condition on `new`) fail for real while
   * `fn` runs, to check that a several-step change is undone as a whole when a late step fails.
   */
  refusingInserts<T>(table: string, when: string, fn: () => Promise<T>): Promise<T>;
  /** Invites a user, accepts the invite with `password`, and returns a tab signed in as them. */
  activeUser(user: { email: string; name: string; password: string; roles?: RoleKey[] }): Promise<TestClient>;
  close(): Promise<void>;
}

export async function startTestApp(
  env: Record<string, string> = {},
  options: {
    clock?: Clock;
    /** Another server instance on that app's database; closing it leaves the database to its owner. */
    sameDatabaseAs?: TestApp;
  } = {},
): Promise<TestApp> {
  const shared = options.sameDatabaseAs;
  const db = shared
    ? { url: shared.app.services.orm.config.get('clientUrl') as string, drop: async () => {} }
    : await createTestDatabase(inject('cluster'));
  const app = await startApp(
    loadConfig({
      DATABASE_URL: db.url,
      PORT: '0',
      LOG_LEVEL: 'silent',
      FIRST_ADMIN_EMAIL: ADMIN.email,
      FIRST_ADMIN_PASSWORD: ADMIN.password,
      WEB_DIST: resolve(import.meta.dirname, '../../../apps/web/dist'),
      REDIS_URL: '',
      ...env,
    } as NodeJS.ProcessEnv),
    options,
  );
  // Behind TRUST_PROXY proxies every request carries their X-Forwarded-For (the server refuses
  // sign-ins without it): tabs send the one a proxy in front of this machine would.
  const forwarded: Record<string, string> = Number(env.TRUST_PROXY ?? 0) > 0 ? { 'X-Forwarded-For': '127.0.0.1' } : {};
  const client: TestApp['client'] = (opts) =>
    testClient(app.url, { ...opts, headers: { ...forwarded, ...opts?.headers } });
  const clock = options.clock;
  const wait = clock instanceof ManualClock ? () => clock.advance(1000) : undefined;
  const appEventually: TestApp['eventually'] = (check, timeoutMs) => eventually(check, timeoutMs, wait);
  const sql: TestApp['sql'] = (query, params = []) => app.services.orm.em.fork().execute(query, params);
  const refusingInserts: TestApp['refusingInserts'] = async (table, when, fn) => {
    await sql(`create or replace function refuse_insert() returns trigger language plpgsql as $$
               begin raise exception 'refused by the test'; end $$`);
    await sql(
      `create trigger refuse_insert before insert on ${table} for each row when (${when}) execute function refuse_insert()`,
    );
    try {
      return await fn();
    } finally {
      await sql(`drop trigger refuse_insert on ${table}`);
    }
  };
  const admin = async () => {
    const tab = client();
    await tab.trpc.auth.login.mutate(ADMIN);
    return tab;
  };
  const mailedToken: TestApp['mailedToken'] = async (email, kind) => {
    const reader = await admin();
    // Reset mails come from a job, so wait for the mail to appear.
    const item = await appEventually(async () => {
      const { items } = await reader.trpc.mail.list.query({ search: email });
      return items.find((m) => m.kind === kind);
    });
    const mail = await reader.trpc.mail.open.mutate({ mailId: item.id });
    const url = mail.text.match(/https?:\/\/\S+/)?.[0];
    if (!url) throw new Error(`No link in the ${kind} mail to ${email}`);
    return new URL(url).searchParams.get('token') ?? '';
  };
  const activeUser: TestApp['activeUser'] = async ({ email, name, password, roles = ['user'] }) => {
    await (await admin()).trpc.users.create.mutate({ email, name, roles });
    const token = await mailedToken(email, 'invite');
    await client().trpc.auth.acceptInvite.mutate({ token, password });
    const tab = client();
    await tab.trpc.auth.login.mutate({ email, password });
    return tab;
  };
  return {
    app,
    url: app.url,
    client,
    admin,
    mailedToken,
    eventually: appEventually,
    sql,
    refusingInserts,
    activeUser,
    async close() {
      await app.close();
      await db.drop();
    },
  };
}

/** The tRPC error code and message of a failed call, for whole-outcome assertions. */
export async function failure(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCClientError) {
      return { code: (error.data as { code?: string } | undefined)?.code ?? 'UNKNOWN', message: error.message };
    }
    throw error;
  }
  throw new Error('Expected the call to fail, but it succeeded.');
}

/** Polls until `check` returns a value (not undefined/false), for conditions reached by background jobs. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
  wait: () => Promise<void> = () => new Promise((r) => setTimeout(r, 50)),
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Condition not reached within ${timeoutMs} ms`);
    await wait();
    // A manual clock's advance can return at once; give the event loop a moment either way.
    await new Promise((r) => setTimeout(r, 10));
  }
}
