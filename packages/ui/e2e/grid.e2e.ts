/**
 * The budget grid in real Chromium: paste from Excel (both clipboard flavours, with junk cells),
 * undo and redo as one step, typing, fill, Excel keys, rows, page updates, conflicts, markers, an
 * axe check, and a 5,000 × 12 grid's load and scroll. The grid runs in a fixture page
 * (e2e/grid-fixture) built with Vite for this test: it mounts the Grid as a budget page will, keeps
 * its rows in state updated from every report, and records each report on `window.gridFixture`.
 * Handsontable behaves differently enough in happy-dom (no layout, no real clipboard events) that
 * these journeys are checked here. Timing figures are printed, and bounded only generously: speed
 * targets belong in benchmarks, correctness is asserted.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { Browser, Page } from 'playwright-core';
import { build, type PreviewServer, preview } from 'vite';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../../../apps/web/e2e/browser.ts';
import { formatTwoDecimals } from '../src/grid/test-amounts.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '../../..');
const screenshots = join(repoRoot, 'test-results/grid');
const outDir = mkdtempSync(join(tmpdir(), 'goalpost-grid-fixture-'));
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const MONTHS = Array.from({ length: 12 }, (_, m) => `2027-${String(m + 1).padStart(2, '0')}`);
const original = (row: number, month: number) => BigInt((row + 1) * 100 + month) * 100n;
const usd = (minor: bigint) => formatTwoDecimals(minor, 'en-US');

let server: PreviewServer;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  const root = join(here, 'grid-fixture');
  await build({ root, configFile: false, plugins: [react()], logLevel: 'error', build: { outDir, emptyOutDir: true } });
  [server, browser] = await Promise.all([
    preview({ root, configFile: false, logLevel: 'error', build: { outDir }, preview: { port: 0, host: '127.0.0.1' } }),
    launchChromium(),
  ]);
  baseUrl = server.resolvedUrls!.local[0]!;
  mkdirSync(screenshots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.httpServer.close(() => resolve()) : resolve()));
  rmSync(outDir, { recursive: true, force: true });
});

const openPages: Page[] = [];
afterEach(async () => {
  await Promise.all(openPages.splice(0).map((page) => page.close()));
});

async function openGrid(query: string, viewport = { width: 1920, height: 1000 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  openPages.push(page);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  (page as Page & { errors: string[] }).errors = errors;
  await page.goto(`${baseUrl}?${query}`);
  await page.locator('.ht_master tbody td').first().waitFor();
  return page;
}

interface Log {
  changes: { rowKey: string; column: string; from: unknown; to: unknown }[][];
  inserted: unknown[];
  removed: unknown[];
  moved: unknown[];
  selections: unknown[];
  resolved: unknown[];
  actions: unknown[];
  rows: { key: string; values: Record<string, unknown> }[];
}

/** The fixture's record of reports, and the page's rows, with bigints intact. */
async function log(page: Page): Promise<Log> {
  const json = await page.evaluate(() => {
    const fixture = (window as unknown as { gridFixture: Record<string, unknown> & { rows: () => unknown } })
      .gridFixture;
    return JSON.stringify({ ...fixture, rows: fixture.rows(), handle: undefined, setRows: undefined }, (_, v) =>
      typeof v === 'bigint' ? { $bigint: String(v) } : v,
    );
  });
  return JSON.parse(json, (_, v) => (v && typeof v === 'object' && '$bigint' in v ? BigInt(v.$bigint) : v));
}

async function until<T>(page: Page, read: (log: Log) => T, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = read(await log(page));
    if (done(value)) return value;
    await page.waitForTimeout(50);
  }
  throw new Error('The grid did not report what the test waited for.');
}

/** A data cell by its line number (the row header) and column (0 = the line's name). */
function cell(page: Page, line: number, column: number) {
  // The frozen first column is drawn by Handsontable's left overlay, above the master table.
  return page
    .locator(column === 0 ? '.ht_clone_inline_start tbody tr' : '.ht_master tbody tr')
    .filter({ has: page.locator('th', { hasText: new RegExp(`^${line}$`) }) })
    .locator('td')
    .nth(column);
}

