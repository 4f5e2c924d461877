/**
 * Production settings: Secure cookies, a required PUBLIC_URL, and X-Forwarded-For trusted only as
 * far as TRUST_PROXY says, so a client cannot rotate a forged address to escape per-IP limits.
 */

import { settingsFrom } from '@goalpost/api';
import { ADMIN, failure, startTestApp, type TestApp } from '@goalpost/testing';
import { rawCall } from '@goalpost/testing/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { clientIp } from './http.ts';

describe('clientIp', () => {
  const req = (xff: string | undefined) => ({
    headers: { 'x-forwarded-for': xff },
    socket: { remoteAddress: '10.0.0.9' },
  });
  it('ignores X-Forwarded-For without trusted proxies, takes the hop our proxies appended, and knows no address when the header is short', () => {
    expect({
      untrusted: clientIp(req('6.6.6.6') as never, 0),
      oneProxy: clientIp(req('6.6.6.6, 203.0.113.7') as never, 1),
      twoProxies: clientIp(req('6.6.6.6, 203.0.113.7, 10.1.1.1') as never, 2),
      missingHeader: clientIp(req(undefined) as never, 1),
      shortHeader: clientIp(req('203.0.113.7') as never, 2),
    }).toEqual({
      untrusted: '10.0.0.9',
      oneProxy: '203.0.113.7',
      twoProxies: '203.0.113.7',
      // The socket's address would be the proxy's, shared by every client behind it.
      missingHeader: null,
      shortHeader: null,
    });
  });
});

it('refuses to start in production without PUBLIC_URL', () => {
  const config = loadConfig({ NODE_ENV: 'production' } as NodeJS.ProcessEnv);
  expect(() => settingsFrom(config, 'http://localhost:3000')).toThrow(
    /PUBLIC_URL is required when NODE_ENV=production/,
  );
});

it('refuses an http origin in production (except loopback, which browsers treat as secure) and malformed ALLOWED_ORIGINS', () => {
  const problem = (env: Record<string, string>) => {
    try {
      settingsFrom(loadConfig({ NODE_ENV: 'production', ...env } as NodeJS.ProcessEnv), 'http://localhost:3000');
      return 'accepted';
    } catch (error) {
      return (error as Error).message;
    }
  };
  expect({
    httpPublicUrl: problem({ PUBLIC_URL: 'http://goalpost.example.com' }),
    httpAllowedOrigin: problem({
      PUBLIC_URL: 'https://goalpost.example.com',
      ALLOWED_ORIGINS: 'https://ok.example.com, http://partner.example.com',
    }),
    loopback: problem({ PUBLIC_URL: 'http://localhost:3000', ALLOWED_ORIGINS: 'http://127.0.0.1:3000' }),
    loopbackLookalike: problem({ PUBLIC_URL: 'http://127.0.0.1.evil.example' }),
    withPath: problem({
      PUBLIC_URL: 'https://goalpost.example.com',
      ALLOWED_ORIGINS: 'https://partner.example.com/app',
    }),
  }).toEqual({
    httpPublicUrl:
      'PUBLIC_URL must use https when NODE_ENV=production (got http://goalpost.example.com): browsers keep Secure session cookies for https sites only.',
    httpAllowedOrigin:
      'ALLOWED_ORIGINS must use https when NODE_ENV=production (got http://partner.example.com): browsers keep Secure session cookies for https sites only.',
    loopback: 'accepted',
    loopbackLookalike:
      'PUBLIC_URL must use https when NODE_ENV=production (got http://127.0.0.1.evil.example): browsers keep Secure session cookies for https sites only.',
    withPath:
      'Invalid configuration:\n  ALLOWED_ORIGINS: "https://partner.example.com/app" is not an origin. Write scheme://host[:port] with no path, like https://goalpost.example.com.',
  });
});

it('allows the Vite dev server (npm run dev:web) as an origin by default in development only', () => {
  const origins = (env: Record<string, string>) =>
    settingsFrom(loadConfig(env as NodeJS.ProcessEnv), 'http://127.0.0.1:3000').allowedOrigins;
  expect({
    development: origins({}),
    developmentWithList: origins({ ALLOWED_ORIGINS: 'https://partner.example.com' }),
    production: origins({ NODE_ENV: 'production', PUBLIC_URL: 'https://goalpost.example.com/' }),
  }).toEqual({
    development: ['http://127.0.0.1:3000', 'http://localhost:5173', 'http://127.0.0.1:5173'],
    developmentWithList: ['http://127.0.0.1:3000', 'https://partner.example.com'],
    production: ['https://goalpost.example.com'],
  });
});

