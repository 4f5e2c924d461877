/**
 * The pieces every paged list query shares (goals, budgets, forecasts): a where clause built
 * filter by filter with numbered parameters, and the page as limit and offset.
 */

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
  };
}
