/**
 * Sign-in, lockout, sessions and password reset, end to end over HTTP against the real server
 * and a real PostgreSQL. Time-dependent rules (reset links expire after 30 minutes) use a manual
 * clock handed to the app, never sleeps.
 */
import { ManualClock } from '@goalpost/api';
import { ADMIN, failure, startTestApp, type TestApp } from '@goalpost/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from './token.ts';

let t: TestApp;
const clock = new ManualClock(new Date());
beforeAll(async () => {
  t = await startTestApp({}, { clock });
});
afterAll(() => t?.close());

const WRONG = 'That email and password do not match. Check both, or reset your password.';
const LOCKED =
  'This account is locked after too many failed sign-in attempts. Reset your password to unlock it, or ask an administrator.';

async function sql<T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
  return t.app.services.orm.em.fork().execute(query, params) as Promise<T[]>;
}

async function invite(email: string) {
  await (await t.admin()).trpc.users.create.mutate({ email, name: 'Test Person', roles: ['user'] });
  return t.mailedToken(email, 'invite');
}

/** A user with a password, ready to sign in (not yet signed in: no attempt counted against them). */
async function activeUser(email: string, password = 'Correct-horse-battery-9') {
  await t.client().trpc.auth.acceptInvite.mutate({ token: await invite(email), password });
  return { email, password };
}

