import type { MikroORM } from '@mikro-orm/postgresql';

/** Applies pending migrations; returns the names applied. Schema changes happen only this way. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((m) => m.name);
}

export async function pendingMigrations(orm: MikroORM): Promise<string[]> {
  return (await orm.migrator.getPending()).map((m) => m.name);
}
