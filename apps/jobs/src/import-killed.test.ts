/**
 * A jobs process killed in the middle of a budget import's commit loses nothing and duplicates
 * nothing. A 20,000-line workbook is uploaded through the API and parsed by a standalone jobs
 * process (as operators run it); once the commit has written part of the lines (its progress,
 * written outside the transaction, says so) the process is killed with SIGKILL. Nothing of the
 * import is then in the database: the commit is one transaction. A second jobs process picks the
 * job up again once the dead one's heartbeat stops, and the budget ends with every line and cell
 * exactly once, one history row per line, and the import done.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFormData } from '@goalpost/api/imports';
import { eventually, startTestApp, type TestApp } from '@goalpost/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { largeXlsx } from '../../../packages/api/src/imports/corpus.ts';
import { jobsProcesses } from './testing.ts';

const LINES = 20_000;
let t: TestApp;
const workers = jobsProcesses(() => t);

beforeAll(async () => {
  t = await startTestApp({ JOBS_IN_PROCESS: 'false' });
});
afterAll(async () => {
  await workers.stopAll();
  await t?.close();
});

const startWorker = () => workers.start();

const count = async (sql: string, params: unknown[]) => Number((await t.sql<{ n: string }>(sql, params))[0]?.n);

it('commits an import exactly once after its jobs process is killed mid-commit', async () => {
  const owner = await t.activeUser({ email: 'kim@killed.test', name: 'Kim Killed', password: 'Pull-the-plug-now-8' });
  const path = join(mkdtempSync(join(tmpdir(), 'goalpost-killed-')), 'killed.xlsx');
  const { totals } = await largeXlsx(path, LINES);
  const goal = await owner.trpc.goals.create.mutate({ name: 'Killed', targetAmountMinor: 0n, currency: 'EUR' });
  const started = await owner.trpc.imports.start.mutate(
    importFormData(new Blob([readFileSync(path)]), 'killed.xlsx', {
      target: { kind: 'new-budget', goalId: goal.id, name: 'Survivor', periodStart: '2027-01-01', periods: 12 },
    }),
  );
  const state = () => owner.trpc.imports.get.query({ importId: started.id });
  const first = startWorker();
  await eventually(async () => (await state()).state === 'ready', 120_000);
  await owner.trpc.imports.commit.mutate({ importId: started.id });
  const atKill = await eventually(async () => {
    const view = await state();
    if (view.state !== 'importing' && view.state !== 'done') return undefined;
    return view.state === 'done' || view.progress.rows > 0 ? view : undefined;
  }, 120_000);
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));
  const budgetsOfGoal = 'select count(*) as n from budgets where goal_id = ?';
  const afterKill = {
    state: (await state()).state,
    budgets: await count(budgetsOfGoal, [goal.id]),
    logRows: await count('select count(*) as n from budget_log where import_id = ?', [started.id]),
  };

  startWorker();
  const done = await eventually(async () => {
    const view = await state();
    return view.state === 'done' || view.state === 'failed' ? view : undefined;
  }, 180_000);
  const budgetId = done.result?.budgetId ?? '';
  const cellsOf = `select count(*) as n from budget_amounts a join budget_lines l on l.id = a.line_id
                   join budget_versions v on v.id = l.version_id where v.budget_id = ?`;
  const sums = await t.sql<{ total: string }>(
    `select sum(a.amount_minor)::text as total from budget_amounts a join budget_lines l on l.id = a.line_id
     join budget_versions v on v.id = l.version_id where v.budget_id = ? group by a.period order by a.period`,
    [budgetId],
  );
  expect({
    killedMidCommit: atKill.state === 'importing',
    afterKill,
    state: done.state,
    budgets: await count(budgetsOfGoal, [goal.id]),
    lines: await count(
      'select count(*) as n from budget_lines l join budget_versions v on v.id = l.version_id where v.budget_id = ?',
      [budgetId],
    ),
    distinctLines: await count(
      `select count(distinct (l.category, l.description)) as n from budget_lines l
       join budget_versions v on v.id = l.version_id where v.budget_id = ?`,
      [budgetId],
    ),
    cells: await count(cellsOf, [budgetId]),
    sums: sums.map((s) => BigInt(s.total)),
    logRows: await count('select count(*) as n from budget_log where import_id = ?', [started.id]),
  }).toEqual({
    killedMidCommit: true,
    // Killed with part of the lines written: none of them is in the database.
    afterKill: { state: 'importing', budgets: 0, logRows: 0 },
    state: 'done',
    budgets: 1,
    lines: LINES,
    distinctLines: LINES,
    cells: LINES * 12,
    sums: totals,
    logRows: 1 + LINES,
  });
}, 420_000);
