/**
 * An approval, as its two people see it in real Chromium. Olivia owns a budget and shares it with
 * Adam as approver; both have the app open. Olivia submits it (the real workflow procedure): Adam's
 * bell count rises without a reload (the workflow's event goes through the outbox, the
 * notifications consumer and the live subscription), and choosing the notification opens the
 * budget. Adam then sends it back with a reason: Olivia's bell rises, the notification shows the
 * reason, and it opens the budget too. The setup and both moves go through the API as the
 * approval buttons would; what is checked is what each person's open page shows.
 */
import type { TestApp } from '@goalpost/testing';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeJourney, startJourney } from './browser.ts';

let t: TestApp;
let browser: Browser;
beforeAll(async () => {
  [t, browser] = await startJourney();
});
afterAll(() => closeJourney(t, browser));

const password = 'Approval-journey-pass-42';

/** Signs `email` in, in a browser context of their own; counts the page loads that follow. */
async function signedIn(email: string): Promise<{ page: Page; loads: () => number }> {
  const page = await (await browser.newContext({ baseURL: t.url, viewport: { width: 1280, height: 800 } })).newPage();
  let loads = 0;
  page.on('load', () => {
    loads++;
  });
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/goals');
  const signedInLoads = loads;
  return { page, loads: () => loads - signedInLoads };
}

/** What a notification in the open bell says: its title (after "Unread: ") and its body. */
async function reads(item: Locator) {
  return [await item.locator('.gp-bell__title').textContent(), await item.locator('.gp-bell__body').textContent()];
}

const bell = (page: Page, unread: number) =>
  page.getByRole('button', { name: unread === 0 ? 'Notifications, none unread' : `Notifications, ${unread} unread` });

it("raises the approver's bell live when the owner submits, and the owner's when the approver sends it back", async () => {
  const olivia = await t.activeUser({ email: 'olivia@approval.test', name: 'Olivia Owner', password });
  const adam = await t.activeUser({ email: 'adam@approval.test', name: 'Adam Approver', password });
  const adamId = (await adam.trpc.auth.me.query())!.id;
  const goal = await olivia.trpc.goals.create.mutate({ name: 'Offsite', targetAmountMinor: 0n, currency: 'EUR' });
  const budget = await olivia.trpc.budgets.create.mutate({
    goalId: goal.id,
    name: 'Offsite 2027',
    periodStart: '2027-01-01',
    periods: 12,
  });
  await olivia.trpc.sharing.grant.mutate({
    subject: { type: 'budget', id: budget.id },
    userId: adamId,
    level: 'approver',
  });

  const adamsPage = await signedIn('adam@approval.test');
  const oliviasPage = await signedIn('olivia@approval.test');
  // Adam was told of the share; Olivia has nothing yet.
  await bell(adamsPage.page, 1).waitFor({ timeout: 30_000 });
  await bell(oliviasPage.page, 0).waitFor();

  await olivia.trpc.workflow.transition.mutate({ budgetId: budget.id, action: 'submit', expectedState: 'draft' });
  await bell(adamsPage.page, 2).waitFor({ timeout: 30_000 });
  const adamReloads = adamsPage.loads();
  await bell(adamsPage.page, 2).click();
  const submitted = adamsPage.page.getByRole('button', { name: /Olivia Owner submitted “Offsite 2027” for approval/ });
  await submitted.waitFor();
  const adamRead = await reads(submitted);
  await submitted.click();
  await adamsPage.page.waitForURL(`**/budgets/${budget.id}`);
  await adamsPage.page.getByRole('heading', { name: 'Offsite 2027' }).waitFor();
  await bell(adamsPage.page, 1).waitFor();

  await adam.trpc.workflow.transition.mutate({
    budgetId: budget.id,
    action: 'send-back',
    expectedState: 'submitted',
    reason: 'Split the venue from the catering, please.',
  });
  await bell(oliviasPage.page, 1).waitFor({ timeout: 30_000 });
  const oliviaReloads = oliviasPage.loads();
  await bell(oliviasPage.page, 1).click();
  const sentBack = oliviasPage.page.getByRole('button', { name: /Adam Approver sent “Offsite 2027” back for changes/ });
  await sentBack.waitFor();
  const oliviaRead = await reads(sentBack);
  await sentBack.click();
  await oliviasPage.page.waitForURL(`**/budgets/${budget.id}`);
  await oliviasPage.page.getByRole('heading', { name: 'Offsite 2027' }).waitFor();
  await bell(oliviasPage.page, 0).waitFor();

  expect({
    reloadsWhileWaiting: { adam: adamReloads, olivia: oliviaReloads },
    adamRead,
    oliviaRead,
    opened: {
      adam: new URL(adamsPage.page.url()).pathname,
      olivia: new URL(oliviasPage.page.url()).pathname,
    },
  }).toEqual({
    reloadsWhileWaiting: { adam: 0, olivia: 0 },
    adamRead: ['Unread: Olivia Owner submitted “Offsite 2027” for approval', 'Revision 1 is waiting for your review.'],
    oliviaRead: [
      'Unread: Adam Approver sent “Offsite 2027” back for changes',
      'Split the venue from the catering, please.',
    ],
    opened: { adam: `/budgets/${budget.id}`, olivia: `/budgets/${budget.id}` },
  });
});
