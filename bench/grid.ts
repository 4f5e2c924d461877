/**
 * The budget grid at size: a 5,000-line × 12-period budget (60,000 cells).
 * - budgets.get through the real server (session check, policy, the grid query, serialization)
 *   beside a plain `SELECT` of the same 60,000 cells with pg in the same run, and their ratio.
 *   Targets: p50 ≤ 150 ms and ≤ 3× the plain select.
 * - budgets.save of a 1,000-row × 12 paste (12,000 cells, each with the value it was edited from).
 *   Target: p50 ≤ 500 ms.
 * - In Chromium: navigation to an interactive grid of that budget (its first cell drawn), and the
 *   longest task while scrolling it top to bottom. Targets: ≤ 1.5 s and no task over 200 ms.
 */
import { openOrm, query } from '@goalpost/db';
import { type TestClient, testClient } from '@goalpost/testing/client';
import { chromium } from 'playwright-core';

interface Target {
  url: string;
  databaseUrl: string;
  admin: { email: string; password: string };
}

const LINES = 5_000;

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  return { p50: at(50), p95: at(95) };
}

async function sample(runs: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return stats(samples);
}

const line = (label: string, s: { p50: number; p95: number }, note = '') =>
  console.log(
    `${label.padEnd(44)} p50 ${s.p50.toFixed(1).padStart(8)} ms   p95 ${s.p95.toFixed(1).padStart(8)} ms${note ? `   ${note}` : ''}`,
  );

export async function benchGrid(target: Target, admin: TestClient): Promise<void> {
  console.log(`\nThe budget grid: ${LINES.toLocaleString('en')} lines × 12 periods`);
  const goal = await admin.trpc.goals.create.mutate({ name: 'Grid bench', targetAmountMinor: 0n, currency: 'EUR' });
  const budget = await admin.trpc.budgets.create.mutate({
    goalId: goal.id,
    name: 'Large budget',
    periodStart: '2027-01-01',
    periods: 12,
  });
  // Seeded through the API in chunks of 1,000 lines (12,000 cells a save), as pastes would.
  for (let start = 0; start < LINES; start += 1_000) {
    const lines = Array.from({ length: 1_000 }, (_, i) => ({
      key: crypto.randomUUID(),
      position: start + i,
      category: `Line ${start + i + 1}`,
      description: `Cost centre ${(start + i) % 97}`,
    }));
    await admin.trpc.budgets.save.mutate({
      budgetId: budget.id,
      versionNumber: 1,
      lines: { added: lines },
      cells: lines.flatMap((l, i) =>
        budget.periods.map((period, p) => ({ lineKey: l.key, period, from: null, to: BigInt((start + i) * 100 + p) })),
      ),
    });
  }

  const orm = await openOrm({ clientUrl: target.databaseUrl, poolMax: 2 });
  try {
    const plainSql = `select l.key, a.period, a.amount_minor from budget_lines l
      join budget_versions v on v.id = l.version_id join budget_amounts a on a.line_id = l.id
      where v.budget_id = $1 and v.number = 1 order by l.position`;
    const plain = await sample(30, () => query(orm.em.fork(), plainSql, [budget.id]));
    const load = await sample(30, () => admin.trpc.budgets.get.query({ budgetId: budget.id }));
    line('plain SELECT of the 60,000 cells (pg)', plain);
    line(
      'budgets.get through the server',
      load,
      `ratio ${(load.p50 / plain.p50).toFixed(2)}× (targets: p50 ≤ 150 ms, ≤ 3×)`,
    );

    // A 1,000-row × 12 paste over existing lines: each cell from its current value to a new one.
    const grid = await admin.trpc.budgets.get.query({ budgetId: budget.id });
    const rows = grid.lines.slice(0, 1_000);
    let round = 0;
    const save = await sample(10, async () => {
      round += 1;
      await admin.trpc.budgets.save.mutate({
        budgetId: budget.id,
        versionNumber: 1,
        cells: rows.flatMap((l, i) =>
          budget.periods.map((period, p) => ({
            lineKey: l.key,
            period,
            from: round === 1 ? (l.amounts[p] ?? null) : BigInt((round - 1) * 1_000_000 + i * 12 + p),
            to: BigInt(round * 1_000_000 + i * 12 + p),
          })),
        ),
      });
    });
    line('budgets.save, a 1,000 × 12 paste', save, '(target: p50 ≤ 500 ms)');
  } finally {
    await orm.close();
  }

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
  try {
    const context = await browser.newContext({ baseURL: target.url, viewport: { width: 1440, height: 900 } });
    const tab = testClient(target.url);
    await tab.trpc.auth.login.mutate(target.admin);
    await context.addCookies([
      { name: 'goalpost_session', value: tab.cookies.get('goalpost_session') ?? '', url: target.url },
    ]);
    const page = await context.newPage();
    await page.goto('/goals');
    await page.getByRole('heading', { name: 'Goals' }).waitFor();
    const opens: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.goto(`/budgets/${budget.id}`);
      await page.locator('.ht_master tbody td').first().waitFor();
      opens.push(await page.evaluate(() => performance.now()));
    }
    await page.evaluate(() => {
      (window as unknown as { longTasks: number[] }).longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries())
          (window as unknown as { longTasks: number[] }).longTasks.push(entry.duration);
      }).observe({ type: 'longtask' });
    });
    const holder = page.locator('.ht_master .wtHolder');
    const height = await holder.evaluate((el) => el.scrollHeight);
    for (let top = 0; top < height; top += 600) {
      await holder.evaluate((el, y) => {
        el.scrollTop = y;
      }, top);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    }
    const longest = await page.evaluate(() => Math.max(0, ...(window as unknown as { longTasks: number[] }).longTasks));
    const open = stats(opens);
    console.log(
      `${'Chromium: navigation → grid drawn'.padEnd(44)} p50 ${open.p50.toFixed(0).padStart(8)} ms   (target ≤ 1,500 ms)`,
    );
    console.log(
      `${'Chromium: longest task scrolling to the end'.padEnd(44)}     ${longest.toFixed(0).padStart(8)} ms   (target ≤ 200 ms)`,
    );
  } finally {
    await browser.close();
  }
}
