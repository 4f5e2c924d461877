/**
 * `npm run bench:load`: Goalpost at the brief's scale. For each size (default 10,000 users, then
 * 3,000,000), on a scratch database (DATABASE_URL's server, else an embedded PostgreSQL) with the
 * server started as `npm start` runs it (its own process, NODE_ENV=production, jobs in process):
 *   1. seed the users and, in proportion, goals, budgets with their cells, sessions, grants,
 *      comment threads and notifications (bench/load-seed.ts states the ratios), timed;
 *   2. drive the brief's mix (10 reads : 1 write over auth.me, goals.list, budgets.get,
 *      notifications.list, budgets.save of a cell, comments.reply) from LOAD_VUS virtual users,
 *      each with its own session (bench/load-mix.ts), first at LOAD_RATE operations a second on a
 *      fixed schedule, then open-throttle for the most operations a second;
 *   3. measure the bare node:http JSON server (bench/bare-server.ts) in the same run, with
 *      autocannon (as `npm run bench` does) and with the same generator, for Goalpost's ratio.
 * Prints p50/p95/p99 per procedure, errors, the CPU each operation cost the server, PostgreSQL and
 * the generator, how busy the machine was and its load average (other processes count too).
 *
 * Settings (environment): LOAD_USERS (sizes, comma-separated; default 10000,3000000), LOAD_VUS
 * (virtual users, default 5000), LOAD_RATE (default 400), LOAD_SECONDS (each measured run, default
 * 30), LOAD_WARMUP (seconds before each, default 5), LOAD_CONCURRENCY (connections and operations
 * in flight, default 32), LOAD_CPU_PROF=<dir> (the server runs under `node --cpu-prof`; sum the
 * profile with `npm run bench:profile`). Targets (printed, not asserted): p99 <= 50 ms at 400 ops/s; at least
 * 4,000 ops/s open, and at least 10 % of bare node:http.
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import {
  type CpuCost,
  cpuCost,
  cpuSnapshot,
  printTable,
  scratchDatabase,
  startBareServer,
  startServer,
  stopProcess,
} from './harness.ts';
import { bareThroughput, LoadGenerator, type LoadResult, PROCEDURES, WEIGHTS } from './load-mix.ts';
import { type SeedResult, seedAtScale } from './load-seed.ts';

const setting = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};
const SIZES = (process.env.LOAD_USERS ?? '10000,3000000').split(',').map((s) => Number(s.replaceAll('_', '')));
const VUS = setting('LOAD_VUS', 5000);
const RATE = setting('LOAD_RATE', 400);
const SECONDS = setting('LOAD_SECONDS', 30);
const WARMUP = Number(process.env.LOAD_WARMUP ?? 5);
const CONCURRENCY = setting('LOAD_CONCURRENCY', 32);
const CPU_PROF = process.env.LOAD_CPU_PROF ? resolve(process.env.LOAD_CPU_PROF) : null;
const ADMIN = { email: 'load-admin@goalpost.test', password: 'Load-admin-passphrase-1' };

const n = (value: number) => Math.round(value).toLocaleString('en');
const ms = (value: number) => (Number.isNaN(value) ? '-' : value.toFixed(1));
const pct = (value: number | null) => (value === null ? '-' : `${(100 * value).toFixed(0)} %`);

interface Measured {
  result: LoadResult;
  cost: CpuCost;
  /** What the database did per second of the run: commits, and rows written (inserted, updated, deleted). */
  database: { commits: number; rowsWritten: number; blockReads: number };
}

/** The scratch database's own counters (pg_stat_database), not the whole server's. */
async function databaseCounters(scratch: Awaited<ReturnType<typeof scratchDatabase>>) {
  const {
    rows: [row],
  } = await scratch.admin.query<{ commits: string; written: string; reads: string }>(
    `select xact_commit::text as commits, (tup_inserted + tup_updated + tup_deleted)::text as written,
            blks_read::text as reads
       from pg_stat_database where datname = $1`,
    [scratch.name],
  );
  return { commits: Number(row!.commits), written: Number(row!.written), reads: Number(row!.reads) };
}

interface SizeReport {
  users: number;
  seed: SeedResult;
  fixed: Measured;
  open: Measured;
  bare: { autocannon: number; generator: number; loadAverage: number };
}

