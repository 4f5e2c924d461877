/**
 * The lockout against guesses that arrive together. A burst of sign-ins from many addresses used
 * to read "not locked" in every request before any failure was written, so all ten that the
 * per-account rate limit let through had their password checked (nine wrong guesses), and a correct
 * one among them got a session while the same burst locked the account. Now every request reserves
 * an attempt in one SQL statement before its password is checked, so at most LOCKOUT_THRESHOLD real
 * passwords are checked per burst, and a burst ends either with the account locked or with a
 * session, never both.
 *
 * The bursts go to a real server over HTTP, each request from its own address (TRUST_PROXY=1, so
 * the server takes the client address from X-Forwarded-For); the checks are counted from the
 * login_attempts rows, whose reason says whether the stored password hash was verified.
 */
import { failure, startTestApp, type TestApp, type TestClient } from '@goalpost/testing';
import { rawCall } from '@goalpost/testing/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestApp;
let admin: TestClient;
beforeAll(async () => {
  t = await startTestApp({ TRUST_PROXY: '1' });
  admin = await t.admin();
});
afterAll(() => t?.close());

/** Reasons of login_attempts rows whose request verified the account's real password hash. */
const CHECKED = ['wrong-password', 'ok', 'locked-while-checking', 'deactivated'];

async function sql<T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
  return t.app.services.orm.em.fork().execute(query, params) as Promise<T[]>;
}

/** A user who accepted their invite and has not signed in yet (no attempt counted against them). */
async function invitedAndAccepted(email: string, password = 'Correct-horse-battery-9') {
  await admin.trpc.users.create.mutate({ email, name: 'Bea Burst', roles: ['user'] });
  // Read from the captured mail directly: signing the admin in for each user would spend the
  // admin's own per-account sign-in limit.
  const [mail] = await sql<{ text: string }>(
    "select text from mail_messages where to_address = ? and kind = 'invite'",
    [email],
  );
  const token = new URL(mail!.text.match(/https?:\/\/\S+/)![0]).searchParams.get('token')!;
  await t.client().trpc.auth.acceptInvite.mutate({ token, password });
  // Accepting signs that browser in; this person's sessions must all come from the burst.
  await sql('delete from sessions where user_id = (select id from users where email = ?)', [email]);
  return { email, password };
}

/** One sign-in from its own address, as raw HTTP: the error code, or 'ok'. */
async function signInFrom(ip: string, email: string, password: string): Promise<string> {
  const answer = await rawCall(t.url, 'auth.login', {
    input: { email, password },
    headers: { Origin: t.url, 'X-Forwarded-For': ip },
  });
  return answer.code ?? 'ok';
}

/** 30 sign-ins at once, each from its own address; the correct password is the `correctAt`-th. */
async function burst(email: string, password: string, correctAt: number | null, subnet: number) {
  return Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      signInFrom(`198.51.${subnet}.${i + 1}`, email, i === correctAt ? password : `burst-guess-${i}-wrong`),
    ),
  );
}

async function outcomeFor(email: string) {
  const [user] = await sql<{ id: string; locked: boolean }>(
    'select id, locked_at is not null as locked from users where email = ?',
    [email],
  );
  const attempts = await sql<{ reason: string; n: string }>(
    'select reason, count(*) as n from login_attempts where email = ? group by reason',
    [email],
  );
  const sessions = await sql('select 1 from sessions where user_id = ?', [user!.id]);
  const lockAudits = await sql("select 1 from audit_events where subject_user_id = ? and action = 'user.locked'", [
    user!.id,
  ]);
  return {
    passwordChecks: attempts.filter((a) => CHECKED.includes(a.reason)).reduce((sum, a) => sum + Number(a.n), 0),
    locked: user!.locked,
    sessions: sessions.length,
    lockAudits: lockAudits.length,
  };
}

describe('a burst of sign-ins from many addresses', () => {
  it('checks at most 5 wrong passwords and locks the account', async () => {
    const user = await invitedAndAccepted('burst-wrong@lockout.test');
    const codes = await burst(user.email, user.password, null, 10);
    expect({
      ...(await outcomeFor(user.email)),
      limited: codes.filter((c) => c === 'TOO_MANY_REQUESTS').length,
    }).toEqual({
      passwordChecks: 5,
      locked: true,
      sessions: 0,
      lockAudits: 1,
      limited: 20, // RATE_LIMIT_LOGIN_PER_ACCOUNT lets 10 of the 30 through
    });
  });

  it('either signs the right password in before the lock, or locks having checked at most 5 passwords', async () => {
    // Where the right password falls in the burst decides which way it ends, so run a few. (A
    // sign-in ends the run of failures: guesses arriving after it would start a new run.)
    const results = [];
    for (const [index, correctAt] of [0, 4, 9, 17].entries()) {
      const user = await invitedAndAccepted(`burst-mixed-${index}@lockout.test`);
      await burst(user.email, user.password, correctAt, 20 + index);
      const { passwordChecks, locked, sessions } = await outcomeFor(user.email);
      results.push(
        sessions ? { signedIn: true, locked } : { signedIn: false, locked, atMostFiveChecks: passwordChecks <= 5 },
      );
    }
    expect(results).toEqual(
      results.map((r) =>
        r.signedIn ? { signedIn: true, locked: false } : { signedIn: false, locked: true, atMostFiveChecks: true },
      ),
    );
  });
});

