/**
 * Reminders and a message from a budget, in real Chromium against the real server. Olivia (time
 * zone Europe/Berlin) opens her budget's Reminders panel, sets a reminder for a date and time and
 * sees it listed with its next firing in her zone, pauses and resumes it, edits it into a weekly
 * one for everyone working on the budget, is told at the date field when a time has passed, and
 * deletes a reminder after confirming. Then she messages Sam (her supervisor) from the budget:
 * Sam, signed in in his own browser context, sees his bell rise live and opens the budget from
 * the notification. The stored rows are checked, not just the screen. Every state is photographed
 * at 1440 and 1024 px into test-results/screens/.
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

it('sets, pauses, resumes, edits and deletes a reminder on a budget, and messages a collaborator live', async () => {
  const password = 'Reminder-journey-pass-42';
  const olivia = await t.activeUser({ email: 'olivia@remind.test', name: 'Olivia Owner', password });
  await t.activeUser({ email: 'sam@remind.test', name: 'Sam Supervisor', password, roles: ['supervisor'] });
  await t.activeUser({ email: 'adam@remind.test', name: 'Adam Accountant', password });
  await t.sql(`update users set supervisor_id = (select id from users where email = 'sam@remind.test'),
               time_zone = 'Europe/Berlin' where email = 'olivia@remind.test'`);
  const goal = await olivia.trpc.goals.create.mutate({
    name: 'Offsite',
    targetAmountMinor: 20_000_00n,
    currency: 'EUR',
    targetDate: '2027-09-30',
  });
  const budget = await olivia.trpc.budgets.create.mutate({
    goalId: goal.id,
    name: 'Offsite 2027',
    periodStart: '2027-01-01',
    periods: 12,
  });
  const [adamUser] = await t.sql<{ id: string }>("select id from users where email = 'adam@remind.test'");
  await olivia.trpc.sharing.grant.mutate({
    subject: { type: 'budget', id: budget.id },
    userId: adamUser!.id,
    level: 'commenter',
  });

  const page = await signIn(browser, t, 'olivia@remind.test', password);
  await page.waitForURL('**/goals');
  await page.goto(`/budgets/${budget.id}`);
  await page.getByRole('heading', { level: 1, name: 'Offsite 2027' }).waitFor();

  // An empty panel, then a reminder once at a date and time, listed with its next firing.
  await page.getByRole('button', { name: 'Reminders', exact: true }).click();
  const panel = page.getByRole('complementary', { name: 'Reminders' });
  await panel.getByText(/No reminders on this budget yet/).waitFor();
  await screens(page, 'reminders-empty');
  await panel.getByRole('button', { name: 'New reminder' }).click();
  const dialog = page.getByRole('dialog', { name: 'New reminder' });
  await dialog.getByLabel('Message').fill('Get the venue quote signed');
  await dialog.getByLabel('When').selectOption({ label: 'Once' });
  await dialog.getByLabel('Date').fill('2027-03-15');
  await dialog.getByLabel('Time').fill('09:30');
  await dialog.getByText('Times are in Europe/Berlin').waitFor();
  await screens(page, 'reminder-new-dialog');
  await dialog.getByRole('button', { name: 'Set reminder' }).click();
  const item = panel.getByRole('listitem').filter({ hasText: 'Get the venue quote signed' });
  await item.getByText('Next Mon, 15 Mar 2027, 09:30 (Europe/Berlin)').waitFor();
  const listed = (await item.locator(':scope > *').allInnerTexts()).join(' ');
  await screens(page, 'reminders-listed');

  // Paused, then resumed.
  await item.getByRole('button', { name: 'Pause the reminder “Get the venue quote signed”' }).click();
  await item.getByText('Paused').waitFor();
  const pausedRow = {
    paused: await t.eventually(async () => {
      const [row] = await t.sql<{ paused: boolean }>(
        'select paused_at is not null as paused from reminders where message = ?',
        ['Get the venue quote signed'],
      );
      return row?.paused;
    }),
  };
  await screens(page, 'reminders-paused');
  await item.getByRole('button', { name: 'Resume the reminder “Get the venue quote signed”' }).click();
  await item.getByText(/^Next /).waitFor();

  // Edited into a weekly reminder for everyone working on the budget.
  await item.getByRole('button', { name: 'Edit the reminder “Get the venue quote signed”' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit reminder' });
  await edit.getByLabel('When').selectOption({ label: 'Every week' });
  await edit.getByLabel('Starting').fill('2027-03-15');
  await edit.getByLabel('Time').fill('10:00');
  await edit.getByRole('radio', { name: /Everyone working on this budget/ }).check();
  await edit.getByRole('button', { name: 'Save reminder' }).click();
  await item.getByText('Every Monday at 10:00, from 15 Mar 2027').waitFor();
  await item.getByText('Next Mon, 15 Mar 2027, 10:00 (Europe/Berlin) · for everyone working on it').waitFor();
  await screens(page, 'reminders-edited');

  // A time already past is refused at the date field; another reminder is deleted once confirmed.
  await panel.getByRole('button', { name: 'New reminder' }).click();
  await dialog.getByLabel('Message').fill('Too late');
  await dialog.getByLabel('Date').fill('2020-01-06');
  await dialog.getByRole('button', { name: 'Set reminder' }).click();
  const refusal = dialog.getByText(/has already passed/);
  await refusal.waitFor();
  const refused = {
    text: await refusal.textContent(),
    dateInvalid: await dialog.getByLabel('Date').getAttribute('aria-invalid'),
  };
  await screens(page, 'reminder-refused');
  await dialog.getByLabel('When').selectOption({ label: 'Before the target date' });
  await dialog.getByLabel('Days before').fill('14');
  await dialog.getByRole('button', { name: 'Set reminder' }).click();
  const second = panel.getByRole('listitem').filter({ hasText: 'Too late' });
  await second.getByText('14 days before the goal’s target date at 09:00').waitFor();
  await second.getByRole('button', { name: 'Delete the reminder “Too late”' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete reminder' });
  await confirm.getByText('Delete the reminder “Too late”? It will not fire again.').waitFor();
  await screens(page, 'reminder-delete-confirm');
  await confirm.getByRole('button', { name: 'Delete reminder' }).click();
  await second.waitFor({ state: 'detached' });
  const reminders = await t.sql<{ message: string; schedule: string; audience: string; next: string }>(
    `select message, schedule, audience, to_char(next_fire_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as next
     from reminders where not automatic order by created_at`,
  );

  // The message: Sam's bell, in his own browser, rises while Olivia sends.
  const sam = await signIn(browser, t, 'sam@remind.test', password);
  const quiet = sam.getByRole('button', { name: 'Notifications, none unread' });
  await quiet.waitFor();

  await page.getByRole('button', { name: 'Message collaborators' }).click();
  const message = page.getByRole('dialog', { name: 'Message collaborators' });
  const to = message.getByRole('group', { name: 'To' });
  await to.getByRole('checkbox', { name: /Sam Supervisor/ }).waitFor();
  const offered = (await to.locator('label').allInnerTexts()).map((l) => l.replace(/\s+/g, ' ').trim());
  await message.getByRole('button', { name: 'Send message' }).click();
  await message.getByText('Choose at least one person to send the message to.').waitFor();
  await screens(page, 'message-dialog-missing');
  await to.getByRole('checkbox', { name: /Sam Supervisor/ }).check();
  await message
    .getByRole('textbox', { name: 'Message' })
    .fill('The venue quote is in March; can you approve it this week?');
  await screens(page, 'message-dialog');
  await message.getByRole('button', { name: 'Send message' }).click();
  await message
    .getByRole('status')
    .getByText(/Message sent to Sam Supervisor/)
    .waitFor();
  await screens(page, 'message-sent');
  await message.getByRole('button', { name: 'Done' }).click();

  const ringing = sam.getByRole('button', { name: 'Notifications, 1 unread' });
  await ringing.waitFor({ timeout: 30_000 });
  await ringing.click();
  const note = sam.getByRole('button', { name: /Olivia Owner sent you a message about “Offsite 2027”/ });
  await note.waitFor();
  await note.click();
  await sam.waitForURL(`**/budgets/${budget.id}`);
  await quiet.waitFor();

  expect({
    listed: listed.replace(/\s+/g, ' ').trim(),
    paused: pausedRow?.paused,
    refused,
    reminders,
    offered,
    samLandedOn: new URL(sam.url()).pathname,
  }).toEqual({
    listed:
      'Get the venue quote signed Once, on 15 Mar 2027 at 09:30 Next Mon, 15 Mar 2027, 09:30 (Europe/Berlin) · for you Edit Pause Delete',
    paused: true,
    refused: {
      text: '2020-01-06 at 09:00 (Europe/Berlin) has already passed. Choose a time ahead.',
      dateInvalid: 'true',
    },
    // 10:00 in Berlin in March (before the switch to summer time) is 09:00 UTC.
    reminders: [
      {
        message: 'Get the venue quote signed',
        schedule: 'weekly',
        audience: 'collaborators',
        next: '2027-03-15 09:00',
      },
    ],
    offered: ['Everyone (2)', 'Adam Accountant Commenter', 'Sam Supervisor Owner’s supervisor'],
    samLandedOn: `/budgets/${budget.id}`,
  });
});
