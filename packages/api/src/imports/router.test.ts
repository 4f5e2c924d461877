/**
 * Budget imports through the real server, PostgreSQL and the pg-boss jobs: an upload (multipart,
 * as the web client sends it) or a Google Sheets link (a local server answering as Google does)
 * goes queued -> parsing -> ready with its dry run, and a commit writes every valid row into a new
 * budget, an existing one (replace or merge, with the diff shown first) or a forecast, every change
 * in budget_log with the import's id. Re-importing the same file changes nothing. Another person's
 * ids answer NOT_FOUND.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { failure, startTestApp, type TestApp, type TestClient } from '@goalpost/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xlsx } from './corpus.ts';
import { importFormData, type StartUploadFields } from './schema.ts';

let t: TestApp;
let owner: TestClient;
let stranger: TestClient;
let google: Server;
let googleBase: string;
let googleCalls = 0;

const SHEET_ID = '1SharedSheetAbCdEfGhIjKlMnOpQrStUvWxYz0123';
const BUSY_ID = '1BusySheetAbCdEfGhIjKlMnOpQrStUvWxYz0123456';

beforeAll(async () => {
  google = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    if (path === `/spreadsheets/d/${SHEET_ID}/export`) {
      res.writeHead(200, { 'content-type': 'text/csv' });
      return res.end('Category,Description,Jan 2027,Feb 2027\r\nTravel,Flights,"1,200.00",980.50\r\n');
    }
    if (path === `/spreadsheets/d/${BUSY_ID}/export`) {
      googleCalls += 1;
      res.writeHead(503, { 'content-type': 'application/json' });
      return res.end(
        JSON.stringify({ error: { code: 503, message: 'The service is unavailable.', status: 'UNAVAILABLE' } }),
      );
    }
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<html>Not found</html>');
  });
  await new Promise<void>((r) => google.listen(0, '127.0.0.1', r));
  googleBase = `http://127.0.0.1:${(google.address() as AddressInfo).port}`;
  t = await startTestApp({ GOOGLE_SHEETS_EXPORT_BASE_URL: googleBase, GOOGLE_SHEETS_API_BASE_URL: googleBase });
  owner = await t.activeUser({ email: 'ivy@imports.test', name: 'Ivy Import', password: 'Spreadsheets-all-day-7' });
  stranger = await t.activeUser({
    email: 'sid@imports.test',
    name: 'Sid Stranger',
    password: 'Not-your-budget-at-all-3',
  });
});
afterAll(async () => {
  await t?.close();
  google?.close();
});

const MONTHS = ['Jan 2027', 'Feb 2027', 'Mar 2027'];

function csv(rows: (string | number)[][]): Blob {
  return new Blob([rows.map((r) => r.join(',')).join('\r\n')], { type: 'text/csv' });
}

async function upload(tab: TestClient, file: Blob, name: string, fields: StartUploadFields) {
  return tab.trpc.imports.start.mutate(importFormData(file, name, fields));
}

async function settled(tab: TestClient, importId: string, states = ['ready', 'done', 'failed', 'cancelled']) {
  return t.eventually(async () => {
    const view = await tab.trpc.imports.get.query({ importId });
    return states.includes(view.state) ? view : undefined;
  }, 60_000);
}

async function goal(tab = owner) {
  return tab.trpc.goals.create.mutate({ name: 'Imports goal', targetAmountMinor: 0n, currency: 'EUR' });
}

async function budgetRows(budgetId: string) {
  const b = await owner.trpc.budgets.get.query({ budgetId });
  return b.lines.map((l) => [l.category, l.description, ...l.amounts.map((a) => (a === null ? null : String(a)))]);
}

const BASE_FILE = [
  ['Category', 'Description', ...MONTHS],
  ['Travel', 'Flights', '1200.00', '980.50', ''],
  ['Office', 'Rent', '2500', '2500', '2500'],
  ['Office', 'Power', '310.20', 'n/a', '298.00'],
];

describe('an upload into a new budget', () => {
  it('goes from queued to ready with its dry run, then commits every valid row with its history', async () => {
    const g = await goal();
    const started = await upload(owner, csv(BASE_FILE), 'plan.csv', {
      target: { kind: 'new-budget', goalId: g.id, name: 'Imported plan', periodStart: '2027-01-01', periods: 12 },
      options: { locale: 'en-US' },
    });
    expect(['queued', 'parsing', 'ready']).toContain(started.state);
    const ready = await settled(owner, started.id);
    expect({
      state: ready.state,
      canCommit: ready.canCommit,
      needsSkipRejected: ready.needsSkipRejected,
      lines: ready.parse?.stats.lines,
      rejected: ready.parse?.rejected.map((r) => [r.coordinate, r.rule, r.value]),
      preview: ready.parse?.preview?.map((l) => [l.category, l.description, l.amounts]),
      progress: ready.progress,
      mapping: ready.parse?.mapping?.periods.map((p) => [p.col, p.period]),
      headers: ready.parse?.headers.map((h) => `${h.col}:${h.label}`),
    }).toEqual({
      state: 'ready',
      canCommit: true,
      needsSkipRejected: true,
      lines: 3,
      rejected: [['plan!D4', 'amount', 'n/a']],
      preview: [
        ['Travel', 'Flights', { '2027-01-01': 120000n, '2027-02-01': 98050n }],
        ['Office', 'Rent', { '2027-01-01': 250000n, '2027-02-01': 250000n, '2027-03-01': 250000n }],
        ['Office', 'Power', { '2027-01-01': 31020n, '2027-03-01': 29800n }],
      ],
      progress: { rows: 3, total: 3 },
      mapping: [
        [3, '2027-01-01'],
        [4, '2027-02-01'],
        [5, '2027-03-01'],
      ],
      headers: ['1:Category', '2:Description', '3:Jan 2027', '4:Feb 2027', '5:Mar 2027'],
    });
    const report = await owner.trpc.imports.report.query({ importId: started.id });
    expect(report.csv).toContain('"plan!D4","4","D","amount","n/a"');

    expect(await failure(owner.trpc.imports.commit.mutate({ importId: started.id }))).toMatchObject({
      code: 'CONFLICT',
    });
    await owner.trpc.imports.commit.mutate({ importId: started.id, skipRejected: true });
    const done = await settled(owner, started.id, ['done', 'failed']);
    expect(done.state).toBe('done');
    const budgetId = done.result!.budgetId;
    expect((await budgetRows(budgetId)).map((r) => r.slice(0, 5))).toEqual([
      ['Travel', 'Flights', '120000', '98050', null],
      ['Office', 'Rent', '250000', '250000', '250000'],
      ['Office', 'Power', '31020', null, '29800'],
    ]);
    const logged = await t.sql<{ action: string; n: string }>(
      'select action, count(*) as n from budget_log where import_id = ? group by action order by action',
      [started.id],
    );
    // A new line's history row carries its cells.
    expect(logged.map((r) => [r.action, Number(r.n)])).toEqual([
      ['created', 1],
      ['line.added', 3],
    ]);
    const [power] = await t.sql<{ new_value: unknown }>(
      `select new_value from budget_log where import_id = ? and action = 'line.added' and new_value->>'description' = 'Power'`,
      [started.id],
    );
    expect(power!.new_value).toEqual({
      category: 'Office',
      description: 'Power',
      notes: null,
      amounts: { '2027-01-01': '31020', '2027-03-01': '29800' },
    });
    expect(done.result).toMatchObject({ lines: { added: 3 }, cells: { written: 7 }, logRows: 4 });
    // The file and staged lines are gone once done; the import is in the person's list.
    expect(await t.sql('select 1 from import_files where import_id = ?', [started.id])).toEqual([]);
    expect(await t.sql('select 1 from import_lines where import_id = ?', [started.id])).toEqual([]);
    const mine = await owner.trpc.imports.list.query({});
    expect(mine.items[0]).toMatchObject({ id: started.id, state: 'done', budgetId, targetName: 'Imported plan' });
    // The owner hears of it, with a link to the import page.
    const note = await t.eventually(async () => {
      const rows = await t.sql<{ link: string; kind: string }>(
        `select link, kind from notifications where kind = 'import.done' and link = ?`,
        [`/imports/${started.id}`],
      );
      return rows[0];
    });
    expect(note).toEqual({ link: `/imports/${started.id}`, kind: 'import.done' });
  });

  it('refuses what is not a spreadsheet at the upload, and a file over the limit', async () => {
    const g = await goal();
    const target = { kind: 'new-budget' as const, goalId: g.id, name: 'X' };
    const png = new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])]);
    const refused = await failure(upload(owner, png, 'logo.png', { target }));
    expect(refused.code).toBe('BAD_REQUEST');
    expect(refused.message).toMatch(/^file: /);
    const missing = await failure(
      owner.trpc.imports.start.mutate(
        (() => {
          const f = new FormData();
          f.set('input', JSON.stringify({ target }));
          return f;
        })(),
      ),
    );
    expect(missing).toEqual({ code: 'BAD_REQUEST', message: 'file: Choose a file to upload (.xlsx, .csv or .json).' });
  });

  it('fails an unreadable workbook in the parse job with the reason, and tells its owner', async () => {
    const g = await goal();
    const broken = new Blob([
      new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...new TextEncoder().encode('not really a zip')]),
    ]);
    const started = await upload(owner, broken, 'broken.xlsx', {
      target: { kind: 'new-budget', goalId: g.id, name: 'Broken' },
    });
    const failed = await settled(owner, started.id);
    expect({ state: failed.state, hasError: Boolean(failed.error), parse: failed.parse }).toEqual({
      state: 'failed',
      hasError: true,
      parse: null,
    });
    expect(await t.sql('select 1 from import_files where import_id = ?', [started.id])).toEqual([]);
    const note = await t.eventually(async () => {
      const rows = await t.sql<{ kind: string }>(`select kind from notifications where link = ?`, [
        `/imports/${started.id}`,
      ]);
      return rows[0];
    });
    expect(note.kind).toBe('import.failed');
  });

  it('takes a corrected mapping in the preview, and a cancel writes nothing', async () => {
    const g = await goal();
    const file = csv([
      ['Item', 'Notes', 'Jan 2027', 'Feb 2027'],
      ['Travel', 'x', '10', '20'],
    ]);
    const started = await upload(owner, file, 'remap.csv', {
      target: { kind: 'new-budget', goalId: g.id, name: 'Remapped', periodStart: '2027-01-01', periods: 12 },
    });
    const first = await settled(owner, started.id);
    expect(first.parse?.mapping?.periods.map((p) => p.period)).toEqual(['2027-01-01', '2027-02-01']);
    await owner.trpc.imports.remap.mutate({
      importId: started.id,
      mapping: { category: 1, description: 2, periods: [{ col: 3, period: '2027-03-01' }] },
    });
    const second = await settled(owner, started.id);
    expect({
      proposed: second.parse?.proposed,
      preview: second.parse?.preview?.map((l) => l.amounts),
    }).toEqual({ proposed: false, preview: [{ '2027-03-01': 1000n }] });
    await owner.trpc.imports.cancel.mutate({ importId: started.id });
    expect((await owner.trpc.imports.get.query({ importId: started.id })).state).toBe('cancelled');
    expect(await failure(owner.trpc.imports.commit.mutate({ importId: started.id }))).toMatchObject({
      code: 'CONFLICT',
    });
    expect(await t.sql('select 1 from budget_log where import_id = ?', [started.id])).toEqual([]);
  });

  it('reads an xlsx with month headers typed as dates', async () => {
    const g = await goal();
    const bytes = await xlsx([
      {
        name: 'Budget',
        rows: [
          ['Category', 'Description', new Date(Date.UTC(2027, 0, 1)), new Date(Date.UTC(2027, 1, 1))],
          ['Travel', 'Flights', 100.5, 200],
        ],
        formats: { C1: 'mmm yyyy', D1: 'mmm yyyy' },
      },
    ]);
    const started = await upload(owner, new Blob([new Uint8Array(bytes)]), 'book.xlsx', {
      target: { kind: 'new-budget', goalId: g.id, name: 'From xlsx' },
    });
    const ready = await settled(owner, started.id);
    expect(ready.parse?.preview?.[0]?.amounts).toEqual({ '2027-01-01': 10050n, '2027-02-01': 20000n });
    // Headers typed as dates are shown as the periods they were read as.
    expect(ready.parse?.headers.map((h) => h.label)).toEqual(['Category', 'Description', 'Jan 2027', 'Feb 2027']);
    await owner.trpc.imports.commit.mutate({ importId: started.id });
    const done = await settled(owner, started.id, ['done', 'failed']);
    // No periods chosen: the budget covers the file's.
    const budget = await owner.trpc.budgets.get.query({ budgetId: done.result!.budgetId });
    expect([budget.periodStart, budget.periodEnd, budget.lines.length]).toEqual(['2027-01-01', '2027-02-01', 1]);
  });
});

describe('an existing budget', () => {
  async function imported(file: (string | number)[][], target: StartUploadFields['target'], name = 'again.csv') {
    const started = await upload(owner, csv(file), name, { target });
    const ready = await settled(owner, started.id);
    return ready;
  }

  it('shows a replace diff, commits it, and a re-import of the same file changes nothing', async () => {
    const g = await goal();
    const first = await imported(BASE_FILE.slice(0, 3), {
      kind: 'new-budget',
      goalId: g.id,
      name: 'Base',
      periodStart: '2027-01-01',
      periods: 3,
    });
    await owner.trpc.imports.commit.mutate({ importId: first.id });
    const budgetId = (await settled(owner, first.id, ['done', 'failed'])).result!.budgetId;

    const changed = [
      ['Category', 'Description', ...MONTHS],
      ['Travel', 'Flights', '1300.00', '980.50', ''],
      ['Office', 'Cleaning', '99', '', ''],
    ];
    const replace = await imported(changed, { kind: 'budget', budgetId, mode: 'replace' });
    expect({
      lines: replace.parse?.diff?.lines,
      cells: replace.parse?.diff?.cells,
      items: replace.parse?.diff?.items.map((i) => [i.change, i.category, i.description, i.cells]),
    }).toEqual({
      lines: { added: 1, changed: 1, removed: 1, unchanged: 0 },
      cells: { added: 1, changed: 1, removed: 3 },
      items: [
        ['added', 'Office', 'Cleaning', [{ period: '2027-01-01', before: null, after: 9900n }]],
        ['changed', 'Travel', 'Flights', [{ period: '2027-01-01', before: 120000n, after: 130000n }]],
        [
          'removed',
          'Office',
          'Rent',
          [
            { period: '2027-01-01', before: 250000n, after: null },
            { period: '2027-02-01', before: 250000n, after: null },
            { period: '2027-03-01', before: 250000n, after: null },
          ],
        ],
      ],
    });
    const merge = await imported(changed, { kind: 'budget', budgetId, mode: 'merge' });
    const listed = await owner.trpc.imports.list.query({});
    expect(listed.items.find((i) => i.id === merge.id)).toMatchObject({ targetKind: 'budget', targetName: 'Base' });
    expect(merge.parse?.diff?.lines).toEqual({ added: 1, changed: 1, removed: 0, unchanged: 0 });
    await owner.trpc.imports.cancel.mutate({ importId: merge.id });

    await owner.trpc.imports.commit.mutate({ importId: replace.id });
    const done = await settled(owner, replace.id, ['done', 'failed']);
    expect(done.result).toMatchObject({ lines: { added: 1, changed: 1, removed: 1 } });
    expect(await budgetRows(budgetId)).toEqual([
      ['Travel', 'Flights', '130000', '98050', null],
      ['Office', 'Cleaning', '9900', null, null],
    ]);
    const logBefore = await t.sql<{ n: string }>('select count(*) as n from budget_log where budget_id = ?', [
      budgetId,
    ]);

    const again = await imported(changed, { kind: 'budget', budgetId, mode: 'replace' });
    expect(again.parse?.diff).toMatchObject({ empty: true, lines: { added: 0, changed: 0, removed: 0, unchanged: 2 } });
    await owner.trpc.imports.commit.mutate({ importId: again.id });
    const redone = await settled(owner, again.id, ['done', 'failed']);
    expect(redone.result).toMatchObject({
      lines: { added: 0, changed: 0, removed: 0 },
      cells: { written: 0 },
      logRows: 0,
    });
    expect(await budgetRows(budgetId)).toEqual([
      ['Travel', 'Flights', '130000', '98050', null],
      ['Office', 'Cleaning', '9900', null, null],
    ]);
    const logAfter = await t.sql<{ n: string }>('select count(*) as n from budget_log where budget_id = ?', [budgetId]);
    expect(logAfter).toEqual(logBefore);
  });

  it('fills a forecast’s actuals, leaving out lines the budget does not have', async () => {
    const g = await goal();
    const base = await imported(BASE_FILE.slice(0, 3), {
      kind: 'new-budget',
      goalId: g.id,
      name: 'For forecast',
      periodStart: '2027-01-01',
      periods: 3,
    });
    await owner.trpc.imports.commit.mutate({ importId: base.id });
    const budgetId = (await settled(owner, base.id, ['done', 'failed'])).result!.budgetId;
    const forecast = await owner.trpc.forecasts.create.mutate({ budgetId, name: 'Rolling' });
    const actuals = await imported(
      [
        ['Category', 'Description', ...MONTHS],
        ['Travel', 'Flights', '1100', '', ''],
        ['Office', 'Rent', '2500', '2400', ''],
        ['Marketing', 'Fair', '50', '', ''],
      ],
      { kind: 'forecast', forecastId: forecast.id, field: 'actual', mode: 'merge' },
    );
    expect({ unmatched: actuals.parse?.diff?.unmatched, cells: actuals.parse?.diff?.cells }).toEqual({
      unmatched: 1,
      cells: { added: 3, changed: 0, removed: 0 },
    });
    await owner.trpc.imports.commit.mutate({ importId: actuals.id });
    const done = await settled(owner, actuals.id, ['done', 'failed']);
    expect(done.result).toMatchObject({ forecastId: forecast.id, cells: { written: 3 } });
    const grid = await owner.trpc.forecasts.get.query({ forecastId: forecast.id });
    expect(
      grid.lines.map((l) => [l.category, l.description, l.actual.map((a) => (a === null ? null : String(a)))]),
    ).toEqual([
      ['Travel', 'Flights', ['110000', null, null]],
      ['Office', 'Rent', ['250000', '240000', null]],
    ]);
    const logged = await t.sql<{ n: string }>(
      `select count(*) as n from budget_log where import_id = ? and forecast_id = ? and action = 'forecast.cell'`,
      [actuals.id, forecast.id],
    );
    expect(Number(logged[0]!.n)).toBe(3);
  });

  it('answers NOT_FOUND for another person’s budget, goal or import', async () => {
    const g = await goal();
    const mine = await imported(BASE_FILE.slice(0, 2), { kind: 'new-budget', goalId: g.id, name: 'Mine' });
    await owner.trpc.imports.commit.mutate({ importId: mine.id });
    const budgetId = (await settled(owner, mine.id, ['done', 'failed'])).result!.budgetId;
    const file = csv(BASE_FILE);
    expect(
      await failure(upload(stranger, file, 'x.csv', { target: { kind: 'budget', budgetId, mode: 'merge' } })),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(
      await failure(upload(stranger, file, 'x.csv', { target: { kind: 'new-budget', goalId: g.id, name: 'Sneaky' } })),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(stranger.trpc.imports.get.query({ importId: mine.id }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(stranger.trpc.imports.commit.mutate({ importId: mine.id }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await stranger.trpc.imports.list.query({})).items.map((i) => i.id)).not.toContain(mine.id);
  });
});

describe('a Google Sheets link', () => {
  it('is downloaded by the parse job and imported like a file', async () => {
    const g = await goal();
    const started = await owner.trpc.imports.start.mutate({
      source: { kind: 'google', url: `https://docs.google.com/spreadsheets/d/${SHEET_ID}/edit#gid=0` },
      target: { kind: 'new-budget', goalId: g.id, name: 'From Google', periodStart: '2027-01-01', periods: 12 },
      options: { locale: 'en-US' },
    });
    const ready = await settled(owner, started.id);
    expect({ state: ready.state, source: ready.source, preview: ready.parse?.preview?.map((l) => l.amounts) }).toEqual({
      state: 'ready',
      source: { kind: 'google', url: `https://docs.google.com/spreadsheets/d/${SHEET_ID}/edit#gid=0` },
      preview: [{ '2027-01-01': 120000n, '2027-02-01': 98050n }],
    });
    await owner.trpc.imports.commit.mutate({ importId: started.id });
    expect((await settled(owner, started.id, ['done', 'failed'])).state).toBe('done');
  });

  it('is taken as JSON by startJson (the REST start) and read by the same job', async () => {
    const g = await goal();
    const started = await owner.trpc.imports.startJson.mutate({
      source: { kind: 'google', url: `https://docs.google.com/spreadsheets/d/${SHEET_ID}/edit` },
      target: {
        kind: 'new-budget',
        goalId: g.id,
        name: 'From Google over REST',
        periodStart: '2027-01-01',
        periods: 12,
      },
    });
    const ready = await settled(owner, started.id);
    expect({
      state: ready.state,
      source: ready.source.kind,
      preview: ready.parse?.preview?.map((l) => l.amounts),
    }).toEqual({
      state: 'ready',
      source: 'google',
      preview: [{ '2027-01-01': 120000n, '2027-02-01': 98050n }],
    });
    await owner.trpc.imports.cancel.mutate({ importId: started.id });
  });

  it('refuses a link that is not a Google Sheets link at once', async () => {
    const g = await goal();
    const refused = await failure(
      owner.trpc.imports.start.mutate({
        source: { kind: 'google', url: 'https://example.com/sheet.xlsx' },
        target: { kind: 'new-budget', goalId: g.id, name: 'Nope' },
      }),
    );
    expect(refused.code).toBe('BAD_REQUEST');
    expect(refused.message).toMatch(/^source\.url: This is not a Google Sheets link/);
  });

  it('retries Google’s 5xx in the job with backoff, and the import waits queued meanwhile', async () => {
    const g = await goal();
    const started = await owner.trpc.imports.start.mutate({
      source: { kind: 'google', url: BUSY_ID },
      target: { kind: 'new-budget', goalId: g.id, name: 'Busy' },
    });
    const waiting = await t.eventually(async () => {
      const view = await owner.trpc.imports.get.query({ importId: started.id });
      return view.state === 'queued' && view.error ? view : undefined;
    }, 60_000);
    expect(waiting.error).toMatch(/Retrying shortly\.$/);
    expect(googleCalls).toBeGreaterThan(1);
    const jobs = await t.sql<{ retry_count: number; state: string }>(
      `select retry_count, state from pgboss.job where name = 'budget-import-parse' and data->>'importId' = ?`,
      [started.id],
    );
    expect(jobs[0]?.state).toBe('retry');
    await owner.trpc.imports.cancel.mutate({ importId: started.id });
  });
});

describe('housekeeping', () => {
  it('lets a day-old dry run go and fails an import whose job was lost, dropping their files', async () => {
    const { newTraceId, systemContext } = await import('../index.ts');
    const { tidyBudgetImports } = await import('./jobs.ts');
    const g = await goal();
    const target = { kind: 'new-budget' as const, goalId: g.id, name: 'Stale' };
    const stale = await upload(owner, csv(BASE_FILE.slice(0, 2)), 'stale.csv', { target });
    const lost = await upload(owner, csv(BASE_FILE.slice(0, 2)), 'lost.csv', { target });
    await settled(owner, stale.id);
    await settled(owner, lost.id);
    await t.sql(`update imports set updated_at = now() - interval '2 days' where id = ?`, [stale.id]);
    await t.sql(`update imports set status = 'importing', updated_at = now() - interval '1 hour' where id = ?`, [
      lost.id,
    ]);
    const outcome = await tidyBudgetImports(systemContext(t.app.services, newTraceId()));
    expect(outcome.expired).toBeGreaterThanOrEqual(1);
    expect(outcome.abandoned).toBeGreaterThanOrEqual(1);
    const [a, b] = [
      await owner.trpc.imports.get.query({ importId: stale.id }),
      await owner.trpc.imports.get.query({ importId: lost.id }),
    ];
    expect([a.state, b.state, b.error]).toEqual([
      'cancelled',
      'failed',
      'The import stopped without finishing, so nothing was saved. Start it again from the file.',
    ]);
    expect(
      await t.sql(
        'select 1 from import_files where import_id in (?, ?) union all select 1 from import_lines where import_id in (?, ?)',
        [stale.id, lost.id, stale.id, lost.id],
      ),
    ).toEqual([]);
  });
});
