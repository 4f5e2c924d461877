/**
 * Test harness: the real app (HTTP, tRPC, pg-boss workers) on its own copy of the migrated test
 * database, and a tRPC client that behaves like a browser tab: it keeps cookies and sends Origin.
 */
import { resolve } from 'node:path';
import type { AppRouter, Clock } from '@goalpost/api';
import { createTestDatabase } from '@goalpost/db/testing';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import { inject } from 'vitest';
import { type RunningApp, startApp } from './app.ts';
import { loadConfig } from './config.ts';

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

export interface TestClient {
  trpc: ReturnType<typeof createTRPCClient<AppRouter>>;
  cookies: Map<string, string>;
  /** Raw Set-Cookie headers received, newest last. */
  setCookies: string[];
}

export function testClient(url: string, options: { origin?: string | null } = {}): TestClient {
  const cookies = new Map<string, string>();
  const setCookies: string[] = [];
  const origin = options.origin === undefined ? url : options.origin;
  const trpc = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${url}/trpc`,
        fetch: async (input, init) => {
          const headers = new Headers(init?.headers);
          if (origin) headers.set('Origin', origin);
          if (cookies.size) headers.set('Cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
          const res = await fetch(input, { ...init, headers });
          for (const cookie of res.headers.getSetCookie()) {
            setCookies.push(cookie);
            const [pair = ''] = cookie.split(';');
            const [name = '', ...value] = pair.split('=');
            if (/max-age=0/i.test(cookie) || value.join('=') === '') cookies.delete(name);
            else cookies.set(name, value.join('='));
          }
          return res;
        },
      }),
    ],
  });
  return { trpc, cookies, setCookies };
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
