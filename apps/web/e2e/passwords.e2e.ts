/**
 * Journey: choosing a new password as a person would, in real Chromium. The sign-in page puts the
 * cursor in Email; the account page and a reset link state the rules before the first try, refuse
 * the current password as the new one (beside the field), and drop that verdict as soon as the
 * field changes.
 */
import type { TestApp } from '@goalpost/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeJourney, screens, startJourney } from './browser.ts';

let t: TestApp;
let browser: Browser;
beforeAll(async () => {
  [t, browser] = await startJourney({ PASSWORD_MIN_LENGTH: '12' });
  await t.activeUser({ email: 'sam@pw.test', name: 'Sam Steady', password: 'Quiet-harbour-pass-1' });
});
afterAll(() => closeJourney(t, browser));

const RULES =
  'Use at least 12 characters. Very common passwords, and ones containing your name or email address, are refused.';
const SAME = 'This is your current password. Choose a new one.';

it('states the rules, refuses the current password and forgets the verdict once the field changes', async () => {
  const page = await (await browser.newContext({ baseURL: t.url })).newPage();
  await page.goto('/sign-in');
  await page.getByLabel('Email').waitFor();
  const focused = await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name);
  await page.keyboard.type('sam@pw.test');
  await page.getByLabel('Password').fill('Quiet-harbour-pass-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/goals');
  await page.getByRole('link', { name: 'Account' }).click();
  await page.waitForURL('**/account');

  const rules = await page.getByText(RULES).textContent();
  await page.getByLabel('Current password', { exact: true }).fill('Quiet-harbour-pass-1');
  await page.getByLabel('New password', { exact: true }).fill('Quiet-harbour-pass-1');
  await page.getByLabel('Confirm password', { exact: true }).fill('Quiet-harbour-pass-1');
  await page.getByRole('button', { name: 'Change password' }).click();
  const refused = await page.getByRole('alert').textContent();
  await screens(page, 'account-password-refused');
  await page.getByLabel('New password', { exact: true }).press('End');
  await page.keyboard.type('!');
  const afterTyping = await page.getByRole('alert').count();
  await page.context().close();

  await t.client().trpc.auth.requestPasswordReset.mutate({ email: 'sam@pw.test' });
  const token = await t.mailedToken('sam@pw.test', 'password-reset');
  const reset = await (await browser.newContext({ baseURL: t.url })).newPage();
  await reset.goto(`/reset-password?token=${token}`);
  const resetRules = await reset.getByText(RULES).textContent();
  await reset.getByLabel('New password', { exact: true }).fill('Quiet-harbour-pass-1');
  await reset.getByLabel('Confirm password', { exact: true }).fill('Quiet-harbour-pass-1');
  await reset.getByRole('button', { name: 'Set password' }).click();
  const resetRefused = await reset.getByRole('alert').textContent();
  await screens(reset, 'reset-password-refused');
  await reset.getByLabel('New password', { exact: true }).fill('Another-harbour-pass-2');
  const resetAfterTyping = await reset.getByRole('alert').count();
  await reset.context().close();

  expect({ focused, rules, refused, afterTyping, resetRules, resetRefused, resetAfterTyping }).toEqual({
    focused: 'email',
    rules: RULES,
    refused: SAME,
    afterTyping: 0,
    resetRules: RULES,
    resetRefused: SAME,
    resetAfterTyping: 0,
  });
});
