/**
 * The page's side of the grid: its rows kept up to date from every report, at once (the grid reads
 * each cell's "from" out of the rows the page gives it). Pure functions, one per report.
 */
import type { CellValue } from './cell-entry.ts';
import type { CellChange, GridRow, RowsInserted, RowsMoved, RowsRemoved } from './grid-model.ts';

export function withChanges(
  rows: readonly GridRow[],
  changes: readonly Pick<CellChange, 'rowKey' | 'column' | 'to'>[],
): GridRow[] {
  const byRow = new Map<string, [string, CellValue][]>();
  for (const c of changes) byRow.set(c.rowKey, [...(byRow.get(c.rowKey) ?? []), [c.column, c.to]]);
  return rows.map((row) => {
    const cells = byRow.get(row.key);
    return cells ? { ...row, values: { ...row.values, ...Object.fromEntries(cells) } } : row;
  });
}

export function withInserted(rows: readonly GridRow[], event: RowsInserted): GridRow[] {
  return [...rows.slice(0, event.index), ...event.rows, ...rows.slice(event.index)];
}

export function withRemoved(rows: readonly GridRow[], event: RowsRemoved): GridRow[] {
  const gone = new Set(event.keys);
  return rows.filter((row) => !gone.has(row.key));
}

export function withMoved(rows: readonly GridRow[], event: RowsMoved): GridRow[] {
  const moving = new Set(event.keys);
  const moved = rows.filter((row) => moving.has(row.key));
  const rest = rows.filter((row) => !moving.has(row.key));
  return [...rest.slice(0, event.toIndex), ...moved, ...rest.slice(event.toIndex)];
}
