/**
 * Benchmarks of the foundation's hot paths, through the real server over HTTP. The server runs as
 * `npm start` runs it (apps/server/src/main.ts in its own process, NODE_ENV=production, logging at
 * info to a file), so the load generator does not share its event loop.
 *
 * Throughput (autocannon, the same duration each, after a warm-up), beside a bare node:http server
 * measured in the same run:
 *   - bare: what node:http alone answers on this machine (50 connections);
 *   - auth.me with a valid session: the session check every authenticated request pays (50);
 *   - users.list, the first page of 2,000 users, as an admin (20).
 * Then one client at a time:
 *   - auth.me; auth.login (dominated by argon2id by design);
 *   - bulk registration of 10,000 users: the dry run, and the commit job (upload -> done);
 *   - users.list paging and trigram search over the 12,001 users.
 *   - users.list sorted by last sign-in, and the export of every user;
 *   - the object access check on budgets.get, owner against a holder of 500 of 10,000 grants (access.ts);
 *   - the budget grid at 5,000 lines × 12 periods: load, a 1,000-row paste, and Chromium (grid.ts);
 *   - 100,000 reminders due in one minute, delivered in the app through the cron job, the outbox
 *     relay and the notifications consumer, beside a plain INSERT of as many outbox rows (reminders.ts);
 *   - then, without the server, the budget import parser (bench/imports.ts).
 * Uses DATABASE_URL's server when set (a scratch database, dropped after), else an embedded one.
 * BENCH_SECONDS sets each throughput run's length (default 10). BENCH_CPU_PROF=<dir> runs the
 * server under `node --cpu-prof` and writes its profile there (`npm run bench:profile <file>` sums it);
 * BENCH_ONLY=auth.me (or users.list) then loads that one procedure alone, so the profile is its own;
 * BENCH_ONLY=grid or BENCH_ONLY=reminders runs that part alone; BENCH_ONLY=imports runs the
 * import end to end alone (upload -> done through a server and a separate jobs process, beside
 * the streaming parse alone, with the jobs process's peak RSS: bench/imports.ts).
 * Prints its figures; it asserts no targets.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from '@goalpost/db';
import { type TestClient, testClient } from '@goalpost/testing/client';
import autocannon from 'autocannon';
import pg from 'pg';
import superjson from 'superjson';
import { JOBS_NODE_FLAGS } from '../apps/jobs/src/heap.ts';
import { benchAccess } from './access.ts';
import { benchGrid } from './grid.ts';
import {
  type CpuCost,
  cpuCost,
  cpuSnapshot,
  percentile,
  printTable,
  queryUrl,
  scratchDatabase,
  startBareServer,
  startProcess,
  startServer,
  stopProcess,
} from './harness.ts';
import { benchImportEndToEnd, runImportsBench } from './imports.ts';
import { benchReminders } from './reminders.ts';

const ADMIN = { email: 'bench-admin@goalpost.test', password: 'Bench-admin-passphrase-1' };
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Math.min(3, SECONDS);
const LISTED_USERS = 2_000;

async function time(label: string, runs: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < Math.min(5, runs); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const row = { label, runs, p50: percentile(samples, 50).toFixed(1), p95: percentile(samples, 95).toFixed(1) };
  console.log(
    `${row.label.padEnd(44)} runs ${String(runs).padStart(5)}   p50 ${row.p50.padStart(8)} ms   p95 ${row.p95.padStart(8)} ms`,
  );
}

interface Throughput extends CpuCost {
  label: string;
  result: autocannon.Result;
}

/** A warm-up run (discarded), then the measured run, with the same settings. */
async function load(
  label: string,
  url: string,
  connections: number,
  server: ChildProcess,
  headers: Record<string, string> = {},
): Promise<Throughput> {
  await autocannon({ url, connections, duration: WARMUP_SECONDS, headers });
  const before = await cpuSnapshot(scratch, server.pid!);
  const result = await autocannon({ url, connections, duration: SECONDS, headers });
  const after = await cpuSnapshot(scratch, server.pid!);
  return { label, result, ...cpuCost(before, after, result.requests.total) };
}

function printThroughput(rows: Throughput[]): void {
  const bare = rows[0]!.result.requests.average;
  const figure = (value: number | null, digits = 0) => (value === null ? '-' : value.toFixed(digits));
  printTable(
    [
      '',
      'conns',
      'req/s',
      'p50 ms',
      'p97.5 ms',
      'p99 ms',
      'errors',
      'non-2xx',
      'of bare',
      'CPU µs/req: server',
      'postgres',
      'autocannon',
      'machine busy',
    ],
    rows.map(({ label, result: r, perOp, machineBusy }) => [
      label,
      String(r.connections),
      r.requests.average.toFixed(0),
      String(r.latency.p50),
      String(r.latency.p97_5),
      String(r.latency.p99),
      String(r.errors + r.timeouts),
      String(r.non2xx),
      `${((100 * r.requests.average) / bare).toFixed(1)} %`,
      figure(perOp.server),
      figure(perOp.postgres),
      figure(perOp.loadGenerator),
      machineBusy === null ? '-' : `${(100 * machineBusy).toFixed(0)} %`,
    ]),
  );
}

