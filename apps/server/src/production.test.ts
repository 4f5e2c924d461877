/**
 * Production settings: Secure cookies, a required PUBLIC_URL, and X-Forwarded-For trusted only as
 * far as TRUST_PROXY says, so a client cannot rotate a forged address to escape per-IP limits.
 */

import { settingsFrom } from '@goalpost/api';
import { ADMIN, failure, startTestApp, type TestApp } from '@goalpost/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { clientIp } from './http.ts';

describe('clientIp', () => {
  const req = (xff: string | undefined) => ({
    headers: { 'x-forwarded-for': xff },
    socket: { remoteAddress: '10.0.0.9' },
  });
  it('ignores X-Forwarded-For without trusted proxies and takes the hop our proxies appended', () => {
    expect({
      untrusted: clientIp(req('6.6.6.6') as never, 0),
      oneProxy: clientIp(req('6.6.6.6, 203.0.113.7') as never, 1),
      twoProxies: clientIp(req('6.6.6.6, 203.0.113.7, 10.1.1.1') as never, 2),
      missingHeader: clientIp(req(undefined) as never, 1),
    }).toEqual({
      untrusted: '10.0.0.9',
      oneProxy: '203.0.113.7',
      twoProxies: '203.0.113.7',
      missingHeader: '10.0.0.9',
    });
  });
});

it('refuses to start in production without PUBLIC_URL', () => {
  const config = loadConfig({ NODE_ENV: 'production' } as NodeJS.ProcessEnv);
  expect(() => settingsFrom(config, 'http://localhost:3000')).toThrow(
    /PUBLIC_URL is required when NODE_ENV=production/,
  );
});

describe('a production server', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://goalpost.example.com',
      RATE_LIMIT_LOGIN_PER_IP: '3',
    });
  });
  afterAll(() => t?.close());

  it('marks the session cookie Secure', async () => {
    const tab = t.client();
    await tab.trpc.auth.login.mutate(ADMIN);
    expect(tab.setCookies.at(-1)?.split('; ')).toContain('Secure');
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
      const res = await fetch(`${t.url}/trpc/auth.login`, {
        method: 'POST',
        headers: { Origin: t.url, 'Content-Type': 'application/json', 'X-Forwarded-For': `198.51.100.${i}` },
        body: JSON.stringify({ email: `rotating${i}@goalpost.test`, password: 'guess-guess-1' }),
      });
      codes.push(((await res.json()) as { error: { data: { code: string } } }).error.data.code);
    }
    // The first login of the previous test used one of the 3 attempts this IP has.
    expect(codes).toEqual([
      'UNAUTHORIZED',
      'UNAUTHORIZED',
      'TOO_MANY_REQUESTS',
      'TOO_MANY_REQUESTS',
      'TOO_MANY_REQUESTS',
    ]);
    expect((await failure(t.client().trpc.auth.login.mutate(ADMIN))).code).toBe('TOO_MANY_REQUESTS');
  });
});
