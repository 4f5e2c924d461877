/**
 * Journeys through the users list as an admin of a growing team uses it, in real Chromium against
 * the real server: the list's state lives in the URL (reload, back, a shared link), actions on many
 * checked people (risky ones ask first, refusals are named), a person's panel (edit the email, copy
 * a fresh invite link that works while the old one stops), the CSV export of the current filter,
 * and a layout that holds at 1024, 1440 and 1920 px with the panel open.
 */
import { readFileSync } from 'node:fs';
import { ADMIN, type TestApp } from '@goalpost/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeJourney, startJourney } from './browser.ts';

let t: TestApp;
let browser: Browser;
beforeAll(async () => {
  [t, browser] = await startJourney({ RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000' });
  const admin = await t.admin();
  for (let i = 0; i < 60; i++) {
    const n = String(i).padStart(2, '0');
    await admin.trpc.users.create.mutate({
      email: `staff${n}@finance.test`,
      name: `Staff Member ${n}`,
      roles: i % 2 ? ['supervisor'] : ['accountant'],
    });
  }
});
afterAll(() => closeJourney(t, browser));

async function signedIn(
  options: { width?: number; clipboard?: boolean } = {},
): Promise<{ page: Page; ctx: BrowserContext }> {
  const ctx = await browser.newContext({ baseURL: t.url, viewport: { width: options.width ?? 1440, height: 900 } });
  if (options.clipboard) await ctx.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await ctx.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/goals');
  await page.goto('/admin/users');
  return { page, ctx };
}

const path = (page: Page) => {
  const url = new URL(page.url());
  return `${url.pathname}${url.search}`;
};
const firstName = (page: Page) =>
  page.getByRole('table', { name: 'Users' }).getByRole('row').nth(1).getByRole('button').textContent();

it('keeps filter, sort, page and the person shown in the URL, through reload, back and a shared link', async () => {
  const { page, ctx } = await signedIn();
  await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Supervisor' });
  await page.getByRole('button', { name: 'Email' }).click();
  await page.getByRole('button', { name: 'Email' }).click();
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.getByText('Page 2 of 2').waitFor();
  const onPage2 = await firstName(page);
  await page.getByRole('table', { name: 'Users' }).getByRole('row').nth(1).click();
  await page.getByRole('complementary', { name: onPage2! }).waitFor();
  const opened = path(page);

  await page.reload();
  await page.getByRole('complementary', { name: onPage2! }).waitFor();
  const afterReload = {
    path: path(page),
    role: await page.getByLabel('Role', { exact: true }).inputValue(),
    page: await page.getByText(/^Page \d of \d$/).textContent(),
    sorted: await page.getByRole('columnheader', { name: /Email/ }).getAttribute('aria-sort'),
  };
  await page.keyboard.press('Escape');
  await page.getByRole('complementary').waitFor({ state: 'detached' });
  const closed = path(page);
  await page.goBack();
  await page.getByRole('complementary', { name: onPage2! }).waitFor();
  const back = path(page);

  const colleague = await (await signedIn()).page;
  await colleague.goto(opened);
  await colleague.getByRole('complementary', { name: onPage2! }).waitFor();
  const shared = await firstName(colleague);
  await ctx.close();
  await colleague.context().close();
  expect({ opened, afterReload, closed, back, shared }).toEqual({
    opened: expect.stringMatching(/^\/admin\/users\/[0-9a-f-]{36}\?role=supervisor&sort=email&dir=desc&page=2$/),
    afterReload: { path: opened, role: 'supervisor', page: 'Page 2 of 2', sorted: 'descending' },
    closed: '/admin/users?role=supervisor&sort=email&dir=desc&page=2',
    back: opened,
    shared: onPage2,
  });
});

it('acts on many checked people at once: asks before deactivating, and names who was refused', async () => {
  const { page, ctx } = await signedIn();
  await page.getByLabel('Search users').fill('staff5');
  await page.getByText('10 users').waitFor();
  await page.getByRole('checkbox', { name: 'Select Staff Member 50' }).check();
  await page.getByRole('checkbox', { name: 'Select Staff Member 51' }).check();
  await page.getByLabel('Role for selected').selectOption({ label: 'User' });
  await page.getByRole('button', { name: 'Assign role' }).click();
  const assigned = await page.getByText('User role given to 2 people.').textContent();

  await page.getByLabel('Search users').fill('');
  await page.getByLabel('Search users').fill('admin@goalpost');
  await page.getByText('1 user', { exact: true }).waitFor();
  // A new filter starts a new selection.
  const afterFilter = await page.getByRole('region', { name: 'Actions on the selected people' }).count();
  await page.getByRole('checkbox', { name: 'Select Administrator' }).check();
  await page.getByLabel('Search users').fill('');
  await page.getByText('61 users').waitFor();
  await page.getByRole('checkbox', { name: 'Select Staff Member 00' }).check();
  await page.getByRole('checkbox', { name: 'Select Staff Member 02' }).check();
  await page.getByRole('button', { name: 'Deactivate' }).click();
  const dialog = page.getByRole('dialog', { name: 'Deactivate 2 people?' });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('checkbox', { name: 'Select Administrator' }).check();
  await page.getByRole('button', { name: 'Deactivate' }).click();
  await page.getByRole('dialog', { name: 'Deactivate 3 people?' }).getByRole('button', { name: 'Deactivate' }).click();
  const deactivated = await page.getByText('2 people deactivated.').textContent();
  const refused = await page
    .getByRole('region', { name: 'Actions on the selected people' })
    .getByRole('alert')
    .textContent();
  await ctx.close();

  const rows = await t.app.services.orm.em.fork().execute<{ email: string; status: string; user: boolean }[]>(
    `select u.email, u.status, exists (select 1 from user_roles ur join roles r on r.id = ur.role_id
       where ur.user_id = u.id and r.key = 'user') as user
     from users u where u.email in ('staff50@finance.test', 'staff51@finance.test', 'staff00@finance.test',
       'staff02@finance.test', ?) order by u.email`,
    [ADMIN.email],
  );
  expect({ assigned, afterFilter, deactivated, refused, rows }).toEqual({
    assigned: 'User role given to 2 people.',
    afterFilter: 0,
    deactivated: '2 people deactivated.',
    refused: `Not changed for 1 person:Administrator (${ADMIN.email}): You cannot deactivate your own account.`,
    rows: [
      { email: ADMIN.email, status: 'active', user: true },
      { email: 'staff00@finance.test', status: 'deactivated', user: false },
      { email: 'staff02@finance.test', status: 'deactivated', user: false },
      { email: 'staff50@finance.test', status: 'invited', user: true },
      { email: 'staff51@finance.test', status: 'invited', user: true },
    ],
  });
});

it('corrects an email and copies a fresh invite link that works, while the mailed one stops', async () => {
  await (await t.admin()).trpc.users.create.mutate({ email: 'nia@typo.test', name: 'Nia Newcomer', roles: ['user'] });
  const mailed = await t.mailedToken('nia@typo.test', 'invite');
  const { page, ctx } = await signedIn({ clipboard: true });
  await page.getByLabel('Search users').fill('nia@');
  await page.getByRole('cell', { name: 'nia@typo.test' }).click();
  const panel = page.getByRole('complementary', { name: 'Nia Newcomer' });
  await panel.getByRole('button', { name: 'Edit details' }).click();
  await panel.getByLabel('Email').fill('nia@finance.test');
  await panel.getByRole('button', { name: 'Save' }).click();
  const saved = await panel.getByText(/^Saved\./).textContent();
  await panel.getByRole('button', { name: 'Copy invite link' }).click();
  const shown = await panel.getByLabel('Invite link for Nia Newcomer').inputValue();
  const clipboard = await page.evaluate(() => navigator.clipboard.readText());
  const history = await panel.getByRole('list', { name: 'History' }).getByRole('listitem').allTextContents();
  await ctx.close();

  const newcomer = await (await browser.newContext({ baseURL: t.url })).newPage();
  await newcomer.goto(`/accept-invite?token=${mailed}`);
  const oldLink = await newcomer.getByRole('alert').textContent();
  await newcomer.goto(clipboard);
  const greeting = await newcomer.getByText(/set a password to finish/).textContent();
  await newcomer.context().close();
  expect({
    saved,
    same: shown === clipboard,
    oldLink,
    greeting,
    history: history.map((h) => h.replace(/\d.*$/, '')),
  }).toEqual({
    saved:
      'Saved. A new invite created for nia@finance.test; no mail server is configured, so hand the link over yourself. Links sent to the old address no longer work.',
    same: true,
    oldLink: 'This link is invalid, already used or expired.',
    greeting: 'Hello Nia Newcomer, set a password to finish setting up your account nia@finance.test.',
    history: [
      'New invite link copied by Administrator to hand over',
      'Email changed from nia@typo.test to nia@finance.test by Administrator',
      'Invite mail opened in the outbox by Administrator',
      'Invited by Administrator',
    ],
  });
});

it('exports everyone the current filter matches as CSV', async () => {
  const { page, ctx } = await signedIn();
  await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Accountant' });
  await page.getByRole('button', { name: 'Created' }).click();
  await page.getByText(/^\d+ users$/).waitFor();
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  const csv = readFileSync((await file.path())!, 'utf8').replace(/^\uFEFF/, '');
  const note = await page.getByText(/^Exported \d+ users\.$/).textContent();
  await ctx.close();
  const [header, ...lines] = csv.trim().split('\r\n');
  expect({
    name: file.suggestedFilename(),
    note,
    header,
    count: lines.length,
    allAccountants: lines.every((l) => l.split(',')[2]?.includes('Accountant')),
    newestFirst: lines[0]?.startsWith('Staff Member 58,staff58@finance.test'),
  }).toEqual({
    name: 'users.csv',
    note: 'Exported 30 users.',
    header: 'name,email,roles,status,last sign-in,created',
    count: 30,
    allAccountants: true,
    newestFirst: true,
  });
});

it('holds its layout at 1024, 1440 and 1920 px with a person open: no sideways scroll, every column in view', async () => {
  const measured: Record<number, unknown> = {};
  for (const width of [1024, 1440, 1920]) {
    const { page, ctx } = await signedIn({ width });
    await page.getByRole('cell', { name: 'staff01@finance.test' }).waitFor();
    const table = () =>
      page.evaluate(() => {
        const wrap = document.querySelector('.gp-table-wrap') as HTMLElement;
        return wrap.scrollWidth <= wrap.clientWidth;
      });
    const listFits = await table();
    await page.getByRole('cell', { name: 'staff01@finance.test' }).click();
    const panel = page.getByRole('complementary', { name: 'Staff Member 01' });
    await panel.getByRole('checkbox', { name: 'Supervisor' }).waitFor();
    const box = await panel.boundingBox();
    measured[width] = {
      page: await page.evaluate(() => document.documentElement.scrollWidth === window.innerWidth),
      listFits,
      withPanel: await table(),
      panelInView: box !== null && box.x >= 0 && box.x + box.width <= width,
    };
    await ctx.close();
  }
  const holds = { page: true, listFits: true, withPanel: true, panelInView: true };
  expect(measured).toEqual({ 1024: holds, 1440: holds, 1920: holds });
});
