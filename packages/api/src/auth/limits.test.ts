/**
 * Configuration-dependent rules of sign-in, each on its own app: rate limits per IP and per
 * account, sliding session expiry (with a manual clock), and self sign-up when enabled.
 */
import { ManualClock } from '@goalpost/api';
import { ADMIN, failure, startTestApp, type TestApp } from '@goalpost/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const DAY = 86_400_000;
const clock = new ManualClock(new Date());
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(
    {
      RATE_LIMIT_LOGIN_PER_IP: '8',
      RATE_LIMIT_LOGIN_PER_ACCOUNT: '6',
      RATE_LIMIT_RESET_PER_ACCOUNT: '2',
      SIGNUP_ENABLED: 'true',
    },
    { clock },
  );
});
afterAll(() => t?.close());

describe('rate limits', () => {
  it('limits reset requests per account, whether or not the account exists', async () => {
    const anon = t.client().trpc.auth;
    const outcomes = [];
    for (const email of ['nobody@limits.test', 'nobody@limits.test', 'nobody@limits.test', 'other@limits.test']) {
      outcomes.push(
        await anon.requestPasswordReset.mutate({ email }).then(
          () => 'ok',
          (e) => failure(Promise.reject(e)),
        ),
      );
    }
    expect(outcomes).toEqual([
      'ok',
      'ok',
      { code: 'TOO_MANY_REQUESTS', message: 'Too many attempts. Try again in 15 minutes.' },
      'ok',
    ]);
  });

  it('limits sign-in attempts per account and then per IP, until the window passes', async () => {
    const codes: string[] = [];
    const attempt = async (email: string) =>
      t
        .client()
        .trpc.auth.login.mutate({ email, password: 'wrong-password-1' })
        .then(
          () => 'ok',
          async (e) => (await failure(Promise.reject(e))).code,
        );
    for (let i = 0; i < 7; i++) codes.push(await attempt('target@limits.test'));
    codes.push(await attempt('second@limits.test'));
    codes.push(await attempt('third@limits.test'));
    await clock.advance(16 * 60_000);
    codes.push(await attempt('third@limits.test'));
    expect(codes).toEqual([
      'UNAUTHORIZED',
      'UNAUTHORIZED',
      'UNAUTHORIZED',
      'UNAUTHORIZED',
      'FORBIDDEN', // the fifth failure "locks" (same answer as for a real account)
      'FORBIDDEN',
      'TOO_MANY_REQUESTS', // 7th for this account
      'UNAUTHORIZED', // 8th from this IP
      'TOO_MANY_REQUESTS', // 9th from this IP
      'UNAUTHORIZED', // a new window
    ]);
  });
});

describe('sessions slide', () => {
  it('extends a session used in the second half of its life, and ends an unused one', async () => {
    const active = await t.admin();
    const idle = await t.admin();
    const expiryOf = (cookie: string | undefined) => new Date(cookie?.match(/Expires=([^;]+)/)?.[1] ?? 0).getTime();
    const issued = expiryOf(active.setCookies.at(-1));
    await clock.advance(20 * DAY);
    await active.trpc.auth.me.query();
    const renewed = expiryOf(active.setCookies.at(-1));
    await clock.advance(15 * DAY);
    expect({
      renewedByDays: Math.round((renewed - issued) / DAY),
      active: (await active.trpc.auth.me.query())?.email,
      idle: await idle.trpc.auth.me.query(),
      idleCookieCleared: idle.cookies.has('goalpost_session'),
    }).toEqual({ renewedByDays: 20, active: ADMIN.email, idle: null, idleCookieCleared: false });
  });
});

describe('self sign-up, when enabled', () => {
  it('creates an active user with the user role and signs them in', async () => {
    const tab = t.client();
    await tab.trpc.auth.signUp.mutate({ email: 'Self@Limits.test', name: 'Sam Self', password: 'Own-account-pass-1' });
    expect({
      me: await tab.trpc.auth.me.query(),
      again: await failure(
        t
          .client()
          .trpc.auth.signUp.mutate({ email: 'self@limits.test', name: 'Sam Again', password: 'Own-account-pass-2' }),
      ),
    }).toEqual({
      me: { id: expect.any(String), email: 'self@limits.test', name: 'Sam Self', roles: ['user'] },
      again: {
        code: 'CONFLICT',
        message: 'email: An account with this email already exists. Sign in or reset your password.',
      },
    });
  });
});
