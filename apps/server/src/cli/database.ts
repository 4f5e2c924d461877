/**
 * What the operator commands (admin, import, backup, restore) share: wrong usage, the database found
 * as the server finds it, and, for those that act in the organisation, its ORM and the check that
 * it is ready.
 */
import { CommandRefused, findOrganisation, systemClock } from '@goalpost/api';
import { type MikroORM, openOrm, pendingMigrations, resolveDatabase, useClock } from '@goalpost/db';
import type { ServerConfig } from '../config.ts';

/** Wrong usage: `text` (the usage, after what was wrong) on stderr, and exit code 2. */
export function exitWithUsage(text: string): never {
  console.error(text);
  process.exit(2);
}

/**
 * DATABASE_URL (or `databaseUrl`), or the embedded PostgreSQL under DATA_DIR: the running
 * server's, or started for the command when the server is stopped. `stop()` it when done.
 */
export function cliDatabase(config: ServerConfig, databaseUrl = config.DATABASE_URL) {
  return resolveDatabase({
    databaseUrl,
    dataDir: config.DATA_DIR,
    embeddedPort: config.EMBEDDED_PG_PORT,
    shareRunning: true,
  });
}

/** The organisation, once the database is migrated and set up; otherwise CommandRefused saying what to do. */
export async function readyOrganisation(orm: MikroORM) {
  if ((await pendingMigrations(orm)).length) {
    throw new CommandRefused('The database is not up to date: start the server (or run `npm run migrate`) first.');
  }
  const org = await findOrganisation(orm.em.fork());
  if (!org) throw new CommandRefused('This database has no organisation yet: start the server once first.');
  return org;
}

/** The ORM on the command's database, on the system clock. */
export async function openCliOrm(clientUrl: string, poolMax: number): Promise<MikroORM> {
  const orm = await openOrm({ clientUrl, poolMax });
  useClock(orm, systemClock);
  return orm;
}