describe('sign in and sessions', () => {
  it('sets an HttpOnly SameSite=Lax cookie whose token is stored only as its SHA-256', async () => {
    const tab = t.client();
    await tab.trpc.auth.login.mutate(ADMIN);
    const cookie = tab.setCookies.at(-1)!;
    const token = tab.cookies.get('goalpost_session')!;
    const rows = await sql<{ id: string }>('select id from sessions');
    expect({
      flags: cookie.split('; ').slice(1, 4),
      me: await tab.trpc.auth.me.query(),
      storedAsHash: rows.some((r) => r.id === hashToken(token)),
      storedInClear: rows.some((r) => r.id === token),
    }).toEqual({
      flags: ['HttpOnly', 'SameSite=Lax', 'Path=/'],
      me: { id: expect.any(String), email: ADMIN.email, name: 'Administrator', roles: ['admin', 'user'] },
      storedAsHash: true,
      storedInClear: false,
    });
  });

  it('answers a wrong password and an unknown email alike', async () => {
    expect({
      wrongPassword: await failure(
        t.client().trpc.auth.login.mutate({ email: ADMIN.email, password: 'not-the-password' }),
      ),
      unknownEmail: await failure(
        t.client().trpc.auth.login.mutate({ email: 'nobody@goalpost.test', password: 'whatever-123' }),
      ),
    }).toEqual({
      wrongPassword: { code: 'UNAUTHORIZED', message: WRONG },
      unknownEmail: { code: 'UNAUTHORIZED', message: WRONG },
    });
  });

  it('locks after 5 consecutive failures, audits it, and an admin unlock lets the user in again', async () => {
    const user = await activeUser('lockme@goalpost.test');
    const outcomes = [];
    for (let i = 0; i < 5; i++) {
      outcomes.push(
        await failure(t.client().trpc.auth.login.mutate({ email: user.email, password: `wrong-${i}-password` })),
      );
    }
    const withRightPassword = await failure(t.client().trpc.auth.login.mutate(user));
    const admin = await t.admin();
    const { items } = await admin.trpc.users.list.query({ status: 'locked' });
    const locked = items.find((u) => u.email === user.email)!;
    await admin.trpc.users.unlock.mutate({ userId: locked.id });
    const tab = t.client();
    await tab.trpc.auth.login.mutate(user);
    const audit = await sql<{ action: string }>(
      'select action from audit_events where subject_user_id = ? order by id',
      [locked.id],
    );
    expect({
      codes: outcomes.map((o) => o.code),
      fifth: outcomes[4]!.message,
      withRightPassword,
      listedAsLocked: locked.locked,
      afterUnlock: (await tab.trpc.auth.me.query())?.email,
      audit: audit.map((a) => a.action),
    }).toEqual({
      codes: ['UNAUTHORIZED', 'UNAUTHORIZED', 'UNAUTHORIZED', 'UNAUTHORIZED', 'FORBIDDEN'],
      fifth: LOCKED,
      withRightPassword: { code: 'FORBIDDEN', message: LOCKED },
      listedAsLocked: true,
      afterUnlock: user.email,
      audit: ['user.invited', 'mail.viewed', 'user.invite-accepted', 'user.locked', 'user.unlocked'],
    });
  });

  it('locks even when the wrong guesses arrive all at once', async () => {
    const user = await activeUser('parallel@goalpost.test');
    const codes = await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        failure(t.client().trpc.auth.login.mutate({ email: user.email, password: `parallel-guess-${i}` })).then(
          (f) => f.code,
        ),
      ),
    );
    const [row] = await sql<{ failed_login_count: number; locked: boolean }>(
      'select failed_login_count, locked_at is not null as locked from users where email = ?',
      [user.email],
    );
    const audits = await sql(
      "select 1 from audit_events a join users u on u.id = a.subject_user_id where u.email = ? and a.action = 'user.locked'",
      [user.email],
    );
    expect({
      forbidden: codes.filter((c) => c === 'FORBIDDEN').length,
      row,
      lockAudits: audits.length,
      rightPassword: (await failure(t.client().trpc.auth.login.mutate(user))).code,
    }).toEqual({
      forbidden: 5,
      // Each guess reserves an attempt before its password is checked; the sixth finds none left.
      row: { failed_login_count: 5, locked: true },
      lockAudits: 1,
      rightPassword: 'FORBIDDEN',
    });
  });

  it('treats a real and an unknown email alike however far apart the failures are', async () => {
    const user = await activeUser('patient@goalpost.test');
    const codes: Record<string, string[]> = { real: [], unknown: [] };
    for (let i = 0; i < 5; i++) {
      if (i === 4) await clock.advance(25 * 3_600_000);
      for (const [key, email] of [
        ['real', user.email],
        ['unknown', 'patient-ghost@goalpost.test'],
      ] as const) {
        codes[key]!.push(
          (await failure(t.client().trpc.auth.login.mutate({ email, password: `slow-guess-${i}-x` }))).code,
        );
      }
    }
    expect(codes.real).toEqual(['UNAUTHORIZED', 'UNAUTHORIZED', 'UNAUTHORIZED', 'UNAUTHORIZED', 'FORBIDDEN']);
    expect(codes.unknown).toEqual(codes.real);
  });

  it('gives an unknown email the same lock message after 5 failures, so lockout does not reveal accounts', async () => {
    const codes = [];
    for (let i = 0; i < 6; i++) {
      codes.push(
        (
          await failure(
            t.client().trpc.auth.login.mutate({ email: 'ghost@goalpost.test', password: `guess-${i}-guess` }),
          )
        ).code,
      );
    }
    expect(codes).toEqual(['UNAUTHORIZED', 'UNAUTHORIZED', 'UNAUTHORIZED', 'UNAUTHORIZED', 'FORBIDDEN', 'FORBIDDEN']);
  });

  it('revokes the session on logout: the old cookie no longer signs anyone in', async () => {
    const tab = await t.admin();
    const token = tab.cookies.get('goalpost_session')!;
    await tab.trpc.auth.logout.mutate();
    const replay = t.client();
    replay.cookies.set('goalpost_session', token);
    expect({
      // The logout answer clears the cookie, so the tab no longer holds it.
      tabStillHoldsCookie: tab.cookies.has('goalpost_session'),
      clearingHeader: tab.setCookies.at(-1)?.includes('Max-Age=0'),
      replayMe: await replay.trpc.auth.me.query(),
      replayProtected: (await failure(replay.trpc.users.list.query({}))).code,
      sessionRow: (await sql('select 1 from sessions where id = ?', [hashToken(token)])).length,
    }).toEqual({
      tabStillHoldsCookie: false,
      clearingHeader: true,
      replayMe: null,
      replayProtected: 'UNAUTHORIZED',
      sessionRow: 0,
    });
  });

  it('revokes every other session when the password changes', async () => {
    const user = await activeUser('changer@goalpost.test');
    const laptop = t.client();
    const phone = t.client();
    await laptop.trpc.auth.login.mutate(user);
    await phone.trpc.auth.login.mutate(user);
    await laptop.trpc.auth.changePassword.mutate({
      currentPassword: user.password,
      newPassword: 'A-brand-new-passphrase-7',
    });
    expect({
      laptop: (await laptop.trpc.auth.me.query())?.email,
      phone: await phone.trpc.auth.me.query(),
      oldPassword: (await failure(t.client().trpc.auth.login.mutate(user))).code,
    }).toEqual({ laptop: user.email, phone: null, oldPassword: 'UNAUTHORIZED' });
  });
});

