/**
 * The operator's way back in when no admin can sign in: five wrong guesses lock the only admin,
 * and nobody is left to press Unlock. `npm run admin -- unlock <email>` and
 * `npm run admin -- reset-link <email>` run on the server's machine against its database (found as
 * the server finds it); both are audited with no actor and `via: 'cli'`. The commands run here as
 * child processes, as an operator runs them, against this file's test database.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { ADMIN, failure, startTestApp, type TestApp } from '@goalpost/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

let t: TestApp;
beforeAll(async () => {
  // Locking the admin twice takes more sign-ins than the default per-account limit allows.
  t = await startTestApp({ RATE_LIMIT_LOGIN_PER_ACCOUNT: '100' });
});
afterAll(() => t?.close());

/** Runs the admin command with the server's configuration; its exit code and output. */
function admin(...args: string[]): Promise<{ code: number; out: string }> {
  const env = {
    ...process.env,
    DATABASE_URL: t.app.services.orm.config.get('clientUrl'),
    PUBLIC_URL: t.url,
    LOG_LEVEL: 'silent',
  };
  return new Promise((done) => {
    execFile(process.execPath, [resolve(import.meta.dirname, 'admin.ts'), ...args], { env }, (error, stdout, stderr) =>
      done({ code: error ? Number(error.code ?? 1) : 0, out: `${stdout}${stderr}`.trim() }),
    );
  });
}

async function lockTheAdmin() {
  for (let i = 0; i < 5; i++)
    await failure(t.client().trpc.auth.login.mutate({ ...ADMIN, password: `guess-${i}-wrong` }));
  return (await failure(t.client().trpc.auth.login.mutate(ADMIN))).code;
}

async function cliAudit() {
  return t.app.services.orm.em
    .fork()
    .execute<{ action: string; actor_id: string | null; data: Record<string, unknown> }[]>(
      "select action, actor_id, data from audit_events where data->>'via' = 'cli' order by id",
    );
}

it('unlocks a locked-out last admin', async () => {
  const before = await lockTheAdmin();
  const run = await admin('unlock', ADMIN.email.toUpperCase());
  const tab = t.client();
  await tab.trpc.auth.login.mutate(ADMIN);
  expect({ before, run, after: (await tab.trpc.auth.me.query())?.email, audit: await cliAudit() }).toEqual({
    before: 'FORBIDDEN',
    run: { code: 0, out: `Unlocked ${ADMIN.email}: they can sign in again.` },
    after: ADMIN.email,
    audit: [{ action: 'user.unlocked', actor_id: null, data: { wasLocked: true, via: 'cli' } }],
  });
});

it('prints a reset link that sets a new password and ends the lock', async () => {
  await lockTheAdmin();
  const run = await admin('reset-link', ADMIN.email);
  const url = run.out.match(/https?:\/\/\S+/)?.[0] ?? '';
  const token = new URL(url, t.url).searchParams.get('token') ?? '';
  await t.client().trpc.auth.resetPassword.mutate({ token, password: 'Operator-reset-pass-88' });
  const tab = t.client();
  await tab.trpc.auth.login.mutate({ email: ADMIN.email, password: 'Operator-reset-pass-88' });
  expect({
    code: run.code,
    link: url.startsWith(`${t.url}/reset-password?token=`),
    after: (await tab.trpc.auth.me.query())?.email,
    audit: (await cliAudit()).map((a) => [a.action, a.actor_id, a.data]),
  }).toEqual({
    code: 0,
    link: true,
    after: ADMIN.email,
    audit: [
      ['user.unlocked', null, { wasLocked: true, via: 'cli' }],
      ['password.reset-link-issued', null, { via: 'cli' }],
    ],
  });
});

it('explains what it needs, and refuses an unknown email', async () => {
  expect({
    noArguments: await admin(),
    unknownCommand: await admin('promote', ADMIN.email),
    unknownEmail: await admin('unlock', 'nobody@goalpost.test'),
  }).toEqual({
    noArguments: {
      code: 2,
      out: 'Usage: npm run admin -- unlock <email>      end a lockout\n       npm run admin -- reset-link <email>  print a single-use link to set a new password',
    },
    unknownCommand: {
      code: 2,
      out: 'Usage: npm run admin -- unlock <email>      end a lockout\n       npm run admin -- reset-link <email>  print a single-use link to set a new password',
    },
    unknownEmail: { code: 1, out: 'No user has the email nobody@goalpost.test.' },
  });
});