describe('a production server', () => {
  // Behind its HTTPS proxy, browsers name the public site in Origin.
  const PUBLIC = 'https://goalpost.example.com';
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      NODE_ENV: 'production',
      PUBLIC_URL: PUBLIC,
      RATE_LIMIT_LOGIN_PER_IP: '3',
    });
  });
  afterAll(() => t?.close());

  it('marks the session cookie Secure', async () => {
    const tab = t.client({ origin: PUBLIC });
    await tab.trpc.auth.login.mutate(ADMIN);
    expect(tab.setCookies.at(-1)?.split('; ')).toContain('Secure');
  });

  it('refuses the address the server listens on and the Vite dev server as origins', async () => {
    const msg =
      'Cross-site request refused: the Origin header does not match this site. Reload the page and try again.';
    expect({
      listening: await failure(
        t.client({ origin: t.url }).trpc.auth.requestPasswordReset.mutate({ email: 'a@b.test' }),
      ),
      vite: await failure(
        t.client({ origin: 'http://localhost:5173' }).trpc.auth.requestPasswordReset.mutate({ email: 'a@b.test' }),
      ),
    }).toEqual({ listening: { code: 'FORBIDDEN', message: msg }, vite: { code: 'FORBIDDEN', message: msg } });
  });

  it('asks browsers to use HTTPS only, and keeps API answers out of caches', async () => {
    const page = await fetch(`${t.url}/`);
    const api = await fetch(`${t.url}/trpc/auth.me`);
    expect({
      pageHsts: page.headers.get('strict-transport-security'),
      apiHsts: api.headers.get('strict-transport-security'),
      apiCache: api.headers.get('cache-control'),
    }).toEqual({
      pageHsts: 'max-age=31536000; includeSubDomains',
      apiHsts: 'max-age=31536000; includeSubDomains',
      apiCache: 'no-store',
    });
  });

  it('does not let forged X-Forwarded-For headers escape the per-IP limit (TRUST_PROXY=0)', async () => {
    const codes = [];
    for (let i = 0; i < 5; i++) {
      const answer = await rawCall(t.url, 'auth.login', {
        headers: { Origin: PUBLIC, 'X-Forwarded-For': `198.51.100.${i}` },
        input: { email: `rotating${i}@goalpost.test`, password: 'guess-guess-1' },
      });
      codes.push(answer.code);
    }
    // The first login of the previous test used one of the 3 attempts this IP has.
    expect(codes).toEqual([
      'UNAUTHORIZED',
      'UNAUTHORIZED',
      'TOO_MANY_REQUESTS',
      'TOO_MANY_REQUESTS',
      'TOO_MANY_REQUESTS',
    ]);
    expect((await failure(t.client({ origin: PUBLIC }).trpc.auth.login.mutate(ADMIN))).code).toBe('TOO_MANY_REQUESTS');
  });
});

describe('behind two proxies (TRUST_PROXY=2)', () => {
  // A request whose X-Forwarded-For is shorter than two hops did not come through both proxies;
  // the address the server would otherwise use is a proxy's, shared by everyone behind it.
  const PUBLIC = 'https://goalpost.example.com';
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      NODE_ENV: 'production',
      PUBLIC_URL: PUBLIC,
      TRUST_PROXY: '2',
      RATE_LIMIT_LOGIN_PER_IP: '2',
    });
  });
  afterAll(() => t?.close());

  it('counts each client on its own and refuses a request whose address it cannot know', async () => {
    const login = (forwarded: string) =>
      rawCall(t.url, 'auth.login', {
        headers: { Origin: PUBLIC, 'X-Forwarded-For': forwarded },
        input: { email: 'nobody@goalpost.test', password: 'guess-guess-1' },
      }).then((answer) => answer.code);
    const first = [
      await login('198.51.100.1, 10.0.0.1'),
      await login('198.51.100.1, 10.0.0.1'),
      await login('198.51.100.1, 10.0.0.1'),
    ];
    const other = await login('198.51.100.2, 10.0.0.1');
    const short = await rawCall(t.url, 'auth.login', {
      headers: { Origin: PUBLIC, 'X-Forwarded-For': '10.0.0.1' },
      input: { email: 'nobody@goalpost.test', password: 'guess-guess-1' },
    });
    expect({ first, other, short: [short.code, short.message] }).toEqual({
      first: ['UNAUTHORIZED', 'UNAUTHORIZED', 'TOO_MANY_REQUESTS'],
      other: 'UNAUTHORIZED',
      short: [
        'BAD_REQUEST',
        'This request could not be traced to your network address, so it was refused. Try again; if it keeps happening, tell your administrator.',
      ],
    });
  });
});
