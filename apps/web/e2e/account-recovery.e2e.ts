/**
 * Journeys of getting back in: a person who forgot their password resets it from the sign-in page
 * (the link arrives in the in-app outbox, as on a first run without a mail server); a person locked
 * out by failed attempts sees why, and an admin unlocks them from the users list.
 */
import { ADMIN, type TestApp } from '@goalpost/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeJourney, startJourney } from './browser.ts';

let t: TestApp;
let browser: Browser;
beforeAll(async () => {
  [t, browser] = await startJourney();
});
afterAll(() => closeJourney(t, browser));

/** Registers and activates a user through the API: set-up, not the journey under test. */
async function activeUser(email: string, name: string, password: string) {
  await t.activeUser({ email, name, password });
}

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

it('resets a forgotten password through the emailed link and signs in with the new one', async () => {
  await activeUser('forgetful@journey.test', 'Frances Forgetful', 'Original-secret-phrase');
  const person = await (await browser.newContext({ baseURL: t.url })).newPage();
  await person.goto('/sign-in');
  await person.getByRole('link', { name: 'Forgot password?' }).click();
  await person.getByLabel('Email').fill('forgetful@journey.test');
  await person.getByRole('button', { name: 'Send reset link' }).click();
  await person.getByText('If an account exists for that email, we have sent a link to reset the password.').waitFor();

  const admin = await (await browser.newContext({ baseURL: t.url })).newPage();
  await admin.goto('/sign-in');
  await signIn(admin, ADMIN.email, ADMIN.password);
  await admin.getByRole('link', { name: 'Outbox' }).click();
  await admin.getByLabel('Search by recipient').fill('forgetful@journey.test');
  await admin.getByRole('cell', { name: 'Reset your Goalpost password' }).click();
  const resetLink = await admin.locator('a[href*="/reset-password?token="]').first().getAttribute('href');

  await person.goto(resetLink!);
  await person.getByLabel('New password', { exact: true }).fill('Brand-new-secret-phrase');
  await person.getByLabel('Confirm password', { exact: true }).fill('Brand-new-secret-phrase');
  await person.getByRole('button', { name: 'Set password' }).click();
  await person.waitForURL('**/sign-in?notice=password-reset');
  await signIn(person, 'forgetful@journey.test', 'Original-secret-phrase');
  const oldRefused = await person.getByRole('alert').first().textContent();
  await signIn(person, 'forgetful@journey.test', 'Brand-new-secret-phrase');
  await person.waitForURL('**/goals');
  await person.getByRole('link', { name: 'Account' }).click();
  await person.getByRole('main').getByText('forgetful@journey.test').first().waitFor();

  const reused = await (await browser.newContext({ baseURL: t.url })).newPage();
  await reused.goto(resetLink!);
  const reuseMessage = await reused.getByText('This link is invalid, already used or expired.').first().textContent();
  expect({ oldRefused, reuseMessage }).toEqual({
    oldRefused: 'That email and password do not match. Check both, or reset your password.',
    reuseMessage: expect.stringContaining('This link is invalid, already used or expired.'),
  });
});

it('tells a locked-out person why, and an admin unlocks them from the users list', async () => {
  await activeUser('clumsy@journey.test', 'Casey Clumsy', 'Remembered-phrase-42');
  const person = await (await browser.newContext({ baseURL: t.url })).newPage();
  await person.goto('/sign-in');
  for (let i = 0; i < 5; i++) await signIn(person, 'clumsy@journey.test', `Wrong-guess-${i}-phrase`);
  const lockedAlert = person.getByText('This account is locked after too many failed sign-in attempts.', {
    exact: false,
  });
  await lockedAlert.first().waitFor();

  const admin = await (await browser.newContext({ baseURL: t.url })).newPage();
  await admin.goto('/sign-in');
  await signIn(admin, ADMIN.email, ADMIN.password);
  await admin.waitForURL('**/goals');
  await admin.getByRole('link', { name: 'Users' }).click();
  await admin.waitForURL('**/admin/users');
  await admin.getByLabel('Status').selectOption({ label: 'Locked' });
  await admin.getByRole('cell', { name: 'clumsy@journey.test' }).click();
  await admin.getByRole('button', { name: 'Unlock' }).click();
  await admin.getByText('Unlocked. They can sign in again.').waitFor();

  await signIn(person, 'clumsy@journey.test', 'Remembered-phrase-42');
  await person.waitForURL('**/goals');
  const audit = await t.app.services.orm.em.fork().execute<{ action: string }[]>(
    `select a.action from audit_events a join users u on u.id = a.subject_user_id
       where u.email = 'clumsy@journey.test' and a.action in ('user.locked', 'user.unlocked') order by a.id`,
  );
  expect(audit.map((a) => a.action)).toEqual(['user.locked', 'user.unlocked']);
});