async function measure(
  scratch: Awaited<ReturnType<typeof scratchDatabase>>,
  serverPid: number,
  run: () => Promise<LoadResult>,
): Promise<Measured> {
  const before = await cpuSnapshot(scratch, serverPid);
  const counted = await databaseCounters(scratch);
  const result = await run();
  const after = await cpuSnapshot(scratch, serverPid);
  // Statistics reach pg_stat_database when a backend goes idle (at most a second late).
  await new Promise((r) => setTimeout(r, 1500));
  const counts = await databaseCounters(scratch);
  const perSecond = (key: keyof typeof counts) => (counts[key] - counted[key]) / result.seconds;
  return {
    result,
    cost: cpuCost(before, after, result.ops),
    database: { commits: perSecond('commits'), rowsWritten: perSecond('written'), blockReads: perSecond('reads') },
  };
}

function printRuns(fixed: Measured, open: Measured, idle: CpuCost): void {
  const total = Object.values(WEIGHTS).reduce((a, b) => a + b, 0);
  const cells = (m: Measured, p: (typeof PROCEDURES)[number] | 'all') => {
    const s = p === 'all' ? m.result.all : m.result.byProcedure[p];
    const count = p === 'all' ? m.result.ops : s.count + s.errors;
    return [n(count / m.result.seconds), ms(s.p50), ms(s.p95), ms(s.p99), String(s.errors)];
  };
  printTable(
    [
      '',
      'share',
      '│ fixed: served/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'errors',
      '│ open: ops/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'errors',
    ],
    [
      ...PROCEDURES.map((p) => [
        p,
        `${((100 * WEIGHTS[p]) / total).toFixed(1)} %`,
        ...cells(fixed, p),
        ...cells(open, p),
      ]),
      ['all', '100 %', ...cells(fixed, 'all'), ...cells(open, 'all')],
    ].map((row) => row.map((cell, i) => (i === 2 || i === 7 ? `│ ${cell}` : cell))),
  );
  const cpu = (m: Measured) => {
    const { perOp, machineBusy, loadAverage } = m.cost;
    const figure = (v: number | null) => (v === null ? '-' : n(v));
    return `server ${figure(perOp.server)}, postgres ${figure(perOp.postgres)}, generator ${figure(perOp.loadGenerator)}; machine busy ${pct(machineBusy)}, load average ${loadAverage.toFixed(1)}`;
  };
  console.log(`CPU µs per operation, fixed rate: ${cpu(fixed)}`);
  console.log(`CPU µs per operation, open:       ${cpu(open)}`);
  for (const [label, m] of [
    ['fixed rate', fixed],
    ['open', open],
  ] as const) {
    const { commits, rowsWritten, blockReads } = m.database;
    console.log(
      `PostgreSQL per second, ${label}: ${n(commits)} commits, ${n(rowsWritten)} rows written, ${n(blockReads)} blocks read outside its buffer cache`,
    );
  }
  const { server, postgres } = open.cost.perOp;
  const idleServer = idle.perOp.server;
  const idlePostgres = idle.perOp.postgres;
  if (server !== null && postgres !== null && idleServer !== null && idlePostgres !== null) {
    // What an operation costs, not what a shared machine happened to give it: the CPU of the open
    // run less what the server and its database use idle (job polling) over as long.
    const rate = open.result.opsPerSecond;
    const marginal = server + postgres - (idleServer + idlePostgres) / rate;
    console.log(
      `Server + PostgreSQL CPU per operation (open, less idle): ${n(marginal)} µs (server ${n(server - idleServer / rate)}, ` +
        `postgres ${n(postgres - idlePostgres / rate)}), so about ${n(1e6 / marginal)} ops/s per core they have to themselves`,
    );
  }
  for (const m of [fixed, open]) {
    if (m.result.errorSamples.length) console.log(`Errors (${m.result.mode}): ${m.result.errorSamples.join(' | ')}`);
  }
}