async function fetchQuery(url: string, headers: Record<string, string>): Promise<unknown> {
  const res = await fetch(url, { headers });
  const body = (await res.json()) as { result?: { data: never } };
  if (!res.ok || !body.result) throw new Error(`${url} answered ${res.status}: ${JSON.stringify(body)}`);
  return superjson.deserialize(body.result.data);
}

/** Registers `count` users through the bulk import, as an admin would; returns the two phases' times. */
async function bulkRegister(tab: TestClient, count: number, prefix: string) {
  const rows = Array.from({ length: count }, (_, i) => `${prefix}${i}@bench.test,${prefix} ${i},user`);
  const csv = `email,name,roles\n${rows.join('\n')}\n`;
  let started = performance.now();
  const report = await tab.trpc.users.bulkValidate.mutate({ fileName: `${prefix}.csv`, csv });
  const validateMs = performance.now() - started;
  started = performance.now();
  await tab.trpc.users.bulkCommit.mutate({ importId: report.importId });
  for (;;) {
    const status = await tab.trpc.users.bulkStatus.query({ importId: report.importId });
    if (status.status === 'failed') throw new Error(status.error ?? 'bulk import failed');
    if (status.status === 'done') break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return { validateMs, commitMs: performance.now() - started };
}

/** The earlier single-client figures: latency without contention, and the bulk import's phases. */
async function oneAtATime(appUrl: string, tab: TestClient): Promise<void> {
  console.log('\nOne client at a time');
  await time('auth.me (session check)', 500, () => tab.trpc.auth.me.query());
  await time('auth.login (argon2id verify + session)', 40, () => testClient(appUrl).trpc.auth.login.mutate(ADMIN));
  const bulk = await bulkRegister(tab, 10_000, 'person');
  console.log(`${'users.bulkValidate, 10,000 rows (dry run)'.padEnd(44)} ${bulk.validateMs.toFixed(0).padStart(8)} ms`);
  console.log(
    `${'bulk commit job, 10,000 users (queued->done)'.padEnd(44)} ${bulk.commitMs.toFixed(0).padStart(8)} ms`,
  );
  const total = LISTED_USERS + 10_000 + 1;
  await time(`users.list, page of 25 of ${total.toLocaleString('en')}`, 200, () =>
    tab.trpc.users.list.query({ pageSize: 25, page: 7 }),
  );
  await time('users.list, search "son 99" (trigram)', 200, () => tab.trpc.users.list.query({ search: 'son 99' }));
  await time('users.list, by last sign-in, page 7', 200, () =>
    tab.trpc.users.list.query({ sort: 'lastLoginAt', dir: 'desc', pageSize: 25, page: 7 }),
  );
  await time(`users.export, all ${total.toLocaleString('en')} (CSV rows)`, 10, () => tab.trpc.users.export.query({}));
}

/**
 * The import end to end needs its jobs in a process of their own (so its peak RSS is the jobs'):
 * a server with JOBS_IN_PROCESS=false and `apps/jobs/src/main.ts` beside it, on the same database.
 */
async function importsEndToEnd() {
  const server = await startServer(databaseUrl, scratch.dir, {
    env: {
      LOG_LEVEL: 'info',
      JOBS_IN_PROCESS: 'false',
      FIRST_ADMIN_EMAIL: ADMIN.email,
      FIRST_ADMIN_PASSWORD: ADMIN.password,
    },
  });
  children.push(server.child);
  const jobsPort = await freePort();
  const jobs = await startProcess(
    'apps/jobs/src/main.ts',
    {
      NODE_ENV: 'production',
      PUBLIC_URL: server.url,
      DATABASE_URL: databaseUrl,
      REDIS_URL: '',
      LOG_LEVEL: 'warn',
      JOBS_HTTP_PORT: String(jobsPort),
    },
    `http://127.0.0.1:${jobsPort}/readyz`,
    join(scratch.dir, 'imports-jobs.log'),
    // With the heap limits operators run it with; BENCH_JOBS_NODE_OPTIONS (such as
    // `--max-old-space-size=192`, or '' for V8's own sizing) replaces them to compare.
    process.env.BENCH_JOBS_NODE_OPTIONS === undefined
      ? JOBS_NODE_FLAGS
      : process.env.BENCH_JOBS_NODE_OPTIONS.split(/\s+/).filter(Boolean),
  );
  children.push(jobs);
  const machine = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`\n(load average before the import end to end: ${machine})`);
  try {
    await benchImportEndToEnd({ url: server.url, jobsPid: jobs.pid as number, admin: ADMIN });
  } catch (error) {
    for (const log of ['server.log', 'imports-jobs.log']) {
      console.error(
        `--- ${log} (last lines)\n${readFileSync(join(scratch.dir, log), 'utf8').split('\n').slice(-15).join('\n')}`,
      );
    }
    throw error;
  }
  await stopProcess(jobs);
  await stopProcess(server.child);
}

