import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';

export interface RowQuery {
  /** SQL with `$1`, `$2`… placeholders; the values travel apart from the text. */
  text: string;
  values: unknown[];
  /**
   * Makes it a prepared statement: each pooled connection parses and plans it once. Only for text
   * that never changes under the same name, on paths that run on every request.
   */
  name?: string;
}

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
  const pool = await em.getConnection().getNativeClient();
  const result = await pool.query({ ...query, types: pg.types });
  return result.rows as T[];
}
