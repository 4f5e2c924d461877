/**
 * "Every control has an accessible label", checked by axe-core (the field's standard engine) in
 * real Chromium on every page and state of this release: signed out, the admin pages with data,
 * the user panel, the new-user dialog, a bulk check with problems, a mail, and the account page.
 * Any WCAG A/AA violation fails the test, with axe's own explanation in the diff.
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ADMIN, startTestApp, type TestApp } from '@goalpost/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from './browser.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let t: TestApp;
let browser: Browser;
beforeAll(async () => {
  [t, browser] = await Promise.all([startTestApp(), launchChromium()]);
  const admin = await t.admin();
  await admin.trpc.users.create.mutate({ email: 'ada@a11y.test', name: 'Ada Lovelace', roles: ['accountant'] });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

interface Violation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

async function violations(page: Page, state: string): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: unknown[] }> } })
      .axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations;
  });
  return (found as Violation[]).map(
    (v) => `${state}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

it('has no WCAG A/AA violations on any page of the release', async () => {
  // The app's CSP rightly refuses inline scripts; axe is injected as one, so this context bypasses it.
  const page = await (await browser.newContext({ baseURL: t.url, bypassCSP: true })).newPage();
  const found: string[] = [];

  for (const path of [
    '/sign-in',
    '/forgot-password',
    '/reset-password?token=not-a-real-token-0000',
    '/accept-invite?token=not-a-real-token-0000',
  ]) {
    await page.goto(path);
    await page.getByRole('heading').first().waitFor();
    found.push(...(await violations(page, path)));
  }

  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('cell', { name: 'ada@a11y.test' }).waitFor();
  found.push(...(await violations(page, 'users list')));

  await page.getByRole('cell', { name: 'ada@a11y.test' }).click();
  await page.getByRole('checkbox', { name: 'Accountant' }).waitFor();
  found.push(...(await violations(page, 'user panel')));

  await page.getByRole('button', { name: 'New user' }).click();
  await page.getByRole('button', { name: 'Send invite' }).waitFor();
  found.push(...(await violations(page, 'new user dialog')));
  await page.getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('button', { name: 'Bulk import' }).click();
  await page.getByLabel('CSV file').setInputFiles({
    name: 'people.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('email,name,roles\nnot-an-email,,boss\nok@a11y.test,Okay,user\n'),
  });
  await page.getByRole('button', { name: 'Check file' }).click();
  await page.getByRole('button', { name: 'Download report (CSV)' }).waitFor();
  found.push(...(await violations(page, 'bulk import with problems')));

  await page.getByRole('link', { name: 'Outbox' }).click();
  await page.getByRole('cell', { name: 'ada@a11y.test' }).click();
  await page.locator('a[href*="/accept-invite?token="]').first().waitFor();
  found.push(...(await violations(page, 'outbox with a mail open')));

  await page.getByRole('link', { name: 'Account' }).click();
  await page.getByLabel('Current password').waitFor();
  found.push(...(await violations(page, 'account')));

  expect(found).toEqual([]);
});
