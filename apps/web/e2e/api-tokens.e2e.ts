/**
 * An integrator's first steps in real Chromium: Rita opens Account → API tokens, makes a write
 * token (shown once), and that token lists her goals over /api/v1 from outside the browser; an
 * admin sees it under Admin → API tokens and revokes it, after which it stops. The REST docs page
 * renders the document with Scalar's bundle from this server alone (no CDN can be reached here),
 * with no Content-Security-Policy violation. Screenshots at 1440 and 1024 px go to
 * test-results/screens/ (api-tokens, api-tokens-admin, api-docs).
 */
import type { TestApp } from '@goalpost/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeJourney, screens, signIn, startJourney } from './browser.ts';

let t: TestApp;
let browser: Browser;
beforeAll(async () => {
  [t, browser] = await startJourney();
});
afterAll(() => closeJourney(t, browser));

async function signInToMain(email: string, password: string) {
  const page = await signIn(browser, t, email, password);
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  return page;
}

it('makes a token in the account page that works once over REST, and an admin revokes it', async () => {
  const password = 'Token-journey-pass-42';
  const rita = await t.activeUser({ email: 'rita@tokens.test', name: 'Rita Rest', password });
  await rita.trpc.goals.create.mutate({ name: 'New office', targetAmountMinor: 5_000_000n, currency: 'EUR' });
  await rita.trpc.tokens.create.mutate({ name: 'Monthly report', scope: 'read' });

  const page = await signInToMain('rita@tokens.test', password);
  await page.goto('/account#api-tokens');
  const section = page.locator('#api-tokens');
  await section.getByLabel('Token name').fill('ERP sync');
  await section.getByLabel('Access').selectOption('write');
  await section.getByRole('button', { name: 'Create token' }).click();
  const secret = await section.getByLabel('New token').inputValue();
  await section.getByRole('cell', { name: /ERP sync/ }).waitFor();
  await section.scrollIntoViewIfNeeded();
  await screens(page, 'api-tokens');

  const listed = await fetch(`${t.url}/api/v1/goals`, { headers: { Authorization: `Bearer ${secret}` } });
  const goals = (await listed.json()) as { items: { name: string; targetAmountMinor: string }[] };
  // Shown once: a reload lists the token by its prefix only.
  await page.reload();
  const secretAfterReload = await page.getByLabel('New token').count();

  const admin = await signInToMain('admin@goalpost.test', 'Tr1cky-admin-passphrase');
  await admin.goto('/admin/api-tokens');
  const row = admin.getByRole('row', { name: /ERP sync/ });
  await row.waitFor();
  await screens(admin, 'api-tokens-admin');
  await row.getByRole('button', { name: 'Revoke' }).click();
  await admin.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
  await admin.getByText('“ERP sync” was revoked: it no longer works.').waitFor();
  const afterRevoke = await fetch(`${t.url}/api/v1/goals`, { headers: { Authorization: `Bearer ${secret}` } });

  expect({
    prefix: secret.slice(0, 5),
    listed: listed.status,
    goals: goals.items.map((g) => [g.name, g.targetAmountMinor]),
    secretAfterReload,
    afterRevoke: afterRevoke.status,
  }).toEqual({
    prefix: 'gpat_',
    listed: 200,
    goals: [['New office', '5000000']],
    secretAfterReload: 0,
    afterRevoke: 401,
  });
});

it('renders the REST documentation from this server alone, within its Content-Security-Policy', async () => {
  const page = await (await browser.newContext({ baseURL: t.url, viewport: { width: 1440, height: 900 } })).newPage();
  const problems: string[] = [];
  const outside: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(t.url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:'))
      outside.push(r.url());
  });
  await page.goto('/api/docs');
  await page.getByText('Goalpost REST API').first().waitFor({ timeout: 30_000 });
  await page.getByRole('link', { name: 'List goals' }).first().waitFor();
  await screens(page, 'api-docs');
  await page.getByText('Budgets', { exact: true }).first().click();
  await page.getByText('Write cells (and lines)').first().click();
  await page.getByText('The value it was read with', { exact: false }).first().waitFor();
  await screens(page, 'api-docs-write-cells');
  expect({ problems, outside }).toEqual({ problems: [], outside: [] });
});
