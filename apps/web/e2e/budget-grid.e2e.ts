/**
 * The analyst's journey through goals and budgets in real Chromium: create a goal and a budget,
 * paste a 50 × 12 block from a spreadsheet (text and HTML flavours, some cells junk) into the
 * grid, see the totals, reload and find it saved; paste over it and undo that paste as one step,
 * saved too; then a second person edits a cell this tab also edits, and the conflict is shown with
 * both values. Screenshots of each page at 1440 and 1024 px go to test-results/screens/.
 */
import type { TestApp } from '@goalpost/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeJourney, screens, startJourney } from './browser.ts';

const OWNER = { email: 'ana@grid.test', name: 'Ana Analyst', password: 'Spreadsheets-all-day-7' };

let t: TestApp;
let browser: Browser;
beforeAll(async () => {
  [t, browser] = await startJourney();
  await t.activeUser({ ...OWNER, roles: ['user'] });
});
afterAll(() => closeJourney(t, browser));

async function signedIn(): Promise<Page> {
  const context = await browser.newContext({ baseURL: t.url, viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(OWNER.email);
  await page.getByLabel('Password').fill(OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/goals');
  return page;
}

/**
 * The amount cell of grid row `line` (1-based) and month `m` (0-based). Data columns are category,
 * description, then the months; aria-colindex counts the row header too, from 1.
 */
function amountCell(page: Page, line: number, m: number) {
  return page
    .locator('.ht_master tbody tr')
    .filter({ has: page.locator('th', { hasText: new RegExp(`^${line}$`) }) })
    .locator(`td[aria-colindex="${m + 4}"]`);
}

function categoryCell(page: Page, line: number) {
  return page
    .locator('.ht_clone_inline_start tbody tr')
    .filter({ has: page.locator('th', { hasText: new RegExp(`^${line}$`) }) })
    .locator('td')
    .first();
}

function descriptionCell(page: Page, line: number) {
  return page
    .locator('.ht_clone_inline_start tbody tr')
    .filter({ has: page.locator('th', { hasText: new RegExp(`^${line}$`) }) })
    .locator('td')
    .nth(1);
}

async function paste(page: Page, text: string, html: string): Promise<void> {
  await page.evaluate(
    ([text, html]) => {
      const data = new DataTransfer();
      data.setData('text/plain', text!);
      data.setData('text/html', html!);
      const target = document.activeElement ?? document.body;
      target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    },
    [text, html],
  );
}

async function saved(page: Page) {
  await page.getByRole('status').filter({ hasText: 'All changes saved' }).waitFor({ timeout: 20_000 });
}

/** A block as Excel puts it on the clipboard: TSV, and HTML whose number cells carry x:num. */
function excelBlock(rows: string[][], raw: (r: number, c: number) => string | null) {
  const text = `${rows.map((r) => r.join('\t')).join('\r\n')}\r\n`;
  const cells = (r: number) =>
    rows[r]!.map((v, c) => {
      const x = raw(r, c);
      return x === null ? `<td>${v}</td>` : `<td x:num="${x}">${v}</td>`;
    }).join('');
  const html = `<html xmlns:x="urn:schemas-microsoft-com:office:excel"><body><table>${rows
    .map((_, r) => `<tr>${cells(r)}</tr>`)
    .join('')}</table></body></html>`;
  return { text, html };
}

const money = (cents: bigint) =>
  new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Number(cents) / 100);

it('pastes a 50 × 12 block into a new budget, saves it, undoes a second paste, and shows a conflict', async () => {
  const page = await signedIn();
  await screens(page, 'goals-empty');

  // A goal, then a budget under it.
  await page.getByRole('button', { name: 'New goal' }).click();
  const goalForm = page.getByRole('form', { name: 'New goal' });
  await goalForm.getByLabel('Name').fill('Office move 2027');
  await goalForm.getByLabel('Category').fill('Facilities');
  await goalForm.getByLabel('Target amount').fill('250,000.00');
  await goalForm.getByLabel('Currency').selectOption('USD');
  await goalForm.getByLabel('Target date').fill('2027-12-31');
  await screens(page, 'goal-new-dialog');
  await page.getByRole('button', { name: 'Create goal' }).click();
  await page.getByRole('heading', { level: 1, name: 'Office move 2027' }).waitFor();
  await page.getByRole('button', { name: 'New budget' }).click();
  const budgetForm = page.getByRole('form', { name: 'New budget' });
  await budgetForm.getByLabel('Name').fill('Fit-out');
  await budgetForm.getByLabel('Financial year').fill('2027');
  await screens(page, 'budget-new-dialog');
  await page.getByRole('button', { name: 'Create budget' }).click();
  await page.getByRole('heading', { level: 1, name: 'Fit-out' }).waitFor();
  await page.getByText(/^No lines yet\./).waitFor();
  await screens(page, 'budget-empty');
  const budgetUrl = page.url();

  // 50 lines × (category, description, 12 months); three cells are junk a person typed.
  const junk = new Set(['3:4', '17:0', '42:11']);
  const amount = (r: number, m: number) => BigInt((r + 1) * 1000 + m * 7) * (r % 5 === 0 ? -1n : 1n);
  const rows = Array.from({ length: 50 }, (_, r) => [
    `Cost ${r + 1}`,
    `Item ${r + 1}`,
    ...Array.from({ length: 12 }, (_, m) => (junk.has(`${r}:${m}`) ? 'TBD' : money(amount(r, m)))),
  ]);
  const block = excelBlock(rows, (r, c) =>
    c < 2 || junk.has(`${r}:${c - 2}`) ? null : (Number(amount(r, c - 2)) / 100).toString(),
  );
  await page.getByRole('button', { name: 'Add line' }).click();
  await categoryCell(page, 1).click();
  await paste(page, block.text, block.html);
  await saved(page);
  const expectedTotal = (m: number) =>
    Array.from({ length: 50 }, (_, r) => (junk.has(`${r}:${m}`) ? 0n : amount(r, m))).reduce((a, b) => a + b, 0n);
  const grand = Array.from({ length: 12 }, (_, m) => expectedTotal(m)).reduce((a, b) => a + b, 0n);
  // Junk stays visible where it was pasted, marked, with the reason on hover.
  const junkCell = await amountCell(page, 4, 4).evaluate((el) => ({
    text: el.textContent,
    refused: el.classList.contains('gp-grid__cell--refused'),
    reason: Boolean(el.getAttribute('title')),
  }));
  const header = await page.locator('.gp-titlebar__description').textContent();
  await screens(page, 'budget-pasted');

  // Reload: the saved lines come back. The junk was never saved, so the page asks first.
  const leaving = page.waitForEvent('dialog').then(async (dialog) => {
    const type = dialog.type();
    await dialog.accept();
    return type;
  });
  await page.goto(budgetUrl);
  const askedBeforeLeaving = await leaving;
  await page.getByRole('heading', { level: 1, name: 'Fit-out' }).waitFor();
  await amountCell(page, 1, 0).waitFor();
  const afterReload = {
    line: [await categoryCell(page, 1).textContent(), await descriptionCell(page, 1).textContent()],
    first: await amountCell(page, 1, 0).textContent(),
    negative: await amountCell(page, 1, 1).textContent(),
    junkEmpty: await amountCell(page, 4, 4).textContent(),
    header: await page.locator('.gp-titlebar__description').textContent(),
  };

  // A second paste over the first lines, undone as one step: the earlier values come back, saved.
  const over = excelBlock([['999.00', '888.00']], () => null);
  await amountCell(page, 1, 0).click();
  await paste(page, over.text, over.html);
  await saved(page);
  const pastedOver = [await amountCell(page, 1, 0).textContent(), await amountCell(page, 1, 1).textContent()];
  await page.keyboard.press('Control+z');
  await saved(page);
  await page.goto(budgetUrl);
  await amountCell(page, 1, 0).waitFor();
  const afterUndo = [await amountCell(page, 1, 0).textContent(), await amountCell(page, 1, 1).textContent()];

  // Someone else changes a cell this tab is about to change from the value it last knew.
  const other = await signedIn();
  await other.goto(budgetUrl);
  await amountCell(other, 2, 5).dblclick();
  await other.keyboard.press('Control+a');
  await other.keyboard.type('1234.56');
  await other.keyboard.press('Enter');
  await saved(other);
  await amountCell(page, 2, 5).dblclick();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('7777');
  await page.keyboard.press('Enter');
  const conflictNote = await page.getByRole('alert').filter({ hasText: 'changed by someone else' }).textContent();
  const conflictCell = await amountCell(page, 2, 5).evaluate((el) => ({
    marked: el.classList.contains('gp-grid__cell--conflict'),
    title: el.getAttribute('title'),
    text: el.textContent,
  }));
  await screens(page, 'budget-conflict');

  // A forecast of the budget: an actual typed in, the variance against the budget, the chart.
  await page.getByRole('button', { name: 'New forecast' }).click();
  await page.getByRole('heading', { level: 1, name: 'Fit-out forecast' }).waitFor();
  await page.getByRole('tab', { name: 'Actuals' }).click();
  await amountCell(page, 2, 0).dblclick();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('25');
  await page.keyboard.press('Enter');
  await saved(page);
  await page.getByRole('tab', { name: 'Variance' }).click();
  await page.getByText('Actual − budget', { exact: true }).click();
  await amountCell(page, 2, 0).waitFor();
  const variance = await amountCell(page, 2, 0).textContent();
  await screens(page, 'forecast-variance');

  // The goal shows what the budget plans.
  await page.getByRole('link', { name: 'Office move 2027' }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Office move 2027' }).waitFor();
  await screens(page, 'goal-page');
  await page.getByRole('link', { name: 'Goals' }).first().click();
  await page.getByRole('table', { name: 'Goals' }).getByRole('link', { name: 'Office move 2027' }).waitFor();
  await screens(page, 'goals-list');

  expect({
    junkCell,
    headerTotal: header?.includes(`Total $${money(grand)}`),
    askedBeforeLeaving,
    afterReload,
    pastedOver,
    afterUndo,
    variance,
    conflictNote: conflictNote?.startsWith('1 cell changed by someone else'),
    conflictCell: {
      marked: conflictCell.marked,
      mentionsTheirs: conflictCell.title?.includes('1,234.56') ?? false,
      text: conflictCell.text,
    },
  }).toEqual({
    junkCell: { text: 'TBD', refused: true, reason: true },
    headerTotal: true,
    askedBeforeLeaving: 'beforeunload',
    afterReload: {
      line: ['Cost 1', 'Item 1'],
      first: money(amount(0, 0)),
      negative: money(amount(0, 1)),
      junkEmpty: '',
      header: expect.stringContaining(`Total $${money(grand)}`),
    },
    pastedOver: ['999.00', '888.00'],
    afterUndo: [money(amount(0, 0)), money(amount(0, 1))],
    // Line 2's January budget is 20.00; the actual is 25.00.
    variance: '5.00',
    conflictNote: true,
    conflictCell: { marked: true, mentionsTheirs: true, text: '7,777.00' },
  });
});
