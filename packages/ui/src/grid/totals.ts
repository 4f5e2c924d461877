/**
 * Column totals kept exactly (bigint) and incrementally: an edit moves a total by its difference,
 * so a 5,000-line budget never re-adds every cell on a keystroke. Only amounts count; an empty or
 * refused cell adds nothing. Row totals are a dozen additions and are computed when drawn.
 */

function minorOf(value: unknown): bigint {
  return typeof value === 'bigint' ? value : 0n;
}

export class ColumnTotals {
  readonly #totals = new Map<string, bigint>();

  constructor(columns: Iterable<string>) {
    for (const column of columns) this.#totals.set(column, 0n);
  }

  /** Recomputes every total from the rows (on load, and after rows are removed). */
  reset(rows: Iterable<(column: string) => unknown>): void {
    for (const column of this.#totals.keys()) this.#totals.set(column, 0n);
    for (const cellOf of rows) {
      for (const [column, total] of this.#totals) this.#totals.set(column, total + minorOf(cellOf(column)));
    }
  }

  /** Moves a column's total by one cell's change; other columns are ignored. */
  change(column: string, before: unknown, after: unknown): void {
    const total = this.#totals.get(column);
    if (total === undefined) return;
    this.#totals.set(column, total - minorOf(before) + minorOf(after));
  }

  of(column: string): bigint {
    return this.#totals.get(column) ?? 0n;
  }

  grand(): bigint {
    let sum = 0n;
    for (const total of this.#totals.values()) sum += total;
    return sum;
  }
}

export function rowTotal(columns: readonly string[], cellOf: (column: string) => unknown): bigint {
  let sum = 0n;
  for (const column of columns) sum += minorOf(cellOf(column));
  return sum;
}
