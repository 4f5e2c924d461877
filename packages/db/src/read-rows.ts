import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';

export interface RowQuery {
  /** SQL with `$1`, `$2`… placeholders; the values travel apart from the text. */
  text: string;
  values: unknown[];
  /**
   * Makes it a prepared statement: each pooled connection parses it once and PostgreSQL may keep
   * its plan. For the hot paths; not for a text whose best plan depends on the values (a search).
   */
  prepare?: boolean;
}

/** Prepared statements are named per text; each connection prepares a name on first use. */
const statementNames = new Map<string, string>();

/**
 * Reads rows for the hot read paths (the session check, admin lists) straight from the ORM's pg
 * pool, as plain objects. The ORM's own `execute` formats the values into the SQL text, which
 * PostgreSQL then parses and plans anew, and hydrating entities into an identity map costs far
 * more than the query for a page of read-only rows. Columns come back as pg parses them
 * (timestamps as Date), not as the ORM's raw strings. Outside any transaction: refused on an
 * EntityManager inside one, whose reads must see its uncommitted writes.
 */
export async function readRows<T>(em: EntityManager, query: RowQuery): Promise<T[]> {
  if (em.isInTransaction()) {
    throw new Error('readRows reads outside the transaction; inside one, use em.execute.');
  }
  let name: string | undefined;
  if (query.prepare) {
    name = statementNames.get(query.text) ?? `goalpost_${statementNames.size + 1}`;
    statementNames.set(query.text, name);
  }
  const pool = await em.getConnection().getNativeClient();
  const result = await pool.query({ text: query.text, values: query.values, name, types: pg.types });
  return result.rows as T[];
}
