/**
 * Choosing a password, as a newcomer and as someone changing or resetting theirs: the pages can
 * state the rules before the first try (auth.options), a new password equal to the current one is
 * refused with the field named, and accepting an invite signs the person in (they just proved who
 * they are with the link and chose a password, so a sign-in form would only ask it again).
 */
import { failure, startTestApp, type TestApp } from '@goalpost/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ PASSWORD_MIN_LENGTH: '12', RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000' });
});
afterAll(() => t?.close());

it('tells the pages the password rules before anyone tries one', async () => {
  expect(await t.client().trpc.auth.options.query()).toEqual({ signupEnabled: false, passwordMinLength: 12 });
});

it('signs the person in when they accept an invite', async () => {
  await (await t.admin()).trpc.users.create.mutate({ email: 'newcomer@pw.test', name: 'New Comer', roles: ['user'] });
  const token = await t.mailedToken('newcomer@pw.test', 'invite');
  const tab = t.client();
  const accepted = await tab.trpc.auth.acceptInvite.mutate({ token, password: 'Brand-new-passphrase' });
  const me = await tab.trpc.auth.me.query();
  const [row] = await t.app.services.orm.em
    .fork()
    .execute<{ signed_in: boolean }[]>(
      `select last_login_at is not null as signed_in from users where email = 'newcomer@pw.test'`,
    );
  expect({ accepted, me, cookie: tab.setCookies.at(-1)?.split(';')[1]?.trim(), row }).toEqual({
    accepted: { ok: true, email: 'newcomer@pw.test' },
    me: expect.objectContaining({ email: 'newcomer@pw.test', name: 'New Comer', roles: ['user'] }),
    cookie: 'HttpOnly',
    row: { signed_in: true },
  });
});

it('refuses the current password as the new one, on the account page and through a reset link', async () => {
  const tab = await t.activeUser({ email: 'same@pw.test', name: 'Sam Same', password: 'Steady-old-passphrase' });
  const change = await failure(
    tab.trpc.auth.changePassword.mutate({
      currentPassword: 'Steady-old-passphrase',
      newPassword: 'Steady-old-passphrase',
    }),
  );
  await t.client().trpc.auth.requestPasswordReset.mutate({ email: 'same@pw.test' });
  const token = await t.mailedToken('same@pw.test', 'password-reset');
  const reset = await failure(t.client().trpc.auth.resetPassword.mutate({ token, password: 'Steady-old-passphrase' }));
  // The link is not spent by the refusal: the person can still choose another password with it.
  const retried = await t.client().trpc.auth.resetPassword.mutate({ token, password: 'Entirely-new-passphrase' });
  expect({ change, reset, retried }).toEqual({
    change: { code: 'BAD_REQUEST', message: 'newPassword: This is your current password. Choose a new one.' },
    reset: { code: 'BAD_REQUEST', message: 'password: This is your current password. Choose a new one.' },
    retried: { ok: true },
  });
});
