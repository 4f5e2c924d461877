/**
 * The pieces every paged list query shares (goals, budgets, forecasts): a where clause built
 * filter by filter with numbered parameters, the order from a table of sort columns, and one
 * page of the matching ids with the count of all matches.
 */
import { query } from '@goalpost/db';
import type { EntityManager } from '@mikro-orm/postgresql';

/** A list's sort keys: the column each orders by and its natural direction. */
export type SortColumns<K extends string> = Record<K, { column: string; direction: 'asc' | 'desc' }>;

/** Conditions and their parameters, `$n` numbered after those already in `params`. */
export function conditions(params: unknown[], where: string[]) {
  return {
    where,
    params,
    /** Adds `clause` with its one `?` bound to `value`. */
    add(clause: string, value: unknown) {
      params.push(value);
      where.push(clause.replace('?', `$${params.length}`));
    },
    /** `limit $a offset $b` for the page, its parameters appended. */
    page({ page, pageSize }: { page: number; pageSize: number }) {
      params.push(pageSize, (page - 1) * pageSize);
      return `limit $${params.length - 1} offset $${params.length}`;
    },
    /**
     * One page of the ids of the rows of `table` (as `alias`) that match, ordered by `sort`
     * (the direction asked, else its own; empty values last; the id breaks ties), and how many
     * match in all.
     */
    async ids<K extends string>(
      em: EntityManager,
      { table, alias }: { table: string; alias: string },
      { columns, sort, direction }: { columns: SortColumns<K>; sort: K; direction?: 'asc' | 'desc' | undefined },
      window: { page: number; pageSize: number },
    ): Promise<{ ids: string[]; total: number }> {
      const by = columns[sort];
      const rows = await query<{ id: string; total: string }>(
        em,
        `select ${alias}.id, count(*) over ()::text as total from ${table} ${alias}
         where ${where.join(' and ')}
         order by ${by.column} ${direction ?? by.direction} nulls last, ${alias}.id
         ${this.page(window)}`,
        params,
      );
      return { ids: rows.map((r) => r.id), total: Number(rows[0]?.total ?? 0) };
    },
  };
}
