/**
 * Restores a backup made by `npm run backup` into an empty database, then checks every table's row
 * count and checksum against the backup's manifest:
 *
 *   npm run restore -- <folder> [--into <postgres-url>] [--jobs <n>]
 *
 * Without --into the target is found as the server finds its database: DATABASE_URL, or the
 * embedded PostgreSQL under DATA_DIR (a new one when DATA_DIR is new). A database named in --into
 * that does not exist is created. A target that already holds tables is refused.
 */
import { parseArgs } from 'node:util';
import { BackupRefused, defaultJobs, restoreDatabase } from '@goalpost/db';
import { bossSchemaPlans } from '@goalpost/jobs';
import { loadConfig } from '../config.ts';
import { cliDatabase, exitWithUsage } from './database.ts';

const USAGE = 'Usage: npm run restore -- <backup folder> [--into <postgres-url>] [--jobs <n>]';

function parse() {
  return parseArgs({
    options: { into: { type: 'string' }, jobs: { type: 'string' } },
    allowPositionals: true,
  });
}
let args: ReturnType<typeof parse>;
try {
  args = parse();
} catch (error) {
  exitWithUsage(`${(error as Error).message}\n${USAGE}`);
}
const [dir, ...extra] = args.positionals;
const jobs = args.values.jobs === undefined ? defaultJobs() : Number(args.values.jobs);
if (!dir || extra.length || !Number.isInteger(jobs) || jobs < 1) {
  exitWithUsage(USAGE);
}

const config = loadConfig();
const db = await cliDatabase(config, args.values.into);
let exitCode = 0;
try {
  const named = new URL(db.url);
  const target = args.values.into
    ? `${named.host}${named.pathname}`
    : db.embedded
      ? `the embedded database in ${db.dataDir}`
      : 'DATABASE_URL';
  console.log(`Restoring ${dir} into ${target} (${jobs} jobs)`);
  const result = await restoreDatabase(dir, db.url, {
    jobs,
    pgbossSchema: bossSchemaPlans(),
    onProgress: (line) => console.log(line),
  });
  console.log(
    `Restored ${result.tables} tables, ${result.rows} rows: ${(result.databaseBytes / 1e6).toFixed(1)} MB in ` +
      `${result.seconds.toFixed(1)} s (${result.mbPerSecond.toFixed(1)} MB/s). Every table's row count and checksum match the backup.`,
  );
  if (result.skippedJobs) console.log(`The job queue was not restored: ${result.skippedJobs}.`);
} catch (error) {
  if (!(error instanceof BackupRefused)) throw error;
  console.error(error.message);
  exitCode = 1;
} finally {
  await db.stop();
}
process.exit(exitCode);
