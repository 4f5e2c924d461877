/**
 * The import parser on a generated 100,000-line × 12-month workbook (with a total column and a
 * total row), beside a baseline: exceljs's streaming WorkbookReader reading every cell of the same
 * file with no mapping or validation. Each measurement runs in its own child process, so the peak
 * RSS is that process's own (parser plus Node), not the benchmark's; a 25,000-line file shows how
 * memory moves with size. Median time of three runs, highest peak RSS of the three.
 *
 * Run alone with `node bench/imports.ts`; `npm run bench` runs it after the server benchmarks.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';

type Mode = 'baseline' | 'parse';
const RUNS = 3;

/** In a child: one measurement, printed as JSON. */
async function measure(mode: Mode, file: string) {
  const { streamImport } = await import('@goalpost/api/imports');
  const started = performance.now();
  let count = 0;
  if (mode === 'baseline') {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {});
    for await (const sheet of reader) {
      for await (const row of sheet) {
        row.eachCell(() => {
          count += 1;
        });
      }
    }
  } else {
    const outcome = await streamImport(
      { kind: 'file', bytes: readFileSync(file), name: 'bench.xlsx' },
      { currency: 'EUR', granularity: 'monthly', locale: 'en-US' },
      () => {
        count += 1;
      },
    );
    if (!outcome.ok) throw new Error(`the benchmark file did not parse cleanly: ${JSON.stringify(outcome.problems)}`);
  }
  const ms = performance.now() - started;
  console.log(JSON.stringify({ ms, count, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
}

function child(mode: Mode, file: string): { ms: number; count: number; peakRssMb: number } {
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), mode, file], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${mode} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!);
}

function series(mode: Mode, file: string) {
  const runs = Array.from({ length: RUNS }, () => child(mode, file));
  const times = runs.map((r) => r.ms).sort((a, b) => a - b);
  return {
    ms: times[Math.floor(RUNS / 2)]!,
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
    count: runs[0]!.count,
  };
}

/** One streaming parse of `file` in its own process: the figure the end-to-end import is set beside. */
export function parseAlone(file: string) {
  return child('parse', file);
}

