/**
 * Journey: an admin with a real staff list and no mail server. The list has two bad rows and a
 * person who is already registered; the admin registers the good rows and skips the bad ones
 * (downloading the report, which says whose rows they are), chooses to update the existing person,
 * follows the commit job, and downloads the invite links as a CSV to hand out. A newcomer opens
 * their link from that file, sets a password and is signed in straight away. The invite captured
 * in the outbox for them now reads as replaced. Real server, real PostgreSQL, real Chromium.
 */
import { readFileSync } from 'node:fs';
import { ADMIN, type TestApp } from '@goalpost/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeJourney, startJourney } from './browser.ts';

let t: TestApp;
let browser: Browser;

beforeAll(async () => {
  [t, browser] = await startJourney();
  // Already registered, under an older name and role: the staff list will update them.
  await (await t.admin()).trpc.users.create.mutate({ email: 'member7@team.test', name: 'M. Seven', roles: ['user'] });
});
afterAll(() => closeJourney(t, browser));

/** Clicks a button that downloads a file and returns the file's text (without the BOM). */
async function download(page: Page, button: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  return readFileSync((await file.path())!, 'utf8').replace(/^\uFEFF/, '');
}

it('registers a staff list with problems and existing people, and hands out invite links without a mail server', async () => {
  const people = Array.from(
    { length: 40 },
    (_, i) => `member${i}@team.test,Member ${i},${i === 7 ? 'accountant;user' : 'user'}`,
  );
  const csv = `email,name,roles\n${people.join('\n')}\nnot-an-email,Bad Row,user\nmember40@team.test,,user\n`;

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
  await page.getByLabel('CSV file').setInputFiles({ name: 'team.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Check file' }).click();
  const summary = await page.getByText(/^42 rows:/).textContent();
  const report = await download(page, 'Download report (CSV)');
  const changes = await page
    .getByRole('table', { name: 'Changes the file would make to people already registered' })
    .getByRole('row')
    .nth(1)
    .textContent();
  await page.getByRole('radio', { name: /Update their name and roles/ }).check();
  await page
    .getByRole('button', { name: 'Register 39 new users and update 1 user, skip 2 rows with problems' })
    .click();
  const done = await page.getByText(/^Registered 39 users\./).textContent();
  const progress = page.getByRole('progressbar', { name: 'Import progress' });
  const finalProgress = {
    now: await progress.getAttribute('aria-valuenow'),
    max: await progress.getAttribute('aria-valuemax'),
  };
  const noMail = await page.getByText(/No mail server is configured/).textContent();
  const links = await download(page, 'Download invite links (CSV)');
  const [header, ...rows] = links.trim().split('\r\n');
  const member3 = rows.find((r) => r.startsWith('Member 3,'))!.split(',')[2]!;

  await page.getByRole('link', { name: 'Outbox' }).click();
  await page.getByLabel('Search by recipient').fill('member3@team.test');
  const outboxLink = await page
    .getByRole('row', { name: /member3@team\.test/ })
    .getByText(/^Link /)
    .textContent();
  await adminContext.close();

  const newcomer = await (await browser.newContext({ baseURL: t.url })).newPage();
  await newcomer.goto(member3);
  await newcomer.getByText(/Use at least 10 characters/).waitFor();
  await newcomer.getByLabel('New password').fill('Third-newcomer-pass-9');
  await newcomer.getByLabel('Confirm password').fill('Third-newcomer-pass-9');
  await newcomer.getByRole('button', { name: 'Set password' }).click();
  await newcomer.waitForURL('**/goals');
  await newcomer.getByRole('link', { name: 'Account' }).click();
  await newcomer.getByRole('main').getByText('member3@team.test').first().waitFor();
  const accountText = (await newcomer.getByRole('main').textContent()) ?? '';

  const [row] = await t.app.services.orm.em.fork().execute<{ registered: string; active: string; seven: string }[]>(
    `select count(*) filter (where email like '%@team.test') as registered,
            count(*) filter (where email = 'member3@team.test' and status = 'active') as active,
            max(name) filter (where email = 'member7@team.test') as seven from users`,
  );
  expect({
    summary,
    report: report.trim().split('\r\n'),
    changes,
    done,
    finalProgress,
    noMail,
    links: { header, rows: rows.length, path: new URL(member3).pathname },
    outboxLink,
    signedInAs: accountText.includes('Member 3') && accountText.includes('member3@team.test'),
    row,
  }).toEqual({
    summary: '42 rows: 39 new, 1 already registered, 2 with problems',
    report: [
      'line,email,name,field,value,problem',
      '42,not-an-email,Bad Row,email,not-an-email,Not a valid email address.',
      '43,member40@team.test,,name,,Name is missing.',
    ],
    changes: '9member7@team.testM. Seven → Member 7User → Accountant, User',
    done: 'Registered 39 users. Updated 1 user already registered. Skipped 2 rows with problems.',
    finalProgress: { now: '40', max: '40' },
    noMail:
      'No mail server is configured, so no invite was sent. Download the invite links and hand each person theirs.',
    links: { header: 'name,email,invite link,works until', rows: 39, path: '/accept-invite' },
    outboxLink: 'Link replaced',
    signedInAs: true,
    row: { registered: '40', active: '1', seven: 'Member 7' },
  });
});
