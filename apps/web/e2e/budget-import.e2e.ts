/**
 * Journey: an analyst brings a budget she keeps in Excel into a goal. The workbook (written here
 * with exceljs, as Excel would: numbers, a total row) has months Jan to Nov 2027 and a December
 * column headed "Dec estimate", which no reader can take for a month, one cell that says "n/a", and a
 * total row with a slip in June.
 * She uploads it from the goal's page, waits for the dry run, maps "Dec estimate" to Dec 2027 in
 * the preview and reads the file again, reads the report (the rejected cell by its coordinate, the
 * total that does not add up, the CSV), imports the valid rows, opens the new budget in the grid and
 * sees the amounts, December's too. From the budget she starts a replacement with a revised sheet,
 * reads the changes it would make, and cancels it; the imports list shows both, and the notification
 * of the finished import leads to its page. Every step passes axe's WCAG A/AA rules and is
 * photographed at 1440 and 1024 px.
 * Real server, PostgreSQL, pg-boss jobs and Chromium.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { TestApp } from '@goalpost/testing';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeJourney, screens, startJourney } from './browser.ts';

const OWNER = { email: 'ines@import.test', name: 'Ines Importer', password: 'Spreadsheets-all-day-7' };
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let t: TestApp;
let browser: Browser;
let goalId: string;
beforeAll(async () => {
  [t, browser] = await startJourney();
  const ines = await t.activeUser({ ...OWNER, roles: ['user'] });
  goalId = (
    await ines.trpc.goals.create.mutate({ name: 'Field trips 2027', targetAmountMinor: 100_000_00n, currency: 'EUR' })
  ).id;
});
afterAll(() => closeJourney(t, browser));

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov'].map((m) => `${m} 2027`);

/**
 * Flights grow by 10 a month, hotels are 500 (March's cell says "n/a"), laptops 2,500.50; a total
 * row sums them. The revision (for replacing the budget) heads December properly, has dearer flights
 * in January and no laptops.
 */