/** VmHWM (peak resident set) of a process, in MB, from /proc; null without /proc. VmRSS: now. */
export function peakRssMb(pid: number, field: 'VmHWM' | 'VmRSS' = 'VmHWM'): number | null {
  try {
    const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * The end-to-end figure: a generated 100,000-line × 12-month workbook uploaded through the API
 * (multipart, as the web page sends it) into a new budget, parsed by the parse job, committed by
 * the commit job, to `done`; beside the streaming parse alone of the same file in the same run,
 * with their ratio, and the peak RSS of the jobs process (a separate process, as operators run it).
 * Targets (issue 14): ratio <= 2, peak RSS <= 300 MB.
 */
export async function benchImportEndToEnd(
  options: { url: string; jobsPid: number; admin: { email: string; password: string } },
  lines = 100_000,
) {
  const { largeXlsx } = await import('../packages/api/src/imports/corpus.ts');
  const { importFormData } = await import('@goalpost/api/imports');
  const { testClient } = await import('@goalpost/testing/client');
  const dir = mkdtempSync(join(tmpdir(), 'goalpost-bench-import-e2e-'));
  try {
    const file = join(dir, 'budget.xlsx');
    await largeXlsx(file, lines);
    const size = (statSync(file).size / 1024 / 1024).toFixed(1);
    // The parse alone first: the upload then follows its goal at once on a fresh connection.
    const alone = parseAlone(file);
    const tab = testClient(options.url);
    await tab.trpc.auth.login.mutate(options.admin);
    const goal = await tab.trpc.goals.create.mutate({ name: 'Import bench', targetAmountMinor: 0n, currency: 'EUR' });
    const bytes = readFileSync(file);
    // The jobs process's resident set, sampled while each job runs.
    const phaseRss = { parse: 0, commit: 0 };
    const poll = async (id: string, states: string[], phase: 'parse' | 'commit') => {
      for (;;) {
        phaseRss[phase] = Math.max(phaseRss[phase], peakRssMb(options.jobsPid, 'VmRSS') ?? 0);
        const view = await tab.trpc.imports.get.query({ importId: id });
        if (view.state === 'failed') throw new Error(`the import failed: ${view.error}`);
        if (states.includes(view.state)) return view;
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    const started = performance.now();
    const imp = await tab.trpc.imports.start.mutate(
      importFormData(new Blob([bytes]), 'budget.xlsx', {
        target: { kind: 'new-budget', goalId: goal.id, name: 'Bench', periodStart: '2027-01-01', periods: 12 },
      }),
    );
    const uploaded = performance.now();
    const rssAtStart = peakRssMb(options.jobsPid, 'VmRSS');
    const ready = await poll(imp.id, ['ready'], 'parse');
    if (!ready.canCommit || ready.parse?.stats.lines !== lines) {
      throw new Error(
        `unexpected dry run: ${JSON.stringify(ready.parse?.stats)} ${JSON.stringify(ready.parse?.problems)}`,
      );
    }
    const readyAt = performance.now();
    await tab.trpc.imports.commit.mutate({ importId: imp.id });
    const done = await poll(imp.id, ['done'], 'commit');
    const doneAt = performance.now();
    if (done.result?.lines.added !== lines) throw new Error(`committed ${JSON.stringify(done.result)}`);
    const total = doneAt - started;
    const rss = peakRssMb(options.jobsPid);
    const ms = (v: number) => `${v.toFixed(0).padStart(7)} ms`;
    console.log(
      `\nImports end to end: ${lines.toLocaleString('en')} lines × 12 months (${size} MB) into a new budget\n`,
    );
    console.log(`${'upload (multipart, stored, parse queued)'.padEnd(44)} ${ms(uploaded - started)}`);
    console.log(`${'  -> ready (parse job: read, check, stage)'.padEnd(44)} ${ms(readyAt - uploaded)}`);
    console.log(`${'  -> done (commit job: one transaction)'.padEnd(44)} ${ms(doneAt - readyAt)}`);
    console.log(`${'upload -> done'.padEnd(44)} ${ms(total)}`);
    console.log(
      `${'streaming parse alone (same file, own process)'.padEnd(44)} ${ms(alone.ms)}  peak RSS ${alone.peakRssMb.toFixed(0)} MB`,
    );
    console.log(
      `${'ratio end to end / parse alone'.padEnd(44)} ${`×${(total / alone.ms).toFixed(2)}`.padStart(10)}   (target ≤ 2)`,
    );
    console.log(
      `${'jobs process peak RSS'.padEnd(44)} ${rss === null ? 'n/a' : `${rss.toFixed(0).padStart(7)} MB`}   (target ≤ 300 MB)`,
    );
    console.log(
      `${'  (RSS sampled: idle / parse / commit)'.padEnd(44)} ${[rssAtStart ?? 0, phaseRss.parse, phaseRss.commit].map((v) => v.toFixed(0)).join(' / ')} MB`,
    );
    return { totalMs: total, parseAloneMs: alone.ms, ratio: total / alone.ms, jobsPeakRssMb: rss };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runImportsBench() {
  const { largeXlsx } = await import('../packages/api/src/imports/corpus.ts');
  const dir = mkdtempSync(join(tmpdir(), 'goalpost-bench-imports-'));
  try {
    console.log('\nImports: streaming parse of a generated workbook (12 months, a total column and row)\n');
    const row = (label: string, r: { ms: number; peakRssMb: number }, base?: { ms: number; peakRssMb: number }) =>
      console.log(
        `${label.padEnd(44)} ${r.ms.toFixed(0).padStart(7)} ms  peak RSS ${r.peakRssMb.toFixed(0).padStart(4)} MB${
          base ? `   ×${(r.ms / base.ms).toFixed(2)} time, ×${(r.peakRssMb / base.peakRssMb).toFixed(2)} RSS` : ''
        }`,
      );
    for (const lines of [25_000, 100_000]) {
      const file = join(dir, `budget-${lines}.xlsx`);
      await largeXlsx(file, lines);
      const size = (statSync(file).size / 1024 / 1024).toFixed(1);
      const baseline = series('baseline', file);
      const parse = series('parse', file);
      if (parse.count !== lines) throw new Error(`expected ${lines} lines, parsed ${parse.count}`);
      row(`${lines.toLocaleString('en')} lines (${size} MB): exceljs reader alone`, baseline);
      row(`${lines.toLocaleString('en')} lines: streamImport (map, check, totals)`, parse, baseline);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const [mode, file] = process.argv.slice(2);
if (mode === 'baseline' || mode === 'parse') await measure(mode, file!);
else if (import.meta.url === `file://${process.argv[1]}`) await runImportsBench();
