/**
 * Test harness: the real app (HTTP, tRPC, pg-boss workers) on its own copy of the migrated test
 * database, and a tRPC client that behaves like a browser tab: it keeps cookies and sends Origin.
 */
import { resolve } from 'node:path';
import type { Clock } from '@goalpost/api';
import { createTestDatabase } from '@goalpost/db/testing';
import { TRPCClientError } from '@trpc/client';
import { inject } from 'vitest';
import { type RunningApp, startApp } from './app.ts';
import { loadConfig } from './config.ts';
import { type TestClient, testClient } from './test-client.ts';

export { type TestClient, testClient };

export const ADMIN = { email: 'admin@goalpost.test', password: 'Tr1cky-admin-passphrase' };

export interface TestApp {
  app: RunningApp;
  url: string;
  /** A new "browser tab" with its own cookie jar. */
  client(options?: { origin?: string | null }): TestClient;
  /** A tab signed in as the first admin. */
  admin(): Promise<TestClient>;
  close(): Promise<void>;
}

export async function startTestApp(
  env: Record<string, string> = {},
  options: { clock?: Clock } = {},
): Promise<TestApp> {
  const db = await createTestDatabase(inject('cluster'));
  const app = await startApp(
    loadConfig({
      DATABASE_URL: db.url,
      PORT: '0',
      LOG_LEVEL: 'silent',
      FIRST_ADMIN_EMAIL: ADMIN.email,
      FIRST_ADMIN_PASSWORD: ADMIN.password,
      WEB_DIST: resolve(import.meta.dirname, '../../web/dist'),
      REDIS_URL: '',
      ...env,
    } as NodeJS.ProcessEnv),
    options,
  );
  const client = (opts?: { origin?: string | null }) => testClient(app.url, opts);
  return {
    app,
    url: app.url,
    client,
    async admin() {
      const tab = client();
      await tab.trpc.auth.login.mutate(ADMIN);
      return tab;
    },
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
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Condition not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