async function workbook(revised = false): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Budget');
  sheet.addRow(['Category', 'Description', ...MONTHS, revised ? 'Dec 2027' : 'Dec estimate', 'Owner']);
  const flights = Array.from({ length: 12 }, (_, i) => 1000 + i * 10 + (revised && i === 0 ? 200 : 0));
  const hotels: (number | string)[] = Array.from({ length: 12 }, (_, i) => (i === 2 ? 'n/a' : 500));
  const laptops = Array.from({ length: 12 }, () => 2500.5);
  sheet.addRow(['Travel', 'Flights', ...flights, 'Ana']);
  sheet.addRow(['Travel', 'Hotels', ...hotels, 'Ana']);
  if (!revised) sheet.addRow(['Equipment', 'Laptops', ...laptops, 'Bo']);
  // The total row as the sheet's author typed it, with a slip in June (100 too much).
  if (!revised) sheet.addRow(['Total', '', ...flights.map((f, i) => f + 500 + 2500.5 + (i === 5 ? 100 : 0)), '']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

interface Violation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

async function violations(page: Page, state: string): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const found = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: unknown[] }> } })
      .axe;
    return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }))
      .violations;
  })) as Violation[];
  return found.map((v) => `${state}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The amount cell of grid row `line` (1-based) and month `m` (0-based), as budget-grid.e2e.ts reads it. */
function amountCell(page: Page, line: number, m: number) {
  return page
    .locator('.ht_master tbody tr')
    .filter({ has: page.locator('th', { hasText: new RegExp(`^${line}$`) }) })
    .locator(`td[aria-colindex="${m + 4}"]`);
}

async function download(page: Page, button: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  return readFileSync((await file.path())!, 'utf8').replace(/^\uFEFF/, '');
}

it('uploads a workbook, corrects a column in the preview, reads the report, imports the valid rows and opens the grid', async () => {
  // The app's CSP refuses inline scripts; axe is injected as one, so this context bypasses it.
  const context = await browser.newContext({
    baseURL: t.url,
    viewport: { width: 1440, height: 900 },
    locale: 'en-US',
    bypassCSP: true,
  });
  const page = await context.newPage();
  const found: string[] = [];
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(OWNER.email);
  await page.getByLabel('Password').fill(OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/goals');

  // Source: from the goal, a new budget; the name comes from the file.
  await page.goto(`/goals/${goalId}`);
  await page.getByRole('link', { name: 'Import budget…' }).click();
  await page.getByRole('heading', { level: 1, name: 'Import a new budget' }).waitFor();
  await page.getByLabel('Budget file').setInputFiles({
    name: 'Field trips 2027.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: await workbook(),
  });
  const name = await page.getByLabel('Budget name').inputValue();
  await screens(page, 'import-source');
  found.push(...(await violations(page, 'import source step')));
  await page.getByRole('button', { name: 'Read the file' }).click();
  await page.waitForURL(/\/imports\/[0-9a-f-]{36}$/);
  const importUrl = new URL(page.url()).pathname;
  // Usually still queued or reading here; the photograph shows whichever the job has reached.
  await page.getByRole('list', { name: 'Import steps' }).waitFor();
  await screens(page, 'import-reading');

  // The dry run, once the job has read the file: December is not imported yet.
  await page.getByRole('button', { name: 'Import 3 valid rows' }).waitFor({ timeout: 60_000 });
  const before = await page.locator('dl[aria-label="What was read"]').textContent();
  await screens(page, 'import-review');
  found.push(...(await violations(page, 'import review')));

  // Correct one column: "Dec estimate" is December 2027. Read the file again.
  await page.getByLabel('Column N (Dec estimate) imported as').selectOption('period');
  await page.getByLabel('Column N (Dec estimate) period').selectOption({ label: 'Dec 2027' });
  await screens(page, 'import-mapping-corrected');
  await page.getByRole('button', { name: 'Read the file again with this mapping' }).click();
  await page.getByText(/^Your mapping of “Budget”/).waitFor({ timeout: 60_000 });
  const after = await page.locator('dl[aria-label="What was read"]').textContent();
  const preview = page.getByRole('table', { name: 'Lines the import will create' });
  const previewHeader = await preview.getByRole('columnheader').allTextContents();
  const flightsRow = await preview.getByRole('row').nth(1).getByRole('cell').allTextContents();

  // The report: the rejected cell by its coordinate, the total it throws off, the CSV.
  const rejected = await page
    .getByRole('table', { name: 'Rejected cells' })
    .getByRole('row')
    .nth(1)
    .getByRole('cell')
    .allTextContents();
  const totals = await page
    .getByRole('table', { name: 'Totals that do not match their lines' })
    .getByRole('row')
    .nth(1)
    .getByRole('cell')
    .allTextContents();
  const report = (await download(page, 'Download report (CSV)')).trim().split('\r\n');
  await screens(page, 'import-report');
  found.push(...(await violations(page, 'import review after the remap')));

  // Import the valid rows; the job writes them; the page follows it to the end.
  await page.getByRole('button', { name: 'Import 3 valid rows' }).click();
  const done = await page.getByText(/^Imported into/).textContent({ timeout: 60_000 });
  await screens(page, 'import-done');
  found.push(...(await violations(page, 'import done')));

  // The budget in its grid, with the imported amounts.
  await page.getByRole('link', { name: 'Open the budget in the grid' }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
  await page.locator('.ht_master tbody tr').first().waitFor();
  const budgetTitle = await page.locator('.gp-titlebar__description').textContent();
  await screens(page, 'import-budget-grid');
  const visible = {
    flightsJan: await amountCell(page, 1, 0).textContent(),
    hotelsMar: await amountCell(page, 2, 2).textContent(),
    hotelsApr: await amountCell(page, 2, 3).textContent(),
  };
  // December is off to the right: move there as a person would, from January along the row.
  await amountCell(page, 1, 0).click();
  await page.keyboard.press('Control+ArrowRight');
  await amountCell(page, 1, 11).waitFor();
  const grid = {
    ...visible,
    flightsDec: await amountCell(page, 1, 11).textContent(),
    laptopsDec: await amountCell(page, 3, 11).textContent(),
  };

  // From the budget, a second import would merge or replace, or fill a forecast; or come from Google Sheets.
  await page.getByRole('link', { name: 'Import…' }).click();
  await page.getByRole('heading', { level: 1, name: `Import into ${name}` }).waitFor();
  const budgetChoices = await page
    .getByRole('group', { name: `What the file does to “${name}”` })
    .getByRole('radio')
    .count();
  await screens(page, 'import-source-budget');
  found.push(...(await violations(page, 'import source step for a budget')));
  await page.locator('label.gp-segmented__option', { hasText: 'Google Sheets' }).click();
  await page.getByLabel('Google Sheets link').waitFor();
  await screens(page, 'import-source-google');
  found.push(...(await violations(page, 'import source step, Google Sheets')));

  // Replacing the budget with a revision shows the changes first; cancelling imports nothing.
  await page.locator('label.gp-segmented__option', { hasText: 'Upload a file' }).click();
  await page.getByRole('radio', { name: /^Replace the budget with the file/ }).check();
  await page.getByLabel('Budget file').setInputFiles({
    name: 'Field trips 2027 v2.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: await workbook(true),
  });
  await page.getByRole('button', { name: 'Read the file' }).click();
  const changes = page.getByRole('table', { name: 'Changes the import will make' });
  await changes.waitFor({ timeout: 60_000 });
  const diff = await changes.getByRole('row').allTextContents();
  await page
    .getByRole('heading', { name: 'Changes to the budget' })
    .evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
  await screens(page, 'import-diff');
  found.push(...(await violations(page, 'import review of a replacement')));
  await page.getByRole('button', { name: 'Cancel import' }).click();
  const cancelled = await page.getByText('This import was cancelled; nothing was imported.').textContent();
  await screens(page, 'import-cancelled');

  // The list of imports, and the notification that leads back to this import.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Imports' }).click();
  await page
    .getByRole('table', { name: 'Your imports' })
    .getByRole('link', { name: 'Field trips 2027.xlsx' })
    .waitFor();
  const listed = await page
    .getByRole('table', { name: 'Your imports' })
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].slice(0, 3).map((c) => c.textContent ?? '')));
  await screens(page, 'imports-list');
  found.push(...(await violations(page, 'imports list')));
  const notification = await t.eventually(async () => {
    const [row] = await t.app.services.orm.em.fork().execute<{ title: string; link: string }[]>(
      `select title, link from notifications n join users u on u.id = n.recipient_id
          where u.email = ? and n.family = 'imports' order by n.created_at desc limit 1`,
      [OWNER.email],
    );
    return row;
  }, 30_000);

  expect({
    name,
    before,
    after,
    previewHeader: [previewHeader[0], previewHeader.at(-2), previewHeader.at(-1)],
    flightsRow: [flightsRow[1], flightsRow[2], flightsRow.at(-2), flightsRow.at(-1)],
    rejected,
    totals,
    reportLines: report.length,
    report,
    done,
    grid,
    budgetTotal: budgetTitle?.match(/Total (.*)$/)?.[1],
    budgetChoices,
    diff,
    cancelled,
    listed,
    notification,
    found,
  }).toEqual({
    name: 'Field trips 2027',
    before: 'Lines3Amounts32Rejected cells1Totals that do not add up1Total rows checked1',
    after: 'Lines3Amounts35Rejected cells1Totals that do not add up1Total rows checked1',
    previewHeader: ['Row', 'Dec 2027', 'Total'],
    flightsRow: ['Travel', 'Flights', '€1,110.00', '€12,660.00'],
    rejected: ['Budget!E3', 'Not an amount', 'n/a', '"n/a" is text, not an amount.'],
    totals: ['Budget!H5', 'Total, Jun 2027', '€4,150.50', '€4,050.50', '€100.00', 'Does not add up'],
    reportLines: 3,
    report: expect.arrayContaining([
      '"coordinate","row","column","rule","value","message"',
      '"Budget!E3","3","E","amount","n/a","""n/a"" is text, not an amount."',
    ]),
    done: expect.stringMatching(/^Imported into “Field trips 2027”: 3 lines added, .* 35 amounts written\.$/),
    grid: {
      flightsJan: '1,000.00',
      flightsDec: '1,110.00',
      hotelsMar: '',
      hotelsApr: '500.00',
      laptopsDec: '2,500.50',
    },
    budgetTotal: '€48,166.00',
    budgetChoices: 2,
    diff: [
      'ChangeRowCategoryDescriptionCells',
      'Changed2TravelFlightsJan 2027: €1,000.00 → €1,200.00',
      expect.stringMatching(/^Removed—EquipmentLaptopsJan 2027: €2,500\.50 \(removed\)/),
    ],
    cancelled: 'This import was cancelled; nothing was imported.',
    listed: [
      ['Field trips 2027 v2.xlsx', 'Budget “Field trips 2027”', 'Cancelled'],
      ['Field trips 2027.xlsx', 'New budget “Field trips 2027”', 'Done'],
    ],
    notification: { title: 'Your import “Field trips 2027.xlsx” is done', link: importUrl },
    found: [],
  });
});