async function runSize(users: number): Promise<SizeReport> {
  const scratch = await scratchDatabase('goalpost_load');
  const children = [];
  try {
    const server = await startServer(scratch.url, scratch.dir, {
      env: { FIRST_ADMIN_EMAIL: ADMIN.email, FIRST_ADMIN_PASSWORD: ADMIN.password },
      nodeArgs: CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : [],
    });
    children.push(server.child);
    console.log(
      `\n== ${n(users)} users ==\nSeed (set-based SQL, load average ${loadavg()[0]!.toFixed(1)} at the start)`,
    );
    const seed = await seedAtScale(scratch.url, { users, virtualUsers: VUS, say: console.log });
    console.log(
      `Seeded in ${seed.seconds.toFixed(1)} s; database ${(seed.databaseBytes / 1e9).toFixed(2)} GB; rows: ${Object.entries(
        seed.rows,
      )
        .map(([table, rows]) => `${table} ${n(rows)}`)
        .join(', ')}`,
    );

    // What the server and its database use with no requests at all (the job workers poll).
    const idleBefore = await cpuSnapshot(scratch, server.child.pid!);
    await new Promise((r) => setTimeout(r, 5000));
    const idleAfter = await cpuSnapshot(scratch, server.child.pid!);
    const idle = cpuCost(idleBefore, idleAfter, 5); // per second
    const share = (v: number | null) => (v === null ? '-' : `${(v / 1e4).toFixed(1)} %`);
    console.log(
      `Idle (5 s, no requests): server ${share(idle.perOp.server)} of a core, postgres ${share(idle.perOp.postgres)}`,
    );

    const generator = new LoadGenerator(server.url, seed.virtualUsers, CONCURRENCY);
    let fixed: Measured;
    let open: Measured;
    try {
      console.log(
        `\nLoad: ${n(seed.virtualUsers.length)} virtual users (distinct sessions), ${CONCURRENCY} connections; ` +
          `${SECONDS} s at ${RATE} ops/s on schedule, then ${SECONDS} s open with ${CONCURRENCY} in flight (${WARMUP} s warm-up before each)`,
      );
      if (WARMUP > 0) await generator.rate(RATE, WARMUP);
      fixed = await measure(scratch, server.child.pid!, () => generator.rate(RATE, SECONDS));
      if (WARMUP > 0) await generator.openThrottle(CONCURRENCY, WARMUP);
      open = await measure(scratch, server.child.pid!, () => generator.openThrottle(CONCURRENCY, SECONDS));
    } finally {
      await generator.close();
    }

    // The yardstick, in the same run, while the server idles.
    const bareServer = await startBareServer(scratch.dir);
    children.push(bareServer.child);
    const bareSeconds = Math.min(SECONDS, 10);
    await autocannon({ url: bareServer.url, connections: 50, duration: Math.min(3, bareSeconds) });
    const cannon = await autocannon({ url: bareServer.url, connections: 50, duration: bareSeconds });
    const same = await bareThroughput(bareServer.url, CONCURRENCY, bareSeconds);
    await stopProcess(bareServer.child);
    const bare = { autocannon: cannon.requests.average, generator: same, loadAverage: loadavg()[0]! };

    console.log('');
    printRuns(fixed, open, idle);
    console.log(
      `Bare node:http JSON: ${n(bare.autocannon)} req/s (autocannon, 50 connections), ${n(bare.generator)} req/s ` +
        `(this generator, ${CONCURRENCY} connections); Goalpost's open ops/s are ${pct(open.result.opsPerSecond / bare.autocannon)} ` +
        `of the first, ${pct(open.result.opsPerSecond / bare.generator)} of the second`,
    );
    return { users, seed, fixed, open, bare };
  } finally {
    for (const child of children) await stopProcess(child);
    await scratch.drop();
  }
}

console.log(
  `Goalpost at the brief's scale (${process.env.DATABASE_URL ? 'DATABASE_URL server' : 'embedded PostgreSQL'}, Node ${process.version}, ` +
    `server with NODE_ENV=production LOG_LEVEL=info, jobs in process; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')})`,
);
const reports: SizeReport[] = [];
for (const users of SIZES) reports.push(await runSize(users));

console.log('\nHow cost grows with data');
printTable(
  [
    'users',
    'seed s',
    'database GB',
    `${RATE} ops/s: p50 ms`,
    'p99 ms',
    'errors',
    'open ops/s',
    'p99 ms',
    'errors',
    'of bare (autocannon)',
    'load average',
  ],
  reports.map((r) => [
    n(r.users),
    r.seed.seconds.toFixed(0),
    (r.seed.databaseBytes / 1e9).toFixed(2),
    ms(r.fixed.result.all.p50),
    ms(r.fixed.result.all.p99),
    String(r.fixed.result.errors),
    n(r.open.result.opsPerSecond),
    ms(r.open.result.all.p99),
    String(r.open.result.errors),
    pct(r.open.result.opsPerSecond / r.bare.autocannon),
    `${r.fixed.cost.loadAverage.toFixed(1)} / ${r.open.cost.loadAverage.toFixed(1)}`,
  ]),
);
console.log(
  `Targets: p99 <= 50 ms at ${RATE} ops/s; >= 4,000 ops/s open and >= 10 % of bare node:http (load average: at the end of the fixed / open runs)`,
);
process.exit(0);
