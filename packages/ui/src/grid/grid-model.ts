/**
 * The grid's data as the page gives it (columns, rows keyed by a stable line key) and as
 * Handsontable holds it: one object per row with the cells under a prop per column, the row's key,
 * and `known` — the last value of each cell that the page knows of. `known` is what an edit
 * reports as its "from", so a cell whose typed text was refused still reports the value the page
 * had when it is finally corrected.
 */
import type { CellValue, StoredValue } from './cell-entry.ts';

export interface GridColumn {
  id: string;
  title: string;
  kind: 'text' | 'amount';
  readOnly?: boolean;
  /** Width in pixels. */
  width?: number;
}

export interface GridRow {
  key: string;
  values: Readonly<Record<string, CellValue | undefined>>;
}

/** `${rowKey}:${columnId}`, the key of `conflicts` and `markedCells`. */
export type CellId = string;

export interface CellRef {
  rowKey: string;
  column: string;
}

export function cellId(rowKey: string, column: string): CellId {
  return `${rowKey}:${column}`;
}

export interface CellChange {
  rowKey: string;
  column: string;
  /** The value the cell held, as the page last knew it, before this edit. */
  from: CellValue;
  to: CellValue;
}

export interface RowsInserted {
  /** Position of the first inserted row (0-based, in the grid's order after the action). */
  index: number;
  /** New rows carry null values; rows brought back by undoing a deletion carry their values. */
  rows: { key: string; values: Record<string, CellValue> }[];
}

export interface RowsRemoved {
  keys: string[];
}

export interface RowsMoved {
  keys: string[];
  /** Position of the first moved row right after the move; the moved rows stay together. */
  toIndex: number;
}

export interface RowState {
  /** Null only between Handsontable creating a row and the grid giving it a key. */
  key: string | null;
  known: Record<string, CellValue>;
  /** Cells, under a prop the grid assigns to each column id (`c0`, `c1`, …). */
  [cell: `c${number}`]: StoredValue | undefined;
}
