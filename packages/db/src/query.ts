import type { EntityManager } from '@mikro-orm/postgresql';
import { CompiledQuery } from 'kysely';

/**
 * One SQL statement with real bind parameters ($1, $2 …), on `em`'s transaction when it has one,
 * else on the pool. For hot paths and large payloads: `em.execute` formats every parameter into
 * the SQL text (fine for small statements, costly for a 12,000-cell JSON document), while this
 * sends them to PostgreSQL apart from the statement. bigint parameters go as decimal strings.
 */
export async function query<T>(em: EntityManager, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  const values = params.map((p) => (typeof p === 'bigint' ? p.toString() : p));
  const { rows } = await em.getKysely().executeQuery(CompiledQuery.raw(sql, values));
  return rows as T[];
}
