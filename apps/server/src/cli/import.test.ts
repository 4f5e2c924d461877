/**
 * `npm run import` as a script runs it: a child process against the test database. A dry run
 * prints the report (JSON with --json) and writes nothing; rejected cells make it exit 1 with
 * nothing written; a clean file is imported into a new budget (exit 0), and the same file into
 * that budget again changes nothing.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startTestApp, type TestApp, type TestClient } from '@goalpost/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

let t: TestApp;
let owner: TestClient;
const dir = mkdtempSync(join(tmpdir(), 'goalpost-import-cli-'));
beforeAll(async () => {
  t = await startTestApp();
  owner = await t.activeUser({ email: 'cleo@cli.test', name: 'Cleo Cli', password: 'Scripts-run-at-night-5' });
});
afterAll(() => t?.close());

function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const env = {
    ...process.env,
    DATABASE_URL: t.app.services.orm.config.get('clientUrl') as string,
    PUBLIC_URL: t.url,
    LOG_LEVEL: 'silent',
  };
  return new Promise((done) => {
    execFile(process.execPath, [resolve(import.meta.dirname, 'import.ts'), ...args], { env }, (error, stdout, stderr) =>
      done({ code: error ? Number(error.code ?? 1) : 0, out: stdout, err: stderr }),
    );
  });
}

const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

it('prints the dry run, refuses rejected rows, imports a clean file and re-imports it without change', async () => {
  const goal = await owner.trpc.goals.create.mutate({ name: 'CLI goal', targetAmountMinor: 0n, currency: 'EUR' });
  const bad = file(
    'bad.csv',
    'Category,Description,Jan 2027,Feb 2027\r\nTravel,Flights,100,oops\r\nOffice,Rent,50,50\r\n',
  );
  const dry = await run(bad, '--goal', goal.id, '--dry-run', '--json');
  const report = JSON.parse(dry.out);
  expect({
    code: dry.code,
    state: report.state,
    committed: report.committed,
    rejected: report.rejected.map((r: { coordinate: string }) => r.coordinate),
    lines: report.stats.lines,
  }).toEqual({
    code: 1,
    state: 'cancelled',
    committed: false,
    rejected: ['bad!D2'],
    lines: 2,
  });
  const refused = await run(bad, '--goal', goal.id);
  expect(refused.code).toBe(1);
  expect(refused.out).toContain('Rejected bad!D2 (amount) "oops"');
  expect(refused.out).toContain('Nothing was written: cells were rejected.');
  expect((await owner.trpc.goals.get.query({ goalId: goal.id })).budgets ?? []).toHaveLength(0);

  const good = file(
    'good.csv',
    'Category,Description,Jan 2027,Feb 2027\r\nTravel,Flights,100,200\r\nOffice,Rent,50,50\r\n',
  );
  const imported = await run(good, '--goal', goal.id, '--name', 'Scripted', '--json');
  const result = JSON.parse(imported.out);
  expect({ code: imported.code, state: result.state, lines: result.result.lines }).toEqual({
    code: 0,
    state: 'done',
    lines: { added: 2, changed: 0, removed: 0 },
  });
  const budget = await owner.trpc.budgets.get.query({ budgetId: result.result.budgetId });
  expect(budget.lines.map((l) => [l.category, l.amounts[0], l.amounts[1]])).toEqual([
    ['Travel', 10000n, 20000n],
    ['Office', 5000n, 5000n],
  ]);
  const again = await run(good, '--goal', goal.id, '--budget', budget.id);
  expect(again.code).toBe(0);
  expect(again.out).toContain('Diff (replace): 0 lines added, 0 changed, 0 removed, 2 unchanged');
  expect(again.out).toContain('0 cells written');

  const usage = await run(good);
  expect(usage.code).toBe(2);
  expect(usage.err).toContain('Usage: npm run import');
}, 120_000);