describe('password reset', () => {
  async function requestLink(email: string): Promise<string> {
    await t.client().trpc.auth.requestPasswordReset.mutate({ email });
    return t.mailedToken(email, 'password-reset');
  }

  it('is single-use, signs out every session, and answers unknown emails the same way', async () => {
    const user = await activeUser('forgetful@goalpost.test');
    const signedIn = t.client();
    await signedIn.trpc.auth.login.mutate(user);
    const token = await requestLink(user.email);
    const anon = t.client().trpc.auth;
    const check = await anon.checkToken.query({ token, purpose: 'reset' });
    await anon.resetPassword.mutate({ token, password: 'Recovered-passphrase-42' });
    expect({
      check,
      unknown: await anon.requestPasswordReset.mutate({ email: 'who@goalpost.test' }),
      reuse: await failure(anon.resetPassword.mutate({ token, password: 'Another-passphrase-43' })),
      oldSession: await signedIn.trpc.auth.me.query(),
      newPassword: await t.client().trpc.auth.login.mutate({ email: user.email, password: 'Recovered-passphrase-42' }),
      storedHashes: (await sql('select 1 from password_reset_tokens where id = ?', [token])).length,
    }).toEqual({
      check: { valid: true, email: user.email, name: 'Test Person' },
      unknown: { ok: true },
      reuse: { code: 'BAD_REQUEST', message: 'This link is invalid, already used or expired. Ask for a new one.' },
      oldSession: null,
      newPassword: { ok: true },
      storedHashes: 0,
    });
  });

  it('expires after 30 minutes', async () => {
    const user = await activeUser('slow@goalpost.test');
    const token = await requestLink(user.email);
    await clock.advance(31 * 60_000);
    const anon = t.client().trpc.auth;
    expect({
      check: await anon.checkToken.query({ token, purpose: 'reset' }),
      reset: (await failure(anon.resetPassword.mutate({ token, password: 'Too-late-passphrase-1' }))).code,
    }).toEqual({ check: { valid: false }, reset: 'BAD_REQUEST' });
  });

  it('refuses short and common passwords with the reason', async () => {
    const token = await invite('weak@goalpost.test');
    const anon = t.client().trpc.auth;
    expect({
      short: await failure(anon.acceptInvite.mutate({ token, password: 'short' })),
      common: await failure(anon.acceptInvite.mutate({ token, password: 'password1234' })),
    }).toEqual({
      short: { code: 'BAD_REQUEST', message: 'password: Use at least 10 characters.' },
      common: {
        code: 'BAD_REQUEST',
        message: 'password: This password is one of the most common passwords. Choose another.',
      },
    });
  });
});

describe('invitations', () => {
  it('are single-use and expire after the configured days', async () => {
    const token = await invite('invitee@goalpost.test');
    const late = await invite('latecomer@goalpost.test');
    const anon = t.client().trpc.auth;
    await anon.acceptInvite.mutate({ token, password: 'Accepted-once-pass-1' });
    const reuse = (await failure(anon.acceptInvite.mutate({ token, password: 'Accepted-twice-pass-2' }))).code;
    await clock.advance(8 * 86_400_000);
    expect({
      reuse,
      expired: await anon.checkToken.query({ token: late, purpose: 'invite' }),
      expiredAccept: (await failure(anon.acceptInvite.mutate({ token: late, password: 'Too-late-pass-123' }))).code,
      wrongPurpose: await anon.checkToken.query({ token, purpose: 'reset' }),
    }).toEqual({
      reuse: 'BAD_REQUEST',
      expired: { valid: false },
      expiredAccept: 'BAD_REQUEST',
      wrongPurpose: { valid: false },
    });
  });
});

describe('request checks', () => {
  it('refuses state-changing requests whose Origin is missing or foreign (CSRF)', async () => {
    const msg =
      'Cross-site request refused: the Origin header does not match this site. Reload the page and try again.';
    expect({
      none: await failure(t.client({ origin: null }).trpc.auth.login.mutate(ADMIN)),
      foreign: await failure(t.client({ origin: 'https://evil.example' }).trpc.auth.login.mutate(ADMIN)),
    }).toEqual({ none: { code: 'FORBIDDEN', message: msg }, foreign: { code: 'FORBIDDEN', message: msg } });
  });

  it('refuses an admin mutation from a foreign Origin even with a valid session cookie', async () => {
    const admin = await t.admin();
    const forged = t.client({ origin: 'https://evil.example' });
    forged.cookies.set('goalpost_session', admin.cookies.get('goalpost_session')!);
    expect({
      forged: (
        await failure(forged.trpc.users.create.mutate({ email: 'forged@goalpost.test', name: 'F', roles: ['admin'] }))
      ).code,
      created: (await admin.trpc.users.list.query({ search: 'forged' })).total,
    }).toEqual({ forged: 'FORBIDDEN', created: 0 });
  });

  it('keeps self sign-up off by default', async () => {
    expect(
      await failure(
        t
          .client()
          .trpc.auth.signUp.mutate({ email: 'self@goalpost.test', name: 'Self', password: 'Self-service-pass-1' }),
      ),
    ).toEqual({ code: 'FORBIDDEN', message: 'Self sign-up is turned off. Ask an administrator for an invite.' });
  });
});