/** BENCH_ONLY=grid: the grid's section alone, then the usual clean-up. */
class BenchDone extends Error {}

const scratch = await scratchDatabase();
const databaseUrl = scratch.url;
const cpuProfDir = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : null;
const only = process.env.BENCH_ONLY ?? null;
if (only && !['auth.me', 'users.list', 'grid', 'reminders', 'imports'].includes(only)) {
  throw new Error('BENCH_ONLY is auth.me, users.list, grid, reminders or imports');
}
const children: ChildProcess[] = [];
try {
  const server = await startServer(databaseUrl, scratch.dir, {
    env: {
      FIRST_ADMIN_EMAIL: ADMIN.email,
      FIRST_ADMIN_PASSWORD: ADMIN.password,
      RATE_LIMIT_LOGIN_PER_IP: '100000',
      RATE_LIMIT_LOGIN_PER_ACCOUNT: '100000',
    },
    nodeArgs: cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [],
  });
  const app = server.child;
  const appUrl = server.url;
  children.push(app);
  console.log(
    `Goalpost benchmarks (${process.env.DATABASE_URL ? 'DATABASE_URL server' : 'embedded PostgreSQL'}, Node ${process.version}, ` +
      `server with NODE_ENV=production LOG_LEVEL=info${cpuProfDir ? `, CPU profile to ${cpuProfDir}` : ''})\n`,
  );

  const tab = testClient(appUrl);
  await tab.trpc.auth.login.mutate(ADMIN);
  const headers = {
    Origin: appUrl,
    Cookie: [...tab.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
  };
  if (only === 'grid') {
    await benchGrid({ url: appUrl, databaseUrl, admin: ADMIN }, tab);
    throw new BenchDone();
  }
  if (only === 'reminders') {
    await benchReminders({ databaseUrl });
    throw new BenchDone();
  }
  if (only === 'imports') {
    await stopProcess(app);
    await importsEndToEnd();
    throw new BenchDone();
  }
  await bulkRegister(tab, LISTED_USERS, 'listed');
  // Planner statistics as autovacuum would have them by now on a real server (it runs each minute).
  const scratchClient = new pg.Client({ connectionString: databaseUrl });
  await scratchClient.connect();
  await scratchClient.query('analyze');
  await scratchClient.end();
  const meUrl = queryUrl(appUrl, 'auth.me');
  const listUrl = queryUrl(appUrl, 'users.list', { page: 1, pageSize: 25 });
  // A wrong cookie would still answer 200 (auth.me gives null): check the answers first.
  const me = (await fetchQuery(meUrl, headers)) as { email: string } | null;
  const page = (await fetchQuery(listUrl, headers)) as { total: number; items: unknown[] };
  if (me?.email !== ADMIN.email || page.total !== LISTED_USERS + 1 || page.items.length !== 25) {
    throw new Error(`unexpected answers: ${JSON.stringify({ me, total: page.total, items: page.items.length })}`);
  }

  const bare = await startBareServer(scratch.dir);
  children.push(bare.child);
  console.log(`Throughput: autocannon, ${SECONDS} s each after ${WARMUP_SECONDS} s of warm-up`);
  const rows = [await load('bare node:http JSON', bare.url, 50, bare.child)];
  await stopProcess(bare.child);
  if (!only || only === 'auth.me') rows.push(await load('auth.me (valid session)', meUrl, 50, app, headers));
  if (!only || only === 'users.list') {
    rows.push(await load(`users.list (page 1 of ${LISTED_USERS + 1})`, listUrl, 20, app, headers));
  }
  printThroughput(rows);
  if (!only) await oneAtATime(appUrl, tab);
  if (!only) await benchAccess({ url: appUrl, databaseUrl }, tab);
  if (!only) await benchGrid({ url: appUrl, databaseUrl, admin: ADMIN }, tab);
  if (!only) await benchReminders({ databaseUrl });
  if (!only) {
    await stopProcess(app);
    await importsEndToEnd();
  }
} catch (error) {
  if (!(error instanceof BenchDone)) throw error;
} finally {
  for (const child of children) await stopProcess(child);
  await scratch.drop();
}
if (!only) await runImportsBench();
process.exit(0);
