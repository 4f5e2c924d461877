import { resolve } from 'node:path';
import pg from 'pg';
import { runningEmbeddedPostgres, startEmbeddedPostgres } from './embedded.ts';

/**
 * Where the app's database lives: DATABASE_URL when set, otherwise an embedded PostgreSQL under
 * `dataDir` (created on first start, reused afterwards).
 */
export async function resolveDatabase(options: {
  databaseUrl?: string;
  dataDir: string;
  embeddedPort?: number;
  onLog?: (line: string) => void;
  /** Use the embedded cluster a running server started on dataDir, if any (commands beside it). */
  shareRunning?: boolean;
}): Promise<{ url: string; embedded: boolean; dataDir: string | null; stop(): Promise<void> }> {
  if (options.databaseUrl) return { url: options.databaseUrl, embedded: false, dataDir: null, stop: async () => {} };
  const running = options.shareRunning ? runningEmbeddedPostgres(resolve(options.dataDir, 'pg')) : null;
  if (running) return { url: running.url('goalpost'), embedded: true, dataDir: running.dataDir, stop: running.stop };
  const db = await startEmbeddedPostgres({
    dataDir: resolve(options.dataDir, 'pg'),
    port: options.embeddedPort,
    persistent: true,
    onLog: options.onLog,
  });
  await ensureDatabase(db.adminUrl, 'goalpost');
  return { url: db.url('goalpost'), embedded: true, dataDir: db.dataDir, stop: db.stop };
}

export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
}
