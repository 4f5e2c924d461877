/**
 * Benchmarks of the foundation's hot paths, through the real server over HTTP:
 *   - auth.me: the session check every request pays (the brief's 10:1 read side);
 *   - auth.login: dominated by argon2id by design;
 *   - users.list with a search over the admin list, after bulk registration;
 *   - bulk registration of 10,000 users: the dry run, and the commit job (upload -> done);
 *   - 100,000 reminders due in one minute, delivered in the app (bench/reminders.ts).
 * Uses DATABASE_URL's server when set (a scratch database, dropped after), else an embedded one.
 * Prints its figures; only the reminders have a target (≤ 60 s, no duplicates, no misses), and
 * missing it exits with 1. `npm run bench -- reminders` runs the reminders alone.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@goalpost/db';
import { startApp } from '@goalpost/server';
import { testClient } from '@goalpost/testing/client';
import pg from 'pg';
import { benchReminders } from './reminders.ts';

const ADMIN = { email: 'bench-admin@goalpost.test', password: 'Bench-admin-passphrase-1' };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

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

const scratch = `goalpost_bench_${process.pid}`;
let adminUrl = process.env.DATABASE_URL;
const dataDir = mkdtempSync(join(tmpdir(), 'goalpost-bench-'));
chmodSync(dataDir, 0o755); // the embedded server runs as the postgres user when we are root
const embedded = adminUrl ? null : await startEmbeddedPostgres({ dataDir: join(dataDir, 'pg'), persistent: false });
adminUrl ??= embedded!.adminUrl;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database ${scratch}`);
const url = new URL(adminUrl);
url.pathname = `/${scratch}`;

const app = await startApp({
  ...(await import('@goalpost/server')).loadConfig({
    DATABASE_URL: url.toString(),
    PORT: '0',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    FIRST_ADMIN_EMAIL: ADMIN.email,
    FIRST_ADMIN_PASSWORD: ADMIN.password,
    RATE_LIMIT_LOGIN_PER_IP: '100000',
    RATE_LIMIT_LOGIN_PER_ACCOUNT: '100000',
  } as NodeJS.ProcessEnv),
});
const only = process.argv[2];
let exitCode = 0;
try {
  console.log(
    `Goalpost benchmarks (${process.env.DATABASE_URL ? 'DATABASE_URL server' : 'embedded PostgreSQL'}, Node ${process.version})\n`,
  );
  if (only !== 'reminders') {
    const tab = testClient(app.url);
    await tab.trpc.auth.login.mutate(ADMIN);
    await time('auth.me (session check)', 500, () => tab.trpc.auth.me.query());
    await time('auth.login (argon2id verify + session)', 40, () => testClient(app.url).trpc.auth.login.mutate(ADMIN));

    const csv = `email,name,roles\n${Array.from({ length: 10_000 }, (_, i) => `person${i}@bench.test,Person ${i},user`).join('\n')}\n`;
    let started = performance.now();
    const report = await tab.trpc.users.bulkValidate.mutate({ fileName: 'bench.csv', csv });
    const validateMs = performance.now() - started;
    started = performance.now();
    await tab.trpc.users.bulkCommit.mutate({ importId: report.importId });
    for (;;) {
      const status = await tab.trpc.users.bulkStatus.query({ importId: report.importId });
      if (status.status === 'done' || status.status === 'failed') {
        if (status.status === 'failed') throw new Error(status.error ?? 'bulk import failed');
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const commitMs = performance.now() - started;
    console.log(`${'users.bulkValidate, 10,000 rows (dry run)'.padEnd(44)} ${validateMs.toFixed(0).padStart(8)} ms`);
    console.log(`${'bulk commit job, 10,000 users (queued->done)'.padEnd(44)} ${commitMs.toFixed(0).padStart(8)} ms`);

    await time('users.list, page of 25 of 10,001', 200, () => tab.trpc.users.list.query({ pageSize: 25, page: 7 }));
    await time('users.list, search "son 99" (trigram)', 200, () => tab.trpc.users.list.query({ search: 'son 99' }));
  }
  const reminders = await benchReminders(app);
  console.log(reminders.ok ? '  target met' : '  TARGET MISSED');
  if (!reminders.ok) exitCode = 1;
} finally {
  await app.close();
  await admin.query(`drop database if exists ${scratch} with (force)`);
  await admin.end();
  await embedded?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
