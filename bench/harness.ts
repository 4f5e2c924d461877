/**
 * What the benchmarks share: a scratch database (on DATABASE_URL's server, else an embedded
 * PostgreSQL), the server started as `npm start` runs it (its own process, NODE_ENV=production),
 * the bare node:http yardstick, and CPU accounting from /proc (the server, its PostgreSQL backends,
 * the load generator and the whole machine), so a figure can say what each part cost.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, startEmbeddedPostgres } from '@goalpost/db';
import pg from 'pg';
import superjson from 'superjson';

export const root = resolve(import.meta.dirname, '..');

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Starts `script` on this Node (24) with its output in `logFile`; resolves once `readyUrl` answers. */
export async function startProcess(
  script: string,
  env: Record<string, string>,
  readyUrl: string,
  logFile: string,
  nodeArgs: string[] = [],
): Promise<ChildProcess> {
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...nodeArgs, script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, 'inherit'],
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}; see ${logFile}`);
    if (Date.now() > deadline) throw new Error(`${script} did not answer ${readyUrl} within 120 s`);
    try {
      if ((await fetch(readyUrl)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** A scratch database on DATABASE_URL's server (or a new embedded one), dropped by `drop`. */
export interface Scratch {
  /** postgres://… of the scratch database. */
  url: string;
  name: string;
  /** A connection to the server's maintenance database (for pg_stat_activity). */
  admin: pg.Client;
  /** A folder for logs, removed by `drop`. */
  dir: string;
  embedded: boolean;
  drop(): Promise<void>;
}

export async function scratchDatabase(prefix = 'goalpost_bench'): Promise<Scratch> {
  const name = `${prefix}_${process.pid}`;
  let adminUrl = process.env.DATABASE_URL;
  const dir = mkdtempSync(join(tmpdir(), 'goalpost-bench-'));
  chmodSync(dir, 0o755); // the embedded server runs as the postgres user when we are root
  const embedded = adminUrl ? null : await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), persistent: false });
  adminUrl ??= embedded!.adminUrl;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    admin,
    dir,
    embedded: embedded !== null,
    async drop() {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
      await embedded?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The server as `npm start` runs it, on `databaseUrl`, logging at info to `<dir>/server.log`. */
export async function startServer(
  databaseUrl: string,
  dir: string,
  options: { env?: Record<string, string>; nodeArgs?: string[] } = {},
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = await startProcess(
    'apps/server/src/main.ts',
    {
      NODE_ENV: 'production',
      PUBLIC_URL: url,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      REDIS_URL: '',
      LOG_LEVEL: 'info',
      ...options.env,
    },
    `${url}/readyz`,
    join(dir, 'server.log'),
    options.nodeArgs ?? [],
  );
  return { url, child };
}

/** The bare node:http JSON server (bench/bare-server.ts) in its own process. */
export async function startBareServer(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  return { url, child: await startProcess('bench/bare-server.ts', { PORT: String(port) }, url, join(dir, 'bare.log')) };
}

/** GET of a tRPC query as the web client sends it: superjson input in the query string. */
export function queryUrl(base: string, path: string, input?: unknown): string {
  if (input === undefined) return `${base}/trpc/${path}`;
  return `${base}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;
}

/**
 * CPU seconds (user + system) a process has used, from /proc; null without /proc. On a small
 * machine the load generator, the server and PostgreSQL share the cores, so the bench shows what
 * each costs per request beside the throughput.
 */
export function cpuSeconds(pid: number, command?: string): number | null {
  try {
    if (command && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== command) return null;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ ticks
  } catch {
    return null;
  }
}

/** Busy and total CPU time of the whole machine (all cores), from /proc/stat. */
export function machineCpu(): { busy: number; total: number } | null {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const values = ticks.map(Number);
    const total = values.reduce((a, b) => a + b, 0);
    return { busy: total - values[3]! - values[4]!, total }; // minus idle and iowait
  } catch {
    return null;
  }
}

/** What one measured run used: the server process, its PostgreSQL backends, and the machine. */
export interface CpuSnapshot {
  server: number | null;
  postgres: Map<number, number>;
  machine: { busy: number; total: number } | null;
  bench: NodeJS.CpuUsage;
}

export async function cpuSnapshot(scratch: Scratch, serverPid: number): Promise<CpuSnapshot> {
  const postgres = new Map<number, number>();
  // Backends of the bench's own database only; another host's pids mean nothing here.
  if (['127.0.0.1', 'localhost', '[::1]'].includes(new URL(scratch.url).hostname)) {
    const { rows } = await scratch.admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [
      scratch.name,
    ]);
    for (const { pid } of rows) {
      const seconds = cpuSeconds(pid, 'postgres');
      if (seconds !== null) postgres.set(pid, seconds);
    }
  }
  return { server: cpuSeconds(serverPid), postgres, machine: machineCpu(), bench: process.cpuUsage() };
}

/** CPU microseconds per operation between two snapshots, and the machine's busy share. */
export interface CpuCost {
  perOp: { server: number | null; postgres: number | null; loadGenerator: number };
  machineBusy: number | null;
  /** The 1-minute load average at the end (every process on the machine, ours and others'). */
  loadAverage: number;
}

export function cpuCost(before: CpuSnapshot, after: CpuSnapshot, ops: number): CpuCost {
  const micros = (seconds: number) => (seconds * 1e6) / ops;
  let postgres: number | null = null;
  for (const [pid, seconds] of after.postgres) postgres = (postgres ?? 0) + seconds - (before.postgres.get(pid) ?? 0);
  const bench = process.cpuUsage(before.bench);
  return {
    perOp: {
      server: after.server !== null && before.server !== null ? micros(after.server - before.server) : null,
      postgres: postgres === null ? null : micros(postgres),
      loadGenerator: micros((bench.user + bench.system) / 1e6),
    },
    machineBusy:
      after.machine && before.machine
        ? (after.machine.busy - before.machine.busy) / (after.machine.total - before.machine.total)
        : null,
    loadAverage: loadavg()[0]!,
  };
}

/** Prints rows as a table: the first column left-aligned, the rest right-aligned. */
export function printTable(header: string[], lines: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  for (const line of [header, ...lines]) {
    console.log(line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
  }
}
