/**
 * The first README command's process, as a person runs it: `node apps/server/src/main.ts` with no
 * DATABASE_URL starts an embedded PostgreSQL, prints where to sign in, answers /readyz, and on
 * Ctrl-C (SIGINT) shuts down cleanly: exit code 0, no error logged, no database left running.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually } from '@goalpost/testing';
import { expect, it } from 'vitest';

it('starts on an embedded database, then stops cleanly on SIGINT', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'goalpost-main-'));
  chmodSync(dataDir, 0o755);
  const env = { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info' } as NodeJS.ProcessEnv;
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const child = spawn(process.execPath, [resolve(import.meta.dirname, 'main.ts')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    const url = await eventually(async () => output.match(/Goalpost is running at (http:\/\/\S+)/)?.[1], 60_000);
    const ready = await (await fetch(`${url}/readyz`)).json();
    const postmaster = join(dataDir, 'pg', 'postmaster.pid');
    const pgPid = Number(readFileSync(postmaster, 'utf8').split('\n')[0]);
    child.kill('SIGINT');
    const code = await exited;
    const pgAlive = (() => {
      try {
        process.kill(pgPid, 0);
        return true;
      } catch {
        return false;
      }
    })();
    expect({
      code,
      ready,
      banner: /First admin created\. Sign in with:\n\s+email:\s+admin@goalpost\.local\n\s+password:\s+\S{20}/.test(
        output,
      ),
      errors: output.split('\n').filter((line) => line.includes('"level":50') || line.includes('"level":"error"')),
      pgAlive,
      pidFileLeft: existsSync(postmaster),
    }).toEqual({
      code: 0,
      ready: { status: 'ready', database: 'reachable', pendingMigrations: [] },
      banner: true,
      errors: [],
      pgAlive: false,
      pidFileLeft: false,
    });
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
