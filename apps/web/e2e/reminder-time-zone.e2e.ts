/**
 * QA's journey, in real Chromium against the real server: Olivia (time zone UTC) sets a reminder
 * on her budget for two minutes from now, then, within that minute, changes her time zone to
 * Europe/Berlin under Account. Her 17:42 read as Berlin time has already passed; it used to be
 * dropped silently (the panel said "Done", nothing ever fired). Now the panel says it is due now,
 * the reminders-due job fires it once, and only then does the panel say "Done".
 *
 * The app runs on a manual clock (pg-boss's TestClock), so the reminders-due cron runs only when
 * the test moves time: the "Due now" state cannot race a firing. Every state is photographed at
 * 1440 and 1024 px into test-results/screens/.
 */

import { ManualClock } from '@goalpost/api';
import { startTestApp, type TestApp } from '@goalpost/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeJourney, launchChromium, screens, signIn } from './browser.ts';

// Today, to the minute: the browser's own clock (sessions, dates shown) is the real one.
const clock = new ManualClock(new Date(Math.floor(Date.now() / 60_000) * 60_000));
let t: TestApp;
let browser: Browser;
beforeAll(async () => {
  [t, browser] = await Promise.all([startTestApp({}, { clock }), launchChromium()]);
});
afterAll(() => closeJourney(t, browser));

it('keeps a reminder whose time has passed in the new time zone, says it is due now, and fires it once', async () => {
  const password = 'Reminder-zone-pass-42';
  const olivia = await t.activeUser({ email: 'olivia@zone.test', name: 'Olivia Owner', password });
  await t.sql(`update users set time_zone = 'UTC' where email = 'olivia@zone.test'`);
  const goal = await olivia.trpc.goals.create.mutate({ name: 'Move', targetAmountMinor: 0n, currency: 'EUR' });
  const budget = await olivia.trpc.budgets.create.mutate({
    goalId: goal.id,
    name: 'Move 2027',
    periodStart: '2027-01-01',
    periods: 12,
  });
  const at = new Date(clock.now().getTime() + 2 * 60_000).toISOString();
  const [date, time] = [at.slice(0, 10), at.slice(11, 16)];

  const page = await signIn(browser, t, 'olivia@zone.test', password);
  await page.waitForURL('**/goals');
  await page.goto(`/budgets/${budget.id}`);
  await page.getByRole('button', { name: 'Reminders', exact: true }).click();
  const panel = page.getByRole('complementary', { name: 'Reminders' });
  await panel.getByRole('button', { name: 'New reminder' }).click();
  const dialog = page.getByRole('dialog', { name: 'New reminder' });
  await dialog.getByLabel('Message').fill('Send the movers the address');
  await dialog.getByLabel('When').selectOption({ label: 'Once' });
  await dialog.getByLabel('Date').fill(date);
  await dialog.getByLabel('Time').fill(time);
  await dialog.getByRole('button', { name: 'Set reminder' }).click();
  const item = panel.getByRole('listitem').filter({ hasText: 'Send the movers the address' });
  await item.getByText(/^Next .* \(UTC\)$/).waitFor();
  const set = (await item.locator('.gp-timeline__meta').textContent()) ?? '';

  await page.goto('/account');
  await page.getByLabel('Time zone').selectOption('Europe/Berlin');
  await page.getByRole('button', { name: 'Save notification settings' }).click();
  await page.getByText('Your notification settings are saved.').waitFor();

  await page.goto(`/budgets/${budget.id}`);
  await page.getByRole('button', { name: 'Reminders', exact: true }).click();
  await item.getByText('Due now').waitFor();
  const due = (await item.locator('.gp-timeline__meta').textContent()) ?? '';
  await screens(page, 'reminder-due-after-time-zone');

  // The reminders-due job runs as the clock moves: it fires once, then the reminder is done.
  await t.eventually(async () => {
    const [row] = await t.sql<{ n: string }>(
      `select count(*) as n from notifications where kind = 'reminder.due' and body = 'Send the movers the address'`,
    );
    return Number(row?.n) === 1 || undefined;
  }, 60_000);
  for (let s = 0; s < 300; s += 10) await clock.advance(10_000);
  await page.reload();
  await page.getByRole('button', { name: 'Reminders', exact: true }).click();
  await item.getByText('Done').waitFor();
  const done = (await item.locator('.gp-timeline__meta').textContent()) ?? '';
  await screens(page, 'reminder-done-after-time-zone');
  const rows = await t.sql<{ fired_count: number; next: string | null; occurrences: string; notifications: string }>(
    `select r.fired_count, r.next_fire_at as next,
            (select count(*) from reminder_occurrences o where o.reminder_id = r.id) as occurrences,
            (select count(*) from notifications n where n.kind = 'reminder.due') as notifications
     from reminders r where r.message = 'Send the movers the address'`,
  );

  expect({
    set: set.replace(/\s+/g, ' ').trim(),
    due: due.replace(/\s+/g, ' ').trim(),
    done: done.replace(/\s+/g, ' ').trim(),
    rows: rows.map((r) => ({ ...r, occurrences: Number(r.occurrences), notifications: Number(r.notifications) })),
  }).toEqual({
    set: expect.stringMatching(new RegExp(`^Next .*, ${time} \\(UTC\\) · for you$`)),
    due: 'Due now (fires within a minute) · for you',
    done: 'Done · for you',
    rows: [{ fired_count: 1, next: null, occurrences: 1, notifications: 1 }],
  });
});
