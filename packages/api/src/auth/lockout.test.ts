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
import { startTestApp, type TestApp, type TestClient } from '@goalpost/server/testing';
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
  return { email, password };
}

/** One sign-in from its own address, as raw HTTP: the error code, or 'ok'. */
async function signInFrom(ip: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${t.url}/trpc/auth.login`, {
    method: 'POST',
    headers: { Origin: t.url, 'Content-Type': 'application/json', 'X-Forwarded-For': ip },
    body: JSON.stringify({ email, password }),
  });
  const body = (await res.json()) as { error?: { data: { code: string } } };
  return body.error?.data.code ?? 'ok';
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

  it('never both locks the account and gives the correct password among the guesses a session', async () => {
    // Where the correct password falls in the burst decides which way it ends; run a few bursts.
    const results = [];
    for (const [index, correctAt] of [0, 4, 9, 17].entries()) {
      const user = await invitedAndAccepted(`burst-mixed-${index}@lockout.test`);
      await burst(user.email, user.password, correctAt, 20 + index);
      const { passwordChecks, locked, sessions } = await outcomeFor(user.email);
      results.push({ atMostFiveChecks: passwordChecks <= 5, lockedOrSignedIn: Number(locked) + sessions });
    }
    expect(results).toEqual(Array(4).fill({ atMostFiveChecks: true, lockedOrSignedIn: 1 }));
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
