import { fileURLToPath } from 'node:url';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, MikroORM } from '@mikro-orm/postgresql';
import { entities } from './entities/index.ts';
import { migrationsList } from './migrations/index.ts';

export interface OrmOptions {
  clientUrl: string;
  /** Pool size per process; pg-boss keeps its own small pool. */
  poolMax?: number;
  debug?: boolean;
}

export function ormConfig({ clientUrl, poolMax = 10, debug = false }: OrmOptions) {
  return defineConfig({
    clientUrl,
    entities,
    extensions: [Migrator],
    debug,
    pool: { min: 0, max: poolMax },
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: fileURLToPath(new URL('./migrations', import.meta.url)),
      emit: 'ts',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true, // the server logs what was applied, as JSON
      // Listed explicitly: no file discovery at run time, so the same list works from source,
      // from a bundle and in the container image.
      migrationsList,
    },
  });
}

export async function openOrm(options: OrmOptions): Promise<MikroORM> {
  return MikroORM.init(ormConfig(options));
}

export type { MikroORM };
