/**
 * The review of a budget as its owner, an accountant and a supervisor do it, each in their own
 * browser (three Chromium contexts, three sessions): the owner shares the budget with the
 * accountant as approver and submits it; the accountant finds it in the approvals inbox, comments
 * on a cell mentioning the owner and sends it back; the owner finds the thread, fixes the cell,
 * replies, revises and submits again; the accountant approves it from the inbox; the supervisor
 * gives the final approval; the owner sees the revision locked, reopens a new one and finds the
 * thread carried over onto the same cell. The people and the supervisor relation are set up
 * through the API (that is an administrator's work, tested elsewhere); every step of the journey
 * goes through the pages. Screenshots at 1440 and 1024 px go to test-results/screens/.
 */
import type { TestApp } from '@goalpost/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeJourney, screens, startJourney } from './browser.ts';

const PASSWORD = 'Approvals-take-a-while-9';
const OWNER = { email: 'olga@journey.test', name: 'Olga Owner', password: PASSWORD };
const ACCOUNTANT = { email: 'arun@journey.test', name: 'Arun Accountant', password: PASSWORD };
const SUPERVISOR = { email: 'sofia@journey.test', name: 'Sofia Supervisor', password: PASSWORD };
const BUDGET = 'Operations 2027';

let t: TestApp;
let browser: Browser;
let budgetId: string;
let goalId: string;
beforeAll(async () => {
  [t, browser] = await startJourney({ RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000' });
  const owner = await t.activeUser({ ...OWNER, roles: ['user'] });
  await t.activeUser({ ...ACCOUNTANT, roles: ['user', 'accountant'] });
  const supervisor = await t.activeUser({ ...SUPERVISOR, roles: ['user', 'supervisor'] });
  const [ownerMe, supervisorMe] = await Promise.all([owner.trpc.auth.me.query(), supervisor.trpc.auth.me.query()]);
  await (await t.admin()).trpc.users.setSupervisor.mutate({ userId: ownerMe!.id, supervisorId: supervisorMe!.id });
  const goal = await owner.trpc.goals.create.mutate({
    name: 'Run the office',
    targetAmountMinor: 100_000_00n,
    currency: 'EUR',
  });
  goalId = goal.id;
  const budget = await owner.trpc.budgets.create.mutate({
    goalId,
    name: BUDGET,
    periodStart: '2027-01-01',
    periods: 12,
  });
  budgetId = budget.id;
  const lines = [
    { key: crypto.randomUUID(), category: 'Rent', monthly: 2_000_00n },
    { key: crypto.randomUUID(), category: 'Travel', monthly: 450_00n },
    { key: crypto.randomUUID(), category: 'Software', monthly: 300_00n },
  ];
  await owner.trpc.budgets.save.mutate({
    budgetId,
    versionNumber: 1,
    lines: { added: lines.map((l, position) => ({ key: l.key, position, category: l.category })) },
    cells: lines.flatMap((l) =>
      budget.periods.map((period) => ({
        lineKey: l.key,
        period,
        from: null,
        // Someone typed March's rent twice over: the accountant will ask for it to be fixed.
        to: l.category === 'Rent' && period === '2027-03-01' ? 4_000_00n : l.monthly,
      })),
    ),
  });
});
afterAll(() => closeJourney(t, browser));

async function signedIn(who: { email: string; password: string }): Promise<Page> {
  const context = await browser.newContext({ baseURL: t.url, viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/goals');
  return page;
}

/** The amount cell of grid row `line` (1-based) and month `m` (0-based): after the row header, category and description. */
function amountCell(page: Page, line: number, m: number) {
  return page
    .locator('.ht_master tbody tr')
    .filter({ has: page.locator('th', { hasText: new RegExp(`^${line}$`) }) })
    .locator(`td[aria-colindex="${m + 4}"]`);
}

async function openBudget(page: Page) {
  await page.goto(`/budgets/${budgetId}`);
  await page.getByRole('heading', { level: 1, name: BUDGET }).waitFor();
  await amountCell(page, 1, 0).waitFor();
}

/** Clicks a workflow button on the page, then the same action in its dialog (with a reason, if given). */
async function move(page: Page, action: string, reason?: string) {
  await page.getByRole('region', { name: 'Approval' }).getByRole('button', { name: action, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: new RegExp(`^${action}:`) });
  if (reason) await dialog.getByRole('textbox').fill(reason);
  await dialog.getByRole('button', { name: action, exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}

const banner = (page: Page) => page.locator('.gp-workflow__banner').textContent();
const stateBadge = (page: Page) => page.getByRole('region', { name: 'Approval' }).locator('.gp-badge').textContent();

it('takes a budget from sharing through comments, send-back, approvals and a reopened revision', async () => {
  // The owner shares the budget with the accountant as approver, and submits it.
  const owner = await signedIn(OWNER);
  await openBudget(owner);
  await owner.getByRole('button', { name: 'Share', exact: true }).click();
  const share = owner.getByRole('dialog', { name: `Share “${BUDGET}”` });
  await share.getByRole('combobox', { name: 'Person' }).fill('arun');
  await share.getByRole('option', { name: /Arun Accountant/ }).click();
  await share.getByLabel('Level', { exact: true }).selectOption('approver');
  await screens(owner, 'share-dialog-person-picked');
  await share.getByRole('button', { name: 'Share', exact: true }).click();
  const shared = await share.getByRole('status').textContent();
  const grantRow = await share.getByRole('row', { name: /Arun Accountant/ }).textContent();
  await screens(owner, 'share-dialog');
  await share.getByRole('button', { name: 'Done' }).click();
  await move(owner, 'Submit for approval');
  const submitted = { state: await stateBadge(owner), banner: await banner(owner) };
  await screens(owner, 'budget-submitted-owner');

  // The accountant finds it in the inbox, comments on March's rent mentioning the owner, and sends it back.
  const accountant = await signedIn(ACCOUNTANT);
  await accountant.getByRole('link', { name: 'Approvals' }).click();
  const inbox = accountant.getByRole('table', { name: 'Budgets waiting for your approval' });
  await inbox.getByRole('link', { name: BUDGET }).waitFor();
  const inboxRow = await inbox.getByRole('row', { name: new RegExp(BUDGET) }).textContent();
  await screens(accountant, 'approvals-inbox');
  await inbox.getByRole('link', { name: BUDGET }).click();
  await accountant.getByRole('heading', { level: 1, name: BUDGET }).waitFor();
  await amountCell(accountant, 1, 2).click({ button: 'right' });
  await accountant.locator('.htContextMenu td', { hasText: 'Comment…' }).click();
  const box = accountant.getByRole('textbox', { name: 'New comment on Rent · Mar 2027' });
  await box.pressSequentially('March is twice the lease, @olg');
  await accountant.getByRole('option', { name: /Olga Owner/ }).waitFor();
  await screens(accountant, 'comment-mention-list');
  await box.press('Enter');
  await box.pressSequentially('please check.');
  await accountant.getByRole('button', { name: 'Comment', exact: true }).click();
  const threads = accountant.getByRole('list', { name: 'Threads' });
  await threads.getByRole('button', { name: 'Rent · Mar 2027', exact: true }).waitFor();
  await accountant.locator('.ht_master td.gp-grid__cell--marked').first().waitFor();
  const marked = await amountCell(accountant, 1, 2).evaluate((el) => el.classList.contains('gp-grid__cell--marked'));
  await screens(accountant, 'budget-comments-accountant');
  await accountant.getByRole('region', { name: 'Approval' }).getByRole('button', { name: 'Send back' }).click();
  await screens(accountant, 'send-back-dialog');
  const sendBack = accountant.getByRole('dialog', { name: /^Send back:/ });
  await sendBack.getByRole('button', { name: 'Send back' }).click();
  const reasonRequired = await sendBack.getByRole('alert').textContent();
  await sendBack.getByRole('textbox').fill('Fix the March rent, then submit again.');
  await sendBack.getByRole('button', { name: 'Send back' }).click();
  await sendBack.waitFor({ state: 'detached' });
  const sentBack = await stateBadge(accountant);

  // The owner finds the thread that mentions them, fixes the cell, replies, revises and resubmits.
  await openBudget(owner);
  const changesRequested = await banner(owner);
  await owner.getByRole('button', { name: /^Comments/ }).click();
  await owner.getByRole('checkbox', { name: 'Mentioning me' }).check();
  const ownerThreads = owner.getByRole('list', { name: 'Threads' });
  await ownerThreads.getByRole('button', { name: 'Rent · Mar 2027', exact: true }).click();
  const selectedByThread = await amountCell(owner, 1, 2).evaluate((el) => el.classList.contains('current'));
  const threadText = await ownerThreads.locator('.gp-thread__body').first().textContent();
  await screens(owner, 'budget-changes-requested-owner');
  await amountCell(owner, 1, 2).dblclick();
  await owner.keyboard.press('Control+a');
  await owner.keyboard.type('2000');
  await owner.keyboard.press('Enter');
  await owner.getByRole('status').filter({ hasText: 'All changes saved' }).waitFor({ timeout: 20_000 });
  await ownerThreads.getByRole('button', { name: 'Reply on Rent · Mar 2027' }).click();
  await owner.getByRole('textbox', { name: 'Reply on Rent · Mar 2027' }).fill('Fixed: 2,000.00 as in the lease.');
  await owner.getByRole('button', { name: 'Reply', exact: true }).click();
  await ownerThreads.getByText('Fixed: 2,000.00 as in the lease.').waitFor();
  await move(owner, 'Revise');
  await move(owner, 'Submit for approval');
  const resubmitted = await stateBadge(owner);

  // The accountant approves it from the inbox, checked among what waits.
  await accountant.getByRole('link', { name: 'Approvals' }).click();
  await inbox.getByRole('checkbox', { name: `Select ${BUDGET}` }).check();
  await screens(accountant, 'approvals-inbox-selected');
  await accountant.getByRole('button', { name: 'Approve selected' }).click();
  await accountant.getByRole('dialog', { name: 'Approve: 1 budget' }).getByRole('button', { name: 'Approve' }).click();
  const outcome = await accountant.getByRole('region', { name: 'Outcome' }).getByRole('status').textContent();
  await inbox.getByText('Nothing waits for you.', { exact: false }).waitFor();
  await screens(accountant, 'approvals-inbox-outcome');

  // The supervisor gives the final approval.
  const supervisor = await signedIn(SUPERVISOR);
  await supervisor.getByRole('link', { name: 'Approvals' }).click();
  await supervisor
    .getByRole('table', { name: 'Budgets waiting for your approval' })
    .getByRole('link', { name: BUDGET })
    .click();
  await supervisor.getByRole('heading', { level: 1, name: BUDGET }).waitFor();
  await screens(supervisor, 'budget-approved-supervisor');
  await move(supervisor, 'Final approve');
  const finalApproved = await stateBadge(supervisor);

  // The owner sees it locked, reopens a new revision, and finds the thread carried onto the same cell.
  await openBudget(owner);
  await owner.getByText('Final approval by Sofia Supervisor').waitFor();
  const locked = {
    state: await stateBadge(owner),
    banner: await banner(owner),
    who: await owner.locator('.gp-workflow__state').textContent(),
    grid: await owner.locator('.gp-save-state').textContent(),
    addLine: await owner.getByRole('button', { name: 'Add line' }).count(),
  };
  await screens(owner, 'budget-final-approved-owner');
  await move(owner, 'Reopen as a new revision');
  await owner.getByLabel('Revision').waitFor();
  const revisions = await owner.getByLabel('Revision').locator('option').allTextContents();
  await owner.getByRole('button', { name: /^Comments/ }).click();
  const carried = owner.getByRole('list', { name: 'Threads' }).getByRole('article');
  await carried.first().waitFor();
  const reopened = {
    state: await stateBadge(owner),
    revision: await owner.getByLabel('Revision').inputValue(),
    editable: await owner.getByRole('button', { name: 'Add line' }).count(),
    thread: await carried.first().locator('.gp-thread__header').textContent(),
    marked: await amountCell(owner, 1, 2).evaluate((el) => el.classList.contains('gp-grid__cell--marked')),
    value: await amountCell(owner, 1, 2).textContent(),
  };
  await screens(owner, 'budget-reopened-owner');
  await owner.getByRole('button', { name: 'Approval history' }).click();
  const history = await owner
    .getByRole('list', { name: 'Approval history' })
    .locator('li > div:first-child')
    .allTextContents();
  await screens(owner, 'budget-approval-history');
  await owner.getByLabel('Revision').selectOption({ label: 'Revision 1 (locked, final approved)' });
  await owner.getByRole('button', { name: /^Go to revision 2/ }).waitFor();
  const oldRevision = await banner(owner);
  await screens(owner, 'budget-revision-1-owner');
  await owner.goto(`/goals/${goalId}`);
  await owner.getByText(/moves? through the approval workflow/).click();
  await screens(owner, 'goal-approvals');

  const moves = await t.sql<{ action: string; actor: string; reason: string | null }>(
    `select t.action, u.name as actor, t.reason from workflow_transitions t join users u on u.id = t.actor_id
     where t.budget_id = ? order by t.at, t.id`,
    [budgetId],
  );
  expect({
    shared,
    grantRow,
    submitted,
    inboxRow,
    marked,
    reasonRequired,
    sentBack,
    changesRequested,
    selectedByThread,
    threadText,
    resubmitted,
    outcome,
    finalApproved,
    locked,
    revisions,
    reopened,
    history,
    oldRevision,
    moves,
  }).toEqual({
    shared: 'Shared with Arun Accountant: can comment and approve.',
    grantRow: expect.stringContaining('arun@journey.test'),
    submitted: {
      state: 'Submitted',
      banner: 'Submitted for approval: read-only until it is sent back or you recall it.',
    },
    inboxRow: expect.stringMatching(/Operations 2027.*Olga Owner.*Submitted.*your approval.*just now.*€35,000\.00/),
    marked: true,
    reasonRequired: 'Say why: the owner will read it.',
    sentBack: 'Changes requested',
    changesRequested:
      'Sent back for changes by Arun Accountant: “Fix the March rent, then submit again.” Make the changes, then choose “Revise” and submit it again.',
    selectedByThread: true,
    threadText: 'March is twice the lease, @Olga Owner please check.',
    resubmitted: 'Submitted',
    outcome: '1 budget done:Operations 2027: approved',
    finalApproved: 'Final approved',
    locked: {
      state: 'Final approved',
      banner: 'Final approved: revision 1 is locked. Reopen it as a new revision to make changes.',
      who: expect.stringContaining(
        'Submitted by Olga OwnerApproved by Arun AccountantFinal approval by Sofia Supervisor',
      ),
      grid: 'Read only',
      addLine: 0,
    },
    revisions: ['Revision 1 (locked, final approved)', 'Revision 2 (current, draft)'],
    reopened: {
      state: 'Draft',
      revision: '2',
      editable: 1,
      thread: 'Rent · Mar 2027Carried from revision 1Mentions you',
      marked: true,
      value: '2,000.00',
    },
    history: [
      'Reopened as revision 2 (final approved → draft)',
      'Gave the final approval (approved → final approved)',
      'Approved (submitted → approved)',
      'Submitted for approval (draft → submitted)',
      'Took it back to draft to revise (changes requested → draft)',
      'Sent back for changes (submitted → changes requested)',
      'Submitted for approval (draft → submitted)',
    ],
    oldRevision: expect.stringContaining('Revision 1 (locked, final approved): read-only.'),
    moves: [
      { action: 'submit', actor: 'Olga Owner', reason: null },
      { action: 'send-back', actor: 'Arun Accountant', reason: 'Fix the March rent, then submit again.' },
      { action: 'revise', actor: 'Olga Owner', reason: null },
      { action: 'submit', actor: 'Olga Owner', reason: null },
      { action: 'approve', actor: 'Arun Accountant', reason: null },
      { action: 'final-approve', actor: 'Sofia Supervisor', reason: null },
      { action: 'reopen', actor: 'Olga Owner', reason: null },
    ],
  });
});