it('answers a burst against an unknown email as it answers one against a real account', async () => {
  const user = await invitedAndAccepted('burst-real@lockout.test');
  const [real, unknown] = await Promise.all([
    burst(user.email, user.password, null, 40),
    burst('burst-ghost@lockout.test', 'whatever-it-is', null, 41),
  ]);
  const tally = (codes: string[]) =>
    Object.fromEntries(
      ['UNAUTHORIZED', 'FORBIDDEN', 'TOO_MANY_REQUESTS'].map((c) => [c, codes.filter((x) => x === c).length]),
    );
  expect({ real: tally(real), unknown: tally(unknown) }).toEqual({
    real: { UNAUTHORIZED: 4, FORBIDDEN: 6, TOO_MANY_REQUESTS: 20 },
    unknown: { UNAUTHORIZED: 4, FORBIDDEN: 6, TOO_MANY_REQUESTS: 20 },
  });
});

/**
 * Anyone can lock any account, the only admin's included, with five guesses. A reset through the
 * mailed link proves the person holds the mailbox, so it ends the lock too; admins are told (an
 * audit event in the user's history and a mail to each active admin), because a lock marks a
 * possible attack someone should look at.
 */
describe('a locked account', () => {
  const LOCKED =
    'This account is locked after too many failed sign-in attempts. Reset your password to unlock it, or ask an administrator.';

  it('is unlocked by a reset through the mailed link, audited, and every active admin is mailed', async () => {
    const second = await invitedAndAccepted('second-admin@lockout.test');
    const gone = await invitedAndAccepted('gone-admin@lockout.test');
    for (const email of [second.email, gone.email]) {
      const [row] = await sql<{ id: string }>('select id from users where email = ?', [email]);
      await admin.trpc.users.assignRole.mutate({ userId: row!.id, role: 'admin' });
      if (email === gone.email) await admin.trpc.users.deactivate.mutate({ userId: row!.id });
    }
    const user = await invitedAndAccepted('reset-unlocks@lockout.test');
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push(await signInFrom('198.51.50.1', user.email, `wrong-guess-${i}-x`));
    const whileLocked = await failure(t.client().trpc.auth.login.mutate(user));
    await t.client().trpc.auth.requestPasswordReset.mutate({ email: user.email });
    const token = await t.mailedToken(user.email, 'password-reset');
    await t.client().trpc.auth.resetPassword.mutate({ token, password: 'Freshly-chosen-pass-77' });
    const tab = t.client();
    await tab.trpc.auth.login.mutate({ email: user.email, password: 'Freshly-chosen-pass-77' });
    const [row] = await sql<{ id: string; failed_login_count: number; locked: boolean }>(
      'select id, failed_login_count, locked_at is not null as locked from users where email = ?',
      [user.email],
    );
    const audit = await sql<{ action: string; actor: string | null }>(
      `select a.action, u.email as actor from audit_events a left join users u on u.id = a.actor_id
       where a.subject_user_id = ? and a.action like any (array['user.%lock%', 'password.%']) order by a.id`,
      [row!.id],
    );
    const notices = await sql<{ to_address: string; subject: string; text: string }>(
      "select to_address, subject, text from mail_messages where kind = 'account-unlocked' order by to_address",
    );
    expect({
      codes,
      whileLocked,
      signedIn: (await tab.trpc.auth.me.query())?.email,
      row: { failed_login_count: row!.failed_login_count, locked: row!.locked },
      audit,
      notices: notices.map((n) => ({ to: n.to_address, subject: n.subject, namesUser: n.text.includes(user.email) })),
    }).toEqual({
      codes: ['UNAUTHORIZED', 'UNAUTHORIZED', 'UNAUTHORIZED', 'UNAUTHORIZED', 'FORBIDDEN'],
      whileLocked: { code: 'FORBIDDEN', message: LOCKED },
      signedIn: user.email,
      row: { failed_login_count: 0, locked: false },
      audit: [
        { action: 'user.locked', actor: null },
        { action: 'password.reset-requested', actor: null },
        { action: 'password.reset', actor: user.email },
        { action: 'user.unlocked-by-reset', actor: user.email },
      ],
      notices: [
        { to: 'admin@goalpost.test', subject: 'Goalpost: Bea Burst unlocked their account', namesUser: true },
        { to: second.email, subject: 'Goalpost: Bea Burst unlocked their account', namesUser: true },
      ],
    });
  });

  it('tells a deactivated person who knows their password that the account is deactivated, and nobody else', async () => {
    const user = await invitedAndAccepted('deactivated@lockout.test');
    const [row] = await sql<{ id: string }>('select id from users where email = ?', [user.email]);
    await admin.trpc.users.deactivate.mutate({ userId: row!.id });
    expect({
      rightPassword: await failure(t.client().trpc.auth.login.mutate(user)),
      wrongPassword: await failure(
        t.client().trpc.auth.login.mutate({ email: user.email, password: 'not-their-password-1' }),
      ),
      unknownEmail: await failure(
        t.client().trpc.auth.login.mutate({ email: 'never-was@lockout.test', password: 'not-their-password-1' }),
      ),
    }).toEqual({
      rightPassword: {
        code: 'FORBIDDEN',
        message: 'This account has been deactivated. Ask an administrator to reactivate it.',
      },
      wrongPassword: {
        code: 'UNAUTHORIZED',
        message: 'That email and password do not match. Check both, or reset your password.',
      },
      unknownEmail: {
        code: 'UNAUTHORIZED',
        message: 'That email and password do not match. Check both, or reset your password.',
      },
    });
  });
});
