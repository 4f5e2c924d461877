/**
 * Gathers everything one user action did — a keystroke commit, a 1,000-row paste, a fill, an undo
 * — and turns it into one report for the page: rows inserted (with their values), cell changes
 * (each with the value the page knew before), rows removed, rows moved. Handsontable fires several
 * hooks for one action (a paste below the last row creates rows, then sets cells; undoing it
 * reverts cells, then removes the rows), so the grid collects them here and reports once.
 */
import { type CellValue, sameValue } from './cell-entry.ts';
import type { CellChange, RowState, RowsInserted, RowsMoved, RowsRemoved } from './grid-model.ts';

export interface BatchReport {
  inserted: RowsInserted[];
  changes: CellChange[];
  removed: RowsRemoved | null;
  moved: RowsMoved[];
}

export class EditBatch {
  #inserted = new Set<RowState>();
  #removed = new Set<RowState>();
  #changes = new Map<RowState, Map<string, { from: CellValue; to: CellValue }>>();
  #moved: RowsMoved[] = [];

  isEmpty(): boolean {
    return this.#inserted.size + this.#removed.size + this.#changes.size + this.#moved.length === 0;
  }

  rowsInserted(rows: Iterable<RowState>): void {
    for (const row of rows) this.#inserted.add(row);
  }

  rowsRemoved(rows: Iterable<RowState>): void {
    for (const row of rows) this.#removed.add(row);
  }

  rowsMoved(keys: string[], toIndex: number): void {
    this.#moved.push({ keys, toIndex });
  }

  /** A cell now holds a value the page should know (refused text is never passed here). */
  cellChanged(row: RowState, column: string, to: CellValue): void {
    let cells = this.#changes.get(row);
    if (!cells) {
      cells = new Map();
      this.#changes.set(row, cells);
    }
    const earlier = cells.get(column);
    cells.set(column, { from: earlier ? earlier.from : (row.known[column] ?? null), to });
    row.known[column] = to;
  }

  /** The report, in the order the page should apply it; the batch starts empty again. */
  take(indexOf: (row: RowState) => number): BatchReport {
    const inserted = [...this.#inserted].filter((row) => !this.#removed.has(row));
    const removed = [...this.#removed].filter((row) => !this.#inserted.has(row));
    const changes: CellChange[] = [];
    for (const [row, cells] of this.#changes) {
      if (this.#inserted.has(row) || this.#removed.has(row) || row.key === null) continue;
      for (const [column, { from, to }] of cells) {
        if (!sameValue(from, to)) changes.push({ rowKey: row.key, column, from, to });
      }
    }
    const report: BatchReport = {
      inserted: groupInserted(inserted, indexOf),
      changes,
      removed: removed.length > 0 ? { keys: removed.flatMap((row) => (row.key === null ? [] : [row.key])) } : null,
      moved: this.#moved,
    };
    this.#inserted = new Set();
    this.#removed = new Set();
    this.#changes = new Map();
    this.#moved = [];
    return report;
  }
}

function groupInserted(rows: RowState[], indexOf: (row: RowState) => number): RowsInserted[] {
  const placed = rows
    .flatMap((row) => (row.key === null ? [] : [{ row, key: row.key, index: indexOf(row) }]))
    .sort((a, b) => a.index - b.index);
  const groups: RowsInserted[] = [];
  for (const { row, key, index } of placed) {
    const last = groups.at(-1);
    const entry = { key, values: { ...row.known } };
    if (last && last.index + last.rows.length === index) last.rows.push(entry);
    else groups.push({ index, rows: [entry] });
  }
  return groups;
}