function totalOf(page: Page, column: number) {
  return page.locator(`.ht_clone_top thead tr:nth-child(2) th[aria-colindex="${column + 2}"]`);
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

async function axeViolations(page: Page, state: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: unknown[] }> } })
      .axe;
    return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }))
      .violations;
  });
  return (found as { id: string; nodes: { target: string[] }[] }[]).map(
    (v) => `${state}: ${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/** A 50 × 12 block as Excel for Windows (en-US) copies it, with four cells that are not amounts. */
function excelBlock() {
  const junk = new Map<string, { html: string; text: string; reason: string }>([
    ['3:2', { html: '<td>TBD</td>', text: 'TBD', reason: '“TBD” is not an amount.' }],
    ['10:5', { html: '<td>n/a</td>', text: 'n/a', reason: '“n/a” is not an amount.' }],
    [
      '25:0',
      {
        html: '<td class=xl66 x:num="46388">1/1/2027</td>',
        text: '1/1/2027',
        reason: '“1/1/2027” is a date, not an amount.',
      },
    ],
    [
      '49:11',
      {
        html: '<td x:err="#DIV/0!" x:fmla="=A1/0">#DIV/0!</td>',
        text: '#DIV/0!',
        reason: 'The copied cell shows the spreadsheet error #DIV/0!, not an amount.',
      },
    ],
  ]);
  const pasted = (r: number, m: number) => {
    const whole = (r + 1) * 1000 + m * 10;
    const thousandths = ((r * 12 + m) * 7) % 1000;
    const minor = BigInt(whole) * 100n + BigInt(Math.floor(thousandths / 10) + (thousandths % 10 >= 5 ? 1 : 0));
    return { raw: `${whole}.${String(thousandths).padStart(3, '0')}`, minor };
  };
  const rows = Array.from({ length: 50 }, () => Array.from({ length: 12 }, (_, m) => m));
  const text = rows
    .map((months, r) => months.map((m) => junk.get(`${r}:${m}`)?.text ?? usd(pasted(r, m).minor)).join('\t'))
    .join('\r\n');
  const html =
    '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns="http://www.w3.org/TR/REC-html40">' +
    '<head><meta http-equiv=Content-Type content="text/html; charset=utf-8"><meta name=ProgId content=Excel.Sheet><meta name=Generator content="Microsoft Excel 15">' +
    '<style><!--table {mso-displayed-decimal-separator:"\\."; mso-displayed-thousand-separator:"\\,";} td {mso-number-format:General;} .xl65 {mso-number-format:"\\#\\,\\#\\#0\\.00";} .xl66 {mso-number-format:"Short Date";}--></style></head>' +
    '<body><table border=0 cellpadding=0 cellspacing=0><!--StartFragment-->' +
    rows
      .map(
        (months, r) =>
          `<tr height=19>${months
            .map(
              (m) =>
                junk.get(`${r}:${m}`)?.html ??
                `<td class=xl65 align=right x:num="${pasted(r, m).raw}">${usd(pasted(r, m).minor)}</td>`,
            )
            .join('')}</tr>`,
      )
      .join('\r\n') +
    '<!--EndFragment--></table></body></html>';
  return { text: `${text}\r\n`, html, junk, pasted };
}

it('pastes a 50 × 12 Excel block as one reported change, refuses the junk cells, and undoes it in one step', async () => {
  const page = await openGrid('rows=50');
  const { text, html, junk, pasted } = excelBlock();
  const isJunk = (r: number, m: number) => junk.has(`${r}:${m}`);
  const pastedChanges = Array.from({ length: 50 }, (_, r) =>
    MONTHS.flatMap((column, m) =>
      isJunk(r, m) ? [] : [{ rowKey: `line-${r + 1}`, column, from: original(r, m), to: pasted(r, m).minor }],
    ),
  ).flat();
  const columnTotal = (value: (r: number) => bigint) =>
    Array.from({ length: 50 }, (_, r) => value(r)).reduce((a, b) => a + b, 0n);
  const totalsAfterPaste = MONTHS.map((_, m) => usd(columnTotal((r) => (isJunk(r, m) ? 0n : pasted(r, m).minor))));
  const totalsBefore = MONTHS.map((_, m) => usd(columnTotal((r) => original(r, m))));
  const readTotals = () => Promise.all(MONTHS.map((_, m) => totalOf(page, m + 1).textContent()));
  const refusals = async () => {
    const found = [];
    for (const key of junk.keys()) {
      const [r, m] = key.split(':').map(Number) as [number, number];
      await page.evaluate(
        ([line, column]) => {
          (
            window as unknown as { gridFixture: { handle: { selectCell(c: object): void } } }
          ).gridFixture.handle.selectCell({ rowKey: `line-${line}`, column });
        },
        [r + 1, MONTHS[m]!] as const,
      );
      const td = cell(page, r + 1, m + 1);
      found.push({
        text: await td.textContent(),
        refused: await td.evaluate((el) => el.classList.contains('gp-grid__cell--refused')),
        reason: await td.getAttribute('title'),
      });
    }
    return found;
  };

  await cell(page, 1, 1).click();
  await paste(page, text, html);
  const afterPaste = await until(
    page,
    (l) => l.changes,
    (c) => c.length === 1,
  );
  const rowsAfterPaste = (await log(page)).rows;
  const totals = await readTotals();
  const grandTotal = await totalOf(page, 13).textContent();
  const firstRowTotal = await cell(page, 1, 13).textContent();
  const marked = await refusals();

  await page.evaluate(() => {
    (window as unknown as { gridFixture: { handle: { selectCell(c: object): void } } }).gridFixture.handle.selectCell({
      rowKey: 'line-1',
      column: '2027-01',
    });
  });
  await page.keyboard.press('Control+z');
  const afterUndo = await until(
    page,
    (l) => l.changes,
    (c) => c.length === 2,
  );
  const totalsAfterUndo = await readTotals();
  const markedAfterUndo = await page.locator('td.gp-grid__cell--refused').count();

  await page.keyboard.press('Control+y');
  const afterRedo = await until(
    page,
    (l) => l.changes,
    (c) => c.length === 3,
  );

  expect({
    reports: afterPaste.length,
    pasted: afterPaste[0],
    pageRows: rowsAfterPaste.slice(0, 4).map((row) => MONTHS.map((m) => row.values[m])),
    totals,
    grandTotal,
    firstRowTotal,
    marked,
    undone: afterUndo[1],
    totalsAfterUndo,
    markedAfterUndo,
    redone: afterRedo[2],
    errors: (page as Page & { errors: string[] }).errors,
  }).toEqual({
    reports: 1,
    pasted: pastedChanges,
    // The junk cell (line 4, Mar) keeps the page's value: it was never reported.
    pageRows: [0, 1, 2, 3].map((r) => MONTHS.map((_, m) => (isJunk(r, m) ? original(r, m) : pasted(r, m).minor))),
    totals: totalsAfterPaste,
    grandTotal: usd(
      MONTHS.reduce((sum, _, m) => sum + columnTotal((r) => (isJunk(r, m) ? 0n : pasted(r, m).minor)), 0n),
    ),
    firstRowTotal: usd(MONTHS.reduce((sum, _, m) => sum + pasted(0, m).minor, 0n)),
    marked: [...junk.values()].map(({ text, reason }) => ({ text, refused: true, reason })),
    undone: pastedChanges.map(({ rowKey, column, from, to }) => ({ rowKey, column, from: to, to: from })),
    totalsAfterUndo: totalsBefore,
    markedAfterUndo: 0,
    redone: pastedChanges,
    errors: [],
  });
});

it('reads typed amounts, keeps refused text visible with its reason, and reports the fix from the value the page had', async () => {
  const page = await openGrid('rows=5');
  await cell(page, 2, 2).click();
  await page.keyboard.type('1,234.5');
  await page.keyboard.press('Enter');
  await page.keyboard.type('abc');
  await page.keyboard.press('Enter');
  const refused = cell(page, 3, 2);
  const whileRefused = {
    text: await refused.textContent(),
    reason: await refused.getAttribute('title'),
    reports: (await log(page)).changes.length,
  };
  await refused.click();
  await page.keyboard.press('F2');
  const editorText = await page.locator('textarea.handsontableInput').inputValue();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('42');
  await page.keyboard.press('Enter');
  await page.keyboard.type('999');
  await page.keyboard.press('Escape');
  const changes = await until(
    page,
    (l) => l.changes,
    (c) => c.length === 2,
  );

  expect({
    whileRefused,
    editorText,
    changes,
    fixed: await refused.evaluate((el) => [el.textContent, el.classList.contains('gp-grid__cell--refused')]),
    escaped: await cell(page, 4, 2).textContent(),
  }).toEqual({
    whileRefused: { text: 'abc', reason: '“abc” is not an amount.', reports: 1 },
    editorText: 'abc',
    changes: [
      [{ rowKey: 'line-2', column: '2027-02', from: original(1, 1), to: 123_450n }],
      [{ rowKey: 'line-3', column: '2027-02', from: original(2, 1), to: 4200n }],
    ],
    fixed: ['42.00', false],
    escaped: usd(original(3, 1)),
  });
});

it('keeps more than 100 undo steps, each undo reported', async () => {
  const page = await openGrid('rows=5');
  await cell(page, 1, 1).click();
  for (let i = 1; i <= 105; i++) {
    await page.keyboard.type(String(i));
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowUp');
  }
  for (let i = 0; i < 105; i++) await page.keyboard.press('Control+z');
  const changes = await until(
    page,
    (l) => l.changes,
    (c) => c.length === 210,
  );

  expect({
    reports: changes.length,
    firstUndo: changes[105],
    lastUndo: changes[209],
    cell: await cell(page, 1, 1).textContent(),
  }).toEqual({
    reports: 210,
    firstUndo: [{ rowKey: 'line-1', column: '2027-01', from: 10_500n, to: 10_400n }],
    lastUndo: [{ rowKey: 'line-1', column: '2027-01', from: 100n, to: original(0, 0) }],
    cell: usd(original(0, 0)),
  });
});

it('copies what the cells show, row totals included, and reads its own copy back', async () => {
  const page = await openGrid('rows=5');
  await cell(page, 1, 0).click();
  await cell(page, 2, 13).click({ modifiers: ['Shift'] });
  const copied = await page.evaluate(() => {
    const data = new DataTransfer();
    const target = document.activeElement ?? document.body;
    target.dispatchEvent(new ClipboardEvent('copy', { clipboardData: data, bubbles: true, cancelable: true }));
    return { text: data.getData('text/plain'), html: data.getData('text/html') };
  });
  await cell(page, 4, 0).click();
  await paste(page, copied.text, copied.html);
  const changes = await until(
    page,
    (l) => l.changes,
    (c) => c.length === 1,
  );
  const rowTotal = (r: number) => MONTHS.reduce((sum, _, m) => sum + original(r, m), 0n);

  expect({ text: copied.text.split('\n'), pasted: changes[0] }).toEqual({
    text: [0, 1].map((r) =>
      [`Line ${r + 1}`, ...MONTHS.map((_, m) => usd(original(r, m))), usd(rowTotal(r))].join('\t'),
    ),
    pasted: [3, 4].flatMap((r) => [
      { rowKey: `line-${r + 1}`, column: 'name', from: `Line ${r + 1}`, to: `Line ${r - 2}` },
      ...MONTHS.map((column, m) => ({ rowKey: `line-${r + 1}`, column, from: original(r, m), to: original(r - 3, m) })),
    ]),
  });
});

it('moves like Excel (Ctrl+arrows, Tab, Enter) and fills with the fill handle and Ctrl+D, one report each', async () => {
  const page = await openGrid('rows=20');
  const selection = async () => (await log(page)).selections.at(-1);
  await cell(page, 1, 1).click();
  const moves: Record<string, unknown> = {};
  for (const keys of [
    'Control+ArrowDown',
    'Control+ArrowLeft',
    'Control+ArrowUp',
    'Tab',
    'Enter',
    'Control+ArrowRight',
  ]) {
    await page.keyboard.press(keys);
    moves[keys] = await selection();
  }

  await cell(page, 1, 3).click();
  const handle = page.locator('.ht_master .wtBorder.current.corner');
  const from = (await handle.boundingBox())!;
  const to = (await cell(page, 4, 3).boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
  await page.mouse.up();
  const afterFill = await until(
    page,
    (l) => l.changes,
    (c) => c.length === 1,
  );

  await cell(page, 6, 4).click();
  await cell(page, 8, 5).click({ modifiers: ['Shift'] });
  await page.keyboard.press('Control+d');
  const afterCtrlD = await until(
    page,
    (l) => l.changes,
    (c) => c.length === 2,
  );

  expect({ moves, fill: afterFill[0], ctrlD: afterCtrlD[1] }).toEqual({
    moves: {
      'Control+ArrowDown': { rowKey: 'line-20', column: '2027-01' },
      'Control+ArrowLeft': { rowKey: 'line-20', column: 'name' },
      'Control+ArrowUp': { rowKey: 'line-1', column: 'name' },
      Tab: { rowKey: 'line-1', column: '2027-01' },
      Enter: { rowKey: 'line-2', column: '2027-01' },
      // The row total column is not a data cell.
      'Control+ArrowRight': null,
    },
    fill: [2, 3, 4].map((line) => ({
      rowKey: `line-${line}`,
      column: '2027-03',
      from: original(line - 1, 2),
      to: original(0, 2),
    })),
    ctrlD: [7, 8].flatMap((line) =>
      [3, 4].map((m) => ({
        rowKey: `line-${line}`,
        column: MONTHS[m],
        from: original(line - 1, m),
        to: original(5, m),
      })),
    ),
  });
});

it('inserts, removes and moves rows; undoing a removal brings the line back with its key and values', async () => {
  const page = await openGrid('rows=5');
  const menu = async (line: number, item: string) => {
    await cell(page, line, 1).click({ button: 'right' });
    await page.locator('.htContextMenu td', { hasText: item }).click();
  };
  await menu(2, 'Insert row above');
  await until(
    page,
    (l) => l.inserted,
    (i) => i.length === 1,
  );
  await cell(page, 2, 0).click();
  await page.keyboard.type('Consulting');
  await page.keyboard.press('Enter');
  await until(
    page,
    (l) => l.changes,
    (c) => c.length === 1,
  );
  await menu(4, 'Remove row');
  await until(
    page,
    (l) => l.removed,
    (r) => r.length === 1,
  );
  await cell(page, 1, 1).click();
  await page.keyboard.press('Control+z');
  await until(
    page,
    (l) => l.inserted,
    (i) => i.length === 2,
  );
  await menu(1, 'Move row down');
  const final = await until(
    page,
    (l) => l,
    (l) => l.moved.length === 1,
  );
  const gridOrder = await page.locator('.ht_clone_inline_start tbody tr td:first-of-type').allTextContents();

  expect({
    inserted: final.inserted,
    changes: final.changes,
    removed: final.removed,
    moved: final.moved,
    pageOrder: final.rows.map((row) => row.values.name ?? ''),
    gridOrder,
  }).toEqual({
    inserted: [
      {
        index: 1,
        rows: [{ key: 'new-1', values: { name: null, ...Object.fromEntries(MONTHS.map((m) => [m, null])) } }],
      },
      {
        index: 3,
        rows: [
          {
            key: 'line-3',
            values: { name: 'Line 3', ...Object.fromEntries(MONTHS.map((m, i) => [m, original(2, i)])) },
          },
        ],
      },
    ],
    changes: [[{ rowKey: 'new-1', column: 'name', from: null, to: 'Consulting' }]],
    removed: [{ keys: ['line-3'] }],
    moved: [{ keys: ['line-1'], toIndex: 1 }],
    pageOrder: ['Consulting', 'Line 1', 'Line 2', 'Line 3', 'Line 4', 'Line 5'],
    gridOrder: ['Consulting', 'Line 1', 'Line 2', 'Line 3', 'Line 4', 'Line 5'],
  });
});

it('takes the page’s updates without losing the selection, the undo step or text being typed', async () => {
  const page = await openGrid('rows=5&marks=1');
  const setCell = (key: string, column: string, minor: string) =>
    page.evaluate(
      ([key, column, minor]) => {
        type Row = { key: string; values: Record<string, unknown> };
        (window as unknown as { gridFixture: { setRows(f: (rows: Row[]) => Row[]): void } }).gridFixture.setRows(
          (rows) =>
            rows.map((row) =>
              row.key === key ? { ...row, values: { ...row.values, [column!]: BigInt(minor!) } } : row,
            ),
        );
      },
      [key, column, minor],
    );
  await cell(page, 1, 1).click();
  await page.keyboard.type('5');
  await page.keyboard.press('Enter');
  await setCell('line-4', '2027-05', '77700');
  await cell(page, 4, 5).filter({ hasText: '777.00' }).waitFor();
  const selectionsBefore = (await log(page)).selections.length;

  await cell(page, 5, 1).click();
  await page.keyboard.press('F2');
  await page.keyboard.press('Control+a');
  await page.keyboard.type('12');
  await setCell('line-5', '2027-01', '88800');
  await page.waitForTimeout(100);
  const typedWhileUpdated = await page.locator('textarea.handsontableInput').inputValue();
  await page.keyboard.press('Enter');
  await until(
    page,
    (l) => l.changes,
    (c) => c.length === 2,
  );
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  const final = await until(
    page,
    (l) => l,
    (l) => l.changes.length === 4,
  );

  const conflict = cell(page, 2, 3);
  const conflictLook = {
    marked: await conflict.evaluate((el) => el.classList.contains('gp-grid__cell--conflict')),
    title: await conflict.getAttribute('title'),
  };
  await conflict.click({ button: 'right' });
  const menuItems = await page.locator('.htContextMenu td').allTextContents();
  await page.locator('.htContextMenu td', { hasText: 'Take theirs' }).click();
  await cell(page, 1, 2).click({ button: 'right' });
  await page.locator('.htContextMenu td', { hasText: 'Comment…' }).click();
  const after = await log(page);

  expect({
    serverValue: await cell(page, 4, 5).textContent(),
    selectionKept: selectionsBefore,
    typedWhileUpdated,
    changes: final.changes,
    conflictLook,
    menuItems: menuItems.filter(Boolean).slice(-4),
    resolved: after.resolved,
    actions: after.actions,
    markers: await page.locator('.ht_master td.gp-grid__cell--marked').count(),
  }).toEqual({
    serverValue: '777.00',
    selectionKept: 2,
    typedWhileUpdated: '12',
    changes: [
      [{ rowKey: 'line-1', column: '2027-01', from: original(0, 0), to: 500n }],
      // "from" is the page's update, which arrived while the person was typing.
      [{ rowKey: 'line-5', column: '2027-01', from: 88_800n, to: 1200n }],
      [{ rowKey: 'line-5', column: '2027-01', from: 1200n, to: 88_800n }],
      [{ rowKey: 'line-1', column: '2027-01', from: 500n, to: original(0, 0) }],
    ],
    conflictLook: { marked: true, title: 'Changed by someone else: 999.00; yours: 302.00' },
    menuItems: ['Keep mine', 'Take theirs', 'Comment…', 'History…'],
    resolved: [['line-2:2027-03', 'theirs']],
    actions: [['comment', { rowKey: 'line-1', column: '2027-02' }]],
    markers: 2,
  });
});

it('has an accessible name and no WCAG A/AA violations, idle, editing and with its menu open', async () => {
  const page = await openGrid('rows=20&marks=1', { width: 1440, height: 900 });
  const found: string[] = [];
  await cell(page, 2, 2).click();
  await page.keyboard.type('abc');
  await page.keyboard.press('Enter');
  found.push(...(await axeViolations(page, 'idle')));
  await cell(page, 4, 2).dblclick();
  found.push(...(await axeViolations(page, 'editing')));
  await page.keyboard.press('Escape');
  await page.keyboard.press('Shift+F10');
  await page.locator('.htContextMenu').waitFor();
  found.push(...(await axeViolations(page, 'menu open')));
  await page.keyboard.press('Escape');

  expect({
    name: await page.getByRole('treegrid', { name: 'Budget 2027 lines' }).count(),
    violations: found,
  }).toEqual({ name: 1, violations: [] });
});

it('shows the grid as designed at 1440 and 1024 pixels wide', async () => {
  const paths: string[] = [];
  for (const viewport of [
    { width: 1440, height: 900 },
    { width: 1024, height: 768 },
  ]) {
    const page = await openGrid('rows=60&marks=1', viewport);
    await cell(page, 4, 4).click();
    await page.keyboard.type('TBD');
    await page.keyboard.press('Enter');
    await cell(page, 6, 2).click();
    await cell(page, 8, 3).click({ modifiers: ['Shift'] });
    await cell(page, 4, 4).hover();
    const path = join(screenshots, `grid-${viewport.width}.png`);
    await page.screenshot({ path });
    paths.push(path);
  }
  console.log(`Grid screenshots: ${paths.join(', ')}`);
  expect(paths).toHaveLength(2);
});

it('opens and scrolls a 5,000 × 12 budget without stalls', async () => {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1000 } });
  openPages.push(page);
  await page.addInitScript(() => {
    const tasks: number[] = [];
    (window as unknown as { longTasks: number[] }).longTasks = tasks;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) tasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(`${baseUrl}?rows=5000`);
  await page.locator('.ht_master tbody td').first().waitFor();
  const firstCellAt = await page.evaluate(() => performance.now());
  await cell(page, 1, 1).click();
  await page.keyboard.type('1');
  await page.keyboard.press('Enter');
  await until(
    page,
    (l) => l.changes,
    (c) => c.length === 1,
  );
  const firstEditAt = await page.evaluate(() => performance.now());
  const loadTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks.splice(0));

  const scroll = await page.evaluate(async () => {
    const holder = document.querySelector('.ht_master .wtHolder') as HTMLElement;
    const started = performance.now();
    let frames = 0;
    while (holder.scrollTop + holder.clientHeight < holder.scrollHeight - 1) {
      holder.scrollTop += 600;
      await new Promise((resolve) => requestAnimationFrame(resolve));
      frames++;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { frames, ms: performance.now() - started };
  });
  const scrollTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks.splice(0));
  await cell(page, 5000, 0).waitFor();
  const expectedGrand = Array.from({ length: 5000 }, (_, r) =>
    MONTHS.reduce((s, _, m) => s + original(r, m), 0n),
  ).reduce((a, b) => a + b, 0n);
  const figures = {
    firstCellMs: Math.round(firstCellAt),
    firstEditReportedMs: Math.round(firstEditAt),
    longestLoadTaskMs: Math.round(Math.max(0, ...loadTasks)),
    scrollFrames: scroll.frames,
    scrollMs: Math.round(scroll.ms),
    scrollLongTasks: scrollTasks.length,
    longestScrollTaskMs: Math.round(Math.max(0, ...scrollTasks)),
  };
  console.log(`5,000 × 12 grid: ${JSON.stringify(figures)}`);

  expect({
    lastLine: await cell(page, 5000, 0).textContent(),
    grandTotal: await totalOf(page, 13).textContent(),
    withinGenerousBounds: figures.firstCellMs < 15_000 && figures.longestScrollTaskMs < 3_000,
  }).toEqual({
    lastLine: 'Line 5000',
    grandTotal: usd(expectedGrand - original(0, 0) + 100n),
    withinGenerousBounds: true,
  });
});
