import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Inserts many rows in one statement, the rows travelling as a single JSON parameter read by
 * json_to_recordset. For bulk writes (thousands of rows) this avoids both the per-entity work of
 * the ORM and PostgreSQL's limit on bound parameters. `columns` maps column name to SQL type;
 * rows are keyed by column name. Runs in the transaction `em` belongs to.
 */
export async function insertRows(
  em: EntityManager,
  table: string,
  columns: Record<string, string>,
  rows: Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  const names = Object.keys(columns).map((name) => `"${name}"`);
  const types = Object.entries(columns).map(([name, type]) => `"${name}" ${type}`);
  await em.execute(
    `insert into "${table}" (${names.join(', ')})
     select ${names.join(', ')} from json_to_recordset(?::json) as x(${types.join(', ')})`,
    [JSON.stringify(rows)],
  );
}
