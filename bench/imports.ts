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
