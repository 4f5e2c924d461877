/**
 * "Every control has an accessible label", checked by axe-core (the field's standard engine) in
 * real Chromium on every page and state of this release: signed out, the admin pages with data,
 * the user panel, the new-user dialog, a bulk check with problems, a mail, the account page with
 * its notification settings, the open notification bell, the notifications page and the dead
 * letters with one waiting.
 * Any WCAG A/AA violation fails the test, with axe's own explanation in the diff.
 */

import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
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
  // A notification for the admin and an event a consumer gave up on, so their pages have content.
  await t.sql(
    `insert into notifications (id, org_id, recipient_id, event_id, kind, family, title, body, link, in_app, email, created_at)
     select gen_random_uuid(), org_id, id, gen_random_uuid(), 'message.sent', 'messages',
            'Grace Hopper sent you a message about “Travel 2027”', 'Could you look at March', '/notifications', true, 'off', now()
     from users where email = ?`,
    [ADMIN.email],
  );
  await t.sql(
    `insert into dead_letters (id, org_id, consumer, event_id, topic, type, key, payload, trace_id, occurred_at, error,
                               attempts, created_at, last_failed_at)
     values (gen_random_uuid(), ?, 'notifications', gen_random_uuid(), 'messages', 'message.sent', 'budget-1',
             '{"message":"Hello"}', null, now(), 'Error: the mail server refused the message', 5, now(), now())`,
    [t.app.services.orgId],
  );
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

/** With SCREENSHOTS_DIR set, the state at 1440 and 1024 px wide, for a person to look at. */
async function shoot(page: Page, name: string) {
  const dir = process.env.SCREENSHOTS_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  for (const width of [1440, 1024]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: join(dir, `${name}-${width}.png`) });
  }
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
  await page.getByRole('button', { name: 'Save notification settings' }).waitFor();
  found.push(...(await violations(page, 'account with notification settings')));

  await page.getByRole('button', { name: 'Notifications, 1 unread' }).click();
  await page.getByRole('button', { name: /Grace Hopper sent you a message/ }).waitFor();
  found.push(...(await violations(page, 'notification bell open')));

  await page.getByRole('link', { name: 'See all notifications' }).click();
  await page.getByRole('button', { name: 'Mark read' }).waitFor();
  found.push(...(await violations(page, 'notifications page')));
  await shoot(page, 'notifications');

  await page.getByRole('link', { name: 'Dead letters' }).click();
  await page.getByRole('button', { name: 'Retry' }).waitFor();
  found.push(...(await violations(page, 'dead letters')));
  await shoot(page, 'dead-letters');

  expect(found).toEqual([]);
});
