import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { migrationsList } from './migrations/index.ts';

// Any fixed number: the key of the advisory lock that serialises migrators.
const MIGRATION_LOCK = 7_110_002;

/**
 * Applies pending migrations; returns the names applied. Schema changes happen only this way.
 * Several migrators at once (servers of a rollout, the chart's hook Job) take turns on an advisory
 * lock, so each migration runs exactly once and the later ones find nothing pending.
 *
 * The lock is transaction-level (`pg_advisory_xact_lock`), held by a transaction on a connection of
 * its own for as long as the migrations run. A session-level lock does not survive PgBouncer in
 * transaction mode: its `pg_advisory_unlock` may reach another server connection than the lock did,
 * leaving the lock held by nobody's session. A transaction stays on one server connection, and
 * its end releases the lock whatever happens to the client.
 */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const lock = new pg.Client({ connectionString: orm.config.get('clientUrl') });
  await lock.connect();
  try {
    await lock.query('begin');
    await lock.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const applied = await orm.migrator.up();
    return applied.map((m) => m.name);
  } finally {
    await lock.query('commit').catch(() => {});
    await lock.end();
  }
}

/**
 * This release's migrations not yet applied. Read only: the migrator's own check first creates its
 * table, which races a migrator doing the same (`relation "mikro_orm_migrations" already exists`)
 * when servers and workers wait for the migration job.
 */
export async function pendingMigrations(orm: MikroORM): Promise<string[]> {
  const connection = orm.em.getConnection();
  const [table] = await connection.execute<{ name: string | null }[]>(
    "select to_regclass('mikro_orm_migrations')::text as name",
  );
  const applied = table?.name
    ? new Set(
        (await connection.execute<{ name: string }[]>('select name from mikro_orm_migrations')).map((r) => r.name),
      )
    : new Set<string>();
  return migrationsList.map((m) => m.name).filter((name) => !applied.has(name));
}
