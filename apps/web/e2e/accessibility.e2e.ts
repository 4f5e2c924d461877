/**
 * "Every control has an accessible label", checked by axe-core (the field's standard engine) in
 * real Chromium on every page and state of this release: signed out (with live invite and reset
 * links, whose forms state the password rules), the goals list and page, the goal and budget
 * dialogs, a budget's grid and history, a forecast's variance, the users list with people checked
 * and the bar of actions, a confirmation, the user panel (editing, a copied invite link), the
 * new-user dialog, a bulk check with problems and people already registered, a finished
 * registration offering its invite links, the outbox filtered with a dead link open, and the
 * account page with its notification settings and delegation form; then sharing and approvals:
 * shared-with-me, the approvals inbox with a budget checked and the send-back dialog, a submitted
 * budget's workflow bar with its comment threads and the mention list open, the approval history,
 * the Share dialog with the person picker open, who has access, the goal's approvals, a
 * forecast's comments and reminders (a paused one, the new-reminder dialog with a refusal, the
 * delete confirmation), the goal's reminders, "Message collaborators" with its problems, and the
 * supervisor and accountant pickers of the user panel; then the open
 * notification bell, the notifications page and the dead letters with one waiting. Any WCAG A/AA
 * violation fails the test, with axe's own explanation in the diff. The states are also
 * photographed at 1440 and 1024 px into test-results/screens/. The budget import's pages (the
 * source step for a goal, a budget and a Google sheet, the review before and after a corrected
 * mapping, the outcome and the list) are checked by the same rules in budget-import.e2e.ts, which
 * reaches them with a real import.
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ADMIN, type TestApp } from '@goalpost/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeJourney, screens, startJourney } from './browser.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let t: TestApp;
let browser: Browser;
const plan = { forecastId: '', patBudgetId: '', patGoalId: '' };
let inviteToken: string;
let resetToken: string;
beforeAll(async () => {
  [t, browser] = await startJourney({ RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000' });
  const admin = await t.admin();
  await admin.trpc.users.create.mutate({ email: 'ada@a11y.test', name: 'Ada Lovelace', roles: ['accountant'] });
  await admin.trpc.users.create.mutate({ email: 'new@a11y.test', name: 'Nia Newcomer', roles: ['user'] });
  inviteToken = await t.mailedToken('new@a11y.test', 'invite');
  const pat = await t.activeUser({ email: 'pat@a11y.test', name: 'Pat Person', password: 'Quiet-harbour-pass-1' });
  await t.client().trpc.auth.requestPasswordReset.mutate({ email: 'pat@a11y.test' });
  resetToken = await t.mailedToken('pat@a11y.test', 'password-reset');
  // A goal with a budget (lines, amounts) and a forecast with an actual, for the planning pages.
  const goal = await admin.trpc.goals.create.mutate({ name: 'Plan A', targetAmountMinor: 50_000_00n, currency: 'EUR' });
  const budget = await admin.trpc.budgets.create.mutate({
    goalId: goal.id,
    name: 'Running costs',
    periodStart: '2027-01-01',
    periods: 12,
  });
  const line = crypto.randomUUID();
  await admin.trpc.budgets.save.mutate({
    budgetId: budget.id,
    versionNumber: 1,
    lines: { added: [{ key: line, position: 0, category: 'Rent', description: 'Office' }] },
    cells: budget.periods.map((period) => ({ lineKey: line, period, from: null, to: 2_000_00n })),
  });
  const forecast = await admin.trpc.forecasts.create.mutate({ budgetId: budget.id, name: 'Rolling' });
  await admin.trpc.forecasts.save.mutate({
    forecastId: forecast.id,
    cells: [{ lineKey: line, period: '2027-01-01', field: 'actual', from: null, to: 2_100_00n }],
  });
  plan.forecastId = forecast.id;
  // Reminders on the goal and the forecast, for the goal's section and the forecast's panel.
  await admin.trpc.reminders.create.mutate({
    subject: { goalId: goal.id },
    message: 'Review the plan with the team',
    schedule: { kind: 'monthly', startDate: '2027-01-31', time: '09:00' },
  });
  const weekly = await admin.trpc.reminders.create.mutate({
    subject: { forecastId: forecast.id },
    message: 'Enter last week’s actuals',
    schedule: { kind: 'weekly', startDate: '2027-01-04', time: '08:30' },
  });
  await admin.trpc.reminders.create.mutate({
    subject: { forecastId: forecast.id },
    message: 'Close the quarter',
    schedule: { kind: 'once', date: '2027-03-31', time: '17:00' },
  });
  await admin.trpc.reminders.pause.mutate({ reminderId: weekly.id, paused: true });
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

  // Pat's budget, shared with the admin as approver and submitted, with a thread mentioning the admin.
  const adminId = (await admin.trpc.auth.me.query())!.id;
  const patGoal = await pat.trpc.goals.create.mutate({
    name: 'Pat’s plan',
    targetAmountMinor: 9_000_00n,
    currency: 'EUR',
  });
  const patBudget = await pat.trpc.budgets.create.mutate({
    goalId: patGoal.id,
    name: 'Pat’s costs',
    periodStart: '2027-01-01',
    periods: 6,
  });
  const patLine = crypto.randomUUID();
  await pat.trpc.budgets.save.mutate({
    budgetId: patBudget.id,
    versionNumber: 1,
    lines: { added: [{ key: patLine, position: 0, category: 'Licences' }] },
    cells: patBudget.periods.map((period) => ({ lineKey: patLine, period, from: null, to: 120_00n })),
  });
  await pat.trpc.sharing.grant.mutate({
    subject: { type: 'budget', id: patBudget.id },
    userId: adminId,
    level: 'approver',
  });
  await pat.trpc.comments.start.mutate({
    subject: { type: 'budget', id: patBudget.id },
    lineKey: patLine,
    period: '2027-02-01',
    body: 'Renewal price confirmed, @Administrator.',
    mentions: [adminId],
  });
  await pat.trpc.workflow.transition.mutate({ budgetId: patBudget.id, action: 'submit', expectedState: 'draft' });
  plan.patBudgetId = patBudget.id;
  plan.patGoalId = patGoal.id;
  await admin.trpc.comments.start.mutate({
    subject: { type: 'forecast', id: forecast.id },
    lineKey: line,
    period: '2027-01-01',
    body: 'January’s actual is over the budget.',
    mentions: [],
  });
});
afterAll(() => closeJourney(t, browser));

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
  for (const [path, state] of [
    [`/accept-invite?token=${inviteToken}`, 'accept invite with the password rules'],
    [`/reset-password?token=${resetToken}`, 'reset password with the password rules'],
  ] as const) {
    await page.goto(path);
    await page.getByText(/Use at least \d+ characters/).waitFor();
    found.push(...(await violations(page, state)));
  }

  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/goals');
  await page.getByRole('table', { name: 'Goals' }).getByRole('link', { name: 'Plan A' }).waitFor();
  found.push(...(await violations(page, 'goals list')));

  await page.getByRole('button', { name: 'New goal' }).click();
  await page.getByRole('button', { name: 'Create goal' }).waitFor();
  found.push(...(await violations(page, 'new goal dialog')));
  await page.getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('table', { name: 'Goals' }).getByRole('link', { name: 'Plan A' }).click();
  await page.getByRole('heading', { level: 1, name: 'Plan A' }).waitFor();
  await page.getByText('Review the plan with the team').waitFor();
  found.push(...(await violations(page, 'goal page with its reminders')));
  await page.getByRole('heading', { name: 'Reminders' }).scrollIntoViewIfNeeded();
  await screens(page, 'goal-reminders');

  await page.getByRole('button', { name: 'New budget' }).click();
  await page.getByRole('button', { name: 'Create budget' }).waitFor();
  found.push(...(await violations(page, 'new budget dialog')));
  await page.getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('link', { name: 'Running costs' }).click();
  await page.locator('.ht_master tbody tr').first().waitFor();
  found.push(...(await violations(page, 'budget grid')));
  await page.getByRole('button', { name: 'History', exact: true }).click();
  await page.getByRole('complementary').waitFor();
  found.push(...(await violations(page, 'budget history')));

  await page.goto(`/forecasts/${plan.forecastId}`);
  await page.getByRole('tab', { name: 'Variance' }).click();
  await page.locator('.ht_master tbody tr').first().waitFor();
  found.push(...(await violations(page, 'forecast variance')));

  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('cell', { name: 'ada@a11y.test' }).waitFor();
  found.push(...(await violations(page, 'users list')));

  await page.getByRole('checkbox', { name: 'Select Ada Lovelace' }).check();
  await page.getByRole('region', { name: 'Actions on the selected people' }).waitFor();
  found.push(...(await violations(page, 'users list with people checked')));
  await page.getByRole('button', { name: 'Deactivate' }).click();
  await page.getByRole('dialog', { name: 'Deactivate 1 person?' }).waitFor();
  found.push(...(await violations(page, 'confirming a risky action')));
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Clear selection' }).click();

  await page.getByRole('cell', { name: 'ada@a11y.test' }).click();
  await page.getByRole('checkbox', { name: 'Accountant' }).waitFor();
  found.push(...(await violations(page, 'user panel')));
  await page.getByRole('button', { name: 'Copy invite link' }).click();
  await page.getByLabel('Invite link for Ada Lovelace').waitFor();
  await page.getByRole('button', { name: 'Edit details' }).click();
  await page.getByRole('form', { name: 'Edit details' }).waitFor();
  found.push(...(await violations(page, 'user panel editing, with a copied invite link')));
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'New user' }).click();
  await page.getByRole('button', { name: 'Create and invite' }).waitFor();
  found.push(...(await violations(page, 'new user dialog')));
  await page.getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('button', { name: 'Bulk import' }).click();
  await page.getByLabel('CSV file').setInputFiles({
    name: 'people.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      'email,name,roles\nnot-an-email,,boss\nok@a11y.test,Okay,user\nada@a11y.test,Ada King,supervisor\n',
    ),
  });
  await page.getByRole('button', { name: 'Check file' }).click();
  await page.getByRole('button', { name: 'Download report (CSV)' }).waitFor();
  await page.getByRole('button', { name: /^Register 1 new user/ }).click();
  await page.getByText('Choose whether to skip the people already registered or to update them.').waitFor();
  found.push(...(await violations(page, 'bulk import with problems and people already registered')));
  await page.getByRole('radio', { name: /Skip them/ }).check();
  await page.getByRole('button', { name: /^Register 1 new user/ }).click();
  await page.getByRole('button', { name: 'Download invite links (CSV)' }).waitFor();
  found.push(...(await violations(page, 'bulk import finished, offering its invite links')));

  await page.getByRole('link', { name: 'Outbox' }).click();
  await page.getByLabel('Link').selectOption({ label: 'Replaced' });
  await page.getByRole('cell', { name: 'ada@a11y.test' }).first().click();
  await page.getByText(/This link no longer works/).waitFor();
  found.push(...(await violations(page, 'outbox filtered, with a replaced link open')));

  await page.getByRole('link', { name: 'Account' }).click();
  await page.getByLabel('Current password').waitFor();
  await page.getByRole('button', { name: 'Save notification settings' }).waitFor();
  found.push(...(await violations(page, 'account with notification settings')));

  await page.getByRole('combobox', { name: 'Colleague who approves instead' }).fill('pat');
  await page.getByRole('option', { name: /Pat Person/ }).click();
  found.push(...(await violations(page, 'account with the delegation form')));
  await screens(page, 'account-delegation');

  // Sharing and approvals.
  await page.getByRole('link', { name: 'Shared with me' }).click();
  await page.getByRole('table', { name: 'Shared with me' }).getByRole('link', { name: 'Pat’s costs' }).waitFor();
  found.push(...(await violations(page, 'shared with me')));
  await screens(page, 'shared-with-me');

  await page.getByRole('link', { name: 'Approvals' }).click();
  const inbox = page.getByRole('table', { name: 'Budgets waiting for your approval' });
  await inbox.getByRole('checkbox', { name: 'Select Pat’s costs' }).check();
  await page.getByRole('region', { name: 'Actions on the selected budgets' }).waitFor();
  found.push(...(await violations(page, 'approvals inbox with a budget checked')));
  await page.getByRole('button', { name: 'Send back selected' }).click();
  await page.getByRole('dialog', { name: 'Send back: 1 budget' }).getByRole('button', { name: 'Send back' }).click();
  await page.getByText('Say why: the owner will read it.').waitFor();
  found.push(...(await violations(page, 'send-back dialog with its reason missing')));
  await screens(page, 'approvals-send-back-dialog');
  await page.getByRole('button', { name: 'Cancel' }).click();

  await inbox.getByRole('link', { name: 'Pat’s costs' }).click();
  await page.getByRole('region', { name: 'Approval' }).getByRole('button', { name: 'Approve' }).waitFor();
  await page.getByRole('button', { name: 'Comments (1 open)' }).click();
  await page.getByRole('button', { name: 'Licences · Feb 2027', exact: true }).click();
  await page.getByRole('button', { name: 'Comment on cell' }).click();
  await page.getByRole('textbox', { name: 'New comment on Licences · Feb 2027' }).pressSequentially('Thanks @pa');
  await page.getByRole('option', { name: /Pat Person/ }).waitFor();
  found.push(...(await violations(page, 'submitted budget with its comments and the mention list open')));
  await screens(page, 'budget-comments-mention-admin');
  await page.getByRole('region', { name: 'New thread' }).getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Approval history' }).click();
  await page.getByRole('list', { name: 'Approval history' }).waitFor();
  found.push(...(await violations(page, 'approval history')));
  await page.getByRole('button', { name: 'Who has access' }).click();
  await page
    .getByRole('dialog', { name: 'Who has access to “Pat’s costs”' })
    .getByRole('cell', { name: /Pat Person/ })
    .waitFor();
  found.push(...(await violations(page, 'who has access')));
  await screens(page, 'who-has-access');
  await page.keyboard.press('Escape');

  await page.goto(`/goals/${plan.patGoalId}`);
  await page.getByText(/moves? through the approval workflow/).click();
  await page.getByRole('list', { name: 'Approval history of Pat’s costs' }).waitFor();
  found.push(...(await violations(page, 'goal approvals')));

  await page.goto('/goals');
  await page.getByRole('table', { name: 'Goals' }).getByRole('link', { name: 'Plan A' }).click();
  await page.getByRole('link', { name: 'Running costs' }).click();
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const share = page.getByRole('dialog', { name: 'Share “Running costs”' });
  await share.getByRole('combobox', { name: 'Person' }).fill('pat');
  await share.getByRole('option', { name: /Pat Person/ }).waitFor();
  found.push(...(await violations(page, 'share dialog with the person picker open')));
  await screens(page, 'share-dialog-picker-open');
  await share.getByRole('button', { name: 'Done' }).click();

  await page.goto(`/forecasts/${plan.forecastId}`);
  await page.getByRole('button', { name: 'Comments (1 open)' }).click();
  await page.getByRole('button', { name: 'Rent · Jan 2027', exact: true }).waitFor();
  found.push(...(await violations(page, 'forecast comments')));
  await screens(page, 'forecast-comments');
  await page.getByRole('button', { name: 'Reminders', exact: true }).click();
  const reminders = page.getByRole('complementary', { name: 'Reminders' });
  await reminders.getByText('Close the quarter').waitFor();
  found.push(...(await violations(page, 'forecast reminders, one paused')));
  await screens(page, 'forecast-reminders');
  await reminders.getByRole('button', { name: 'New reminder' }).click();
  const newReminder = page.getByRole('dialog', { name: 'New reminder' });
  await newReminder.getByLabel('Message').fill('Nearly there');
  await newReminder.getByLabel('When').selectOption({ label: 'Before the target date' });
  await newReminder.getByRole('button', { name: 'Set reminder' }).click();
  await newReminder.getByText(/no target date/).waitFor();
  found.push(...(await violations(page, 'new reminder dialog with a refusal')));
  await screens(page, 'forecast-reminder-refused');
  await newReminder.getByRole('button', { name: 'Cancel' }).click();
  await reminders.getByRole('button', { name: 'Delete the reminder “Close the quarter”' }).click();
  await page.getByRole('dialog', { name: 'Delete reminder' }).waitFor();
  found.push(...(await violations(page, 'delete reminder confirmation')));
  await page.getByRole('dialog', { name: 'Delete reminder' }).getByRole('button', { name: 'Cancel' }).click();

  await page.goto(`/budgets/${plan.patBudgetId}`);
  await page.getByRole('button', { name: 'Message collaborators' }).click();
  const message = page.getByRole('dialog', { name: 'Message collaborators' });
  await message.getByRole('checkbox', { name: /Pat Person/ }).waitFor();
  await message.getByRole('button', { name: 'Send message' }).click();
  await message.getByText('Write a message.').waitFor();
  found.push(...(await violations(page, 'message collaborators with problems')));
  await screens(page, 'message-dialog-viewer-approver');
  await message.getByRole('button', { name: 'Cancel' }).click();

  await page.goto('/admin/users');
  await page.getByRole('cell', { name: 'pat@a11y.test' }).click();
  await page.getByRole('combobox', { name: 'Set supervisor' }).fill('zz');
  await page.getByText(/Nobody matches “zz” among the people with the supervisor role/).waitFor();
  found.push(...(await violations(page, 'user panel with the supervisor picker')));
  await screens(page, 'user-panel-approvals');

  await page.getByRole('button', { name: /^Notifications, \d+ unread$/ }).click();
  await page.getByRole('button', { name: /Grace Hopper sent you a message/ }).waitFor();
  found.push(...(await violations(page, 'notification bell open')));

  await page.getByRole('link', { name: 'See all notifications' }).click();
  await page.getByRole('button', { name: 'Mark read' }).first().waitFor();
  found.push(...(await violations(page, 'notifications page')));
  await screens(page, 'notifications');

  await page.getByRole('link', { name: 'Dead letters' }).click();
  await page.getByRole('button', { name: 'Retry' }).waitFor();
  found.push(...(await violations(page, 'dead letters')));
  await screens(page, 'dead-letters');

  expect(found).toEqual([]);
});
