/**
 * Journey: the first admin signs in, bulk-registers people from a CSV file (with the dry run and
 * the progress of the commit job), finds one invitation in the in-app outbox, and that person
 * accepts it, sets a password and signs in. Real server, real PostgreSQL, real Chromium.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN, startTestApp, type TestApp } from '@goalpost/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from './browser.ts';

let t: TestApp;
let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'goalpost-e2e-'));

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestApp(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('admin bulk-registers users from CSV; a new user accepts the invite and signs in', async () => {
  const csvPath = join(dir, 'team.csv');
  const people = Array.from(
    { length: 40 },
    (_, i) => `member${i}@team.test,Member ${i},${i === 7 ? 'accountant;user' : 'user'}`,
  );
  writeFileSync(csvPath, `email,name,roles\n${people.join('\n')}\n`);

  const adminContext = await browser.newContext({ baseURL: t.url });
  const page = await adminContext.newPage();
  await page.goto('/');
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/goals');
  await page.getByRole('link', { name: 'Users' }).click();
  await page.waitForURL('**/admin/users');

  await page.getByRole('button', { name: 'Bulk import' }).click();
  await page.getByLabel('CSV file').setInputFiles(csvPath);
  await page.getByRole('button', { name: 'Check file' }).click();
  await page.getByRole('button', { name: 'Register 40 users' }).click();
  await page.getByText('Registered 40 users.').waitFor();
  const progress = page.getByRole('progressbar', { name: 'Import progress' });
  const finalProgress = {
    now: await progress.getAttribute('aria-valuenow'),
    max: await progress.getAttribute('aria-valuemax'),
  };

  await page.getByRole('link', { name: 'Outbox' }).click();
  await page.getByLabel('Search by recipient').fill('member7@team.test');
  await page.getByRole('cell', { name: 'member7@team.test' }).click();
  const inviteLink = await page.locator('a[href*="/accept-invite?token="]').first().getAttribute('href');
  await adminContext.close();

  const newcomer = await (await browser.newContext({ baseURL: t.url })).newPage();
  await newcomer.goto(inviteLink!);
  await newcomer.getByLabel('New password').fill('Seventh-newcomer-pass-9');
  await newcomer.getByLabel('Confirm password').fill('Seventh-newcomer-pass-9');
  await newcomer.getByRole('button', { name: 'Set password' }).click();
  await newcomer.waitForURL('**/sign-in?notice=password-set');
  const notice = await newcomer
    .getByText('Your password is set. Sign in to continue.')
    .waitFor()
    .then(() => true);
  await newcomer.getByLabel('Email').fill('member7@team.test');
  await newcomer.getByLabel('Password').fill('Seventh-newcomer-pass-9');
  await newcomer.getByRole('button', { name: 'Sign in' }).click();
  await newcomer.waitForURL('**/goals');
  await newcomer.getByRole('link', { name: 'Account' }).click();
  await newcomer.getByRole('main').getByText('member7@team.test').first().waitFor();
  const accountText = (await newcomer.getByRole('main').textContent()) ?? '';

  const [row] = await t.app.services.orm.em.fork().execute<{ registered: string; active: string }[]>(
    `select count(*) filter (where email like '%@team.test') as registered,
              count(*) filter (where email = 'member7@team.test' and status = 'active') as active from users`,
  );
  expect({
    finalProgress,
    inviteLink: new URL(inviteLink!).pathname,
    notice,
    signedInAs: accountText.includes('Member 7') && accountText.includes('member7@team.test'),
    row,
  }).toEqual({
    finalProgress: { now: '40', max: '40' },
    inviteLink: '/accept-invite',
    notice: true,
    signedInAs: true,
    row: { registered: '40', active: '1' },
  });
});
