import type { EntityManager } from '@mikro-orm/postgresql';
import { CompiledQuery } from 'kysely';
import pg from 'pg';

/**
 * One SQL statement with real bind parameters ($1, $2 …): the one way code below the ORM talks SQL.
 * `em.execute` formats every value into the SQL text, which PostgreSQL then parses and plans anew
 * (fine for small statements, costly for a 12,000-cell JSON document or the session check every
 * request pays); here values travel apart from the text, bigint values as decimal strings.
 *
 * - Inside a transaction it runs on the transaction's connection (through Kysely, which MikroORM 7
 *   is built on), so it sees and joins the transaction's writes.
 * - Outside one it runs on the ORM's pg pool, where `prepare: true` makes it a named prepared
 *   statement: each pooled connection plans it once (for hot paths whose best plan does not depend
 *   on the values; not for a search). Columns come back as pg parses them (timestamps as Date).
 * Inside a transaction columns come back as MikroORM's pool parses them; cast in SQL (`::text`,
 * `::int`) where a caller depends on a type.
 */
export interface QueryOptions {
  prepare?: boolean;
}

/** Prepared statements are named per text; each connection prepares a name on first use. */
const statementNames = new Map<string, string>();

export async function query<T>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[] = [],
  options: QueryOptions = {},
): Promise<T[]> {
  const values = params.map((p) => (typeof p === 'bigint' ? p.toString() : p));
  if (em.isInTransaction()) {
    const { rows } = await em.getKysely().executeQuery(CompiledQuery.raw(sql, values));
    return rows as T[];
  }
  let name: string | undefined;
  if (options.prepare) {
    name = statementNames.get(sql) ?? `goalpost_${statementNames.size + 1}`;
    statementNames.set(sql, name);
  }
  const pool = await em.getConnection().getNativeClient();
  const result = await pool.query({ text: sql, values, name, types: pg.types });
  return result.rows as T[];
}
