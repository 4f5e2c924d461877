import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';

// Any fixed number: the key of the session-level advisory lock that serialises migrators.
const MIGRATION_LOCK = 7_110_002;

/**
 * Applies pending migrations; returns the names applied. Schema changes happen only this way.
 * Several servers starting at once (a rollout) take turns on an advisory lock, so each migration
 * runs exactly once and the later ones find nothing pending.
 */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const lock = new pg.Client({ connectionString: orm.config.get('clientUrl') });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await orm.migrator.up();
    return applied.map((m) => m.name);
  } finally {
    await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    await lock.end();
  }
}

export async function pendingMigrations(orm: MikroORM): Promise<string[]> {
  return (await orm.migrator.getPending()).map((m) => m.name);
}
