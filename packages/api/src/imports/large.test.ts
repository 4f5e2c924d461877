/**
 * A 100,000-line × 12-month workbook (with its total column and total row) through the real
 * queue: uploaded, parsed by the parse job with progress, committed by the commit job into a new
 * budget in one transaction. Every line and cell lands exactly once, the sheet's totals agree with
 * the budget's, and every change is in budget_log with the import's id.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp, type TestClient } from '@goalpost/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { largeXlsx } from './corpus.ts';
import { importFormData } from './schema.ts';

const LINES = 100_000;
let t: TestApp;
let owner: TestClient;
beforeAll(async () => {
  t = await startTestApp();
  owner = await t.activeUser({ email: 'lou@large.test', name: 'Lou Large', password: 'Hundred-thousand-rows-1' });
});
afterAll(() => t?.close());

it('imports a 100,000-line workbook through the parse and commit jobs', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'goalpost-large-')), 'large.xlsx');
  const { totals } = await largeXlsx(path, LINES);
  const goal = await owner.trpc.goals.create.mutate({ name: 'Large', targetAmountMinor: 0n, currency: 'EUR' });
  const started = await owner.trpc.imports.start.mutate(
    importFormData(new Blob([readFileSync(path)]), 'large.xlsx', {
      target: { kind: 'new-budget', goalId: goal.id, name: 'Large', periodStart: '2027-01-01', periods: 12 },
    }),
  );
  const seen = new Set<number>();
  const ready = await t.eventually(async () => {
    const view = await owner.trpc.imports.get.query({ importId: started.id });
    if (view.state === 'parsing') seen.add(view.progress.rows);
    return ['ready', 'failed'].includes(view.state) ? view : undefined;
  }, 300_000);
  expect({
    state: ready.state,
    canCommit: ready.canCommit,
    lines: ready.parse?.stats.lines,
    cells: ready.parse?.stats.cells,
    totalRows: ready.parse?.stats.totalRows,
    rejected: ready.parse?.stats.rejectedCells,
    mismatches: ready.parse?.mismatches.filter((m) => !m.withinRounding),
  }).toEqual({
    state: 'ready',
    canCommit: true,
    lines: LINES,
    cells: LINES * 12,
    totalRows: 1,
    rejected: 0,
    mismatches: [],
  });
  await owner.trpc.imports.commit.mutate({ importId: started.id });
  const done = await t.eventually(async () => {
    const view = await owner.trpc.imports.get.query({ importId: started.id });
    return ['done', 'failed'].includes(view.state) ? view : undefined;
  }, 600_000);
  expect(done.state).toBe('done');
  const budgetId = done.result!.budgetId;
  const [counts] = await t.sql<{ lines: string; cells: string; logs: string }>(
    `select (select count(*) from budget_lines l join budget_versions v on v.id = l.version_id where v.budget_id = ?) as lines,
            (select count(*) from budget_amounts a join budget_lines l on l.id = a.line_id
               join budget_versions v on v.id = l.version_id where v.budget_id = ?) as cells,
            (select count(*) from budget_log where import_id = ?) as logs`,
    [budgetId, budgetId, started.id],
  );
  const sums = await t.sql<{ period: string; total: string }>(
    `select a.period::text as period, sum(a.amount_minor)::text as total from budget_amounts a
     join budget_lines l on l.id = a.line_id join budget_versions v on v.id = l.version_id
     where v.budget_id = ? group by a.period order by a.period`,
    [budgetId],
  );
  expect({
    lines: Number(counts!.lines),
    cells: Number(counts!.cells),
    logs: Number(counts!.logs),
    sums: sums.map((s) => BigInt(s.total)),
  }).toEqual({
    lines: LINES,
    cells: LINES * 12,
    // created, and one line.added per line (carrying its 12 cells).
    logs: 1 + LINES,
    sums: totals,
  });
}, 900_000);
