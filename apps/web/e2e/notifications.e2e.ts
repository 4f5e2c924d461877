/**
 * The bell, live, in real Chromium. Sam supervises Olivia; Olivia sends Sam a message about her
 * budget through the API (the way a server-side event reaches the outbox); Sam, signed in in his
 * own browser context, sees his bell count rise without reloading (SSE subscription fed by
 * PostgreSQL LISTEN/NOTIFY from the jobs), opens the notification, lands on the budget it is
 * about, and the count goes back to none. Screenshots of the open bell at 1440 and 1024 px go to
 * test-results/screens/.
 */
import type { TestApp } from '@goalpost/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeJourney, screens, startJourney } from './browser.ts';

let t: TestApp;
let browser: Browser;
beforeAll(async () => {
  [t, browser] = await startJourney();
});
afterAll(() => closeJourney(t, browser));

it("raises the other person's bell live when a message is sent to them, and opens what it is about", async () => {
  const password = 'Bell-journey-pass-42';
  const olivia = await t.activeUser({ email: 'olivia@bell.test', name: 'Olivia Owner', password });
  await t.activeUser({ email: 'sam@bell.test', name: 'Sam Supervisor', password, roles: ['supervisor'] });
  await t.sql(`update users set supervisor_id = (select id from users where email = 'sam@bell.test')
               where email = 'olivia@bell.test'`);
  const goal = await olivia.trpc.goals.create.mutate({ name: 'Offsite', targetAmountMinor: 0n, currency: 'EUR' });
  const budget = await olivia.trpc.budgets.create.mutate({
    goalId: goal.id,
    name: 'Offsite 2027',
    periodStart: '2027-01-01',
    periods: 12,
  });

  const sam = await (await browser.newContext({ baseURL: t.url, viewport: { width: 1440, height: 900 } })).newPage();
  let loads = 0;
  sam.on('load', () => {
    loads++;
  });
  await sam.goto('/sign-in');
  await sam.getByLabel('Email').fill('sam@bell.test');
  await sam.getByLabel('Password').fill(password);
  await sam.getByRole('button', { name: 'Sign in' }).click();
  const quiet = sam.getByRole('button', { name: 'Notifications, none unread' });
  await quiet.waitFor();
  const loadsBefore = loads;

  const [samUser] = await t.sql<{ id: string }>("select id from users where email = 'sam@bell.test'");
  await olivia.trpc.notifications.send.mutate({
    budgetId: budget.id,
    recipientIds: [samUser!.id],
    message: 'The venue quote is in March; can you approve it this week?',
  });
  const ringing = sam.getByRole('button', { name: 'Notifications, 1 unread' });
  await ringing.waitFor({ timeout: 30_000 });
  const badge = await sam.locator('.gp-bell__count').textContent();

  await ringing.click();
  const item = sam.getByRole('button', { name: /Olivia Owner sent you a message about “Offsite 2027”/ });
  await item.waitFor();
  await screens(sam, 'bell-open');
  await item.click();
  await sam.waitForURL(`**/budgets/${budget.id}`);
  await quiet.waitFor();
  expect({
    reloadsWhileWaiting: loads - loadsBefore,
    badge,
    path: new URL(sam.url()).pathname,
    unread: (await t.sql<{ n: string }>('select count(*) as n from notifications where read_at is null'))[0]?.n,
  }).toEqual({ reloadsWhileWaiting: 0, badge: '1', path: `/budgets/${budget.id}`, unread: '0' });
});
