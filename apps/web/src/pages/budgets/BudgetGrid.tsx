import {
  type CellChange,
  type CellId,
  type CellRef,
  Grid,
  type GridColumn,
  type GridHandle,
  type GridRow,
  type RowsInserted,
  type RowsMoved,
  type RowsRemoved,
  withChanges,
  withInserted,
  withMoved,
  withRemoved,
} from '@goalpost/ui';
import { type Ref, useMemo, useRef } from 'react';
import { gridAmounts } from '../../lib/grid-amounts.ts';
import { userLocale } from '../../lib/money.ts';
import { labelOf } from '../../lib/periods.ts';
import { type Batch, emptyBatch } from '../../lib/save-queue.ts';
import type { BudgetDetail } from '../../trpc.ts';
import type { ServerConflict } from './useGridSave.ts';

const TEXT_FIELDS = ['category', 'description', 'notes'] as const;
type TextField = (typeof TEXT_FIELDS)[number];
const isTextField = (column: string): column is TextField => (TEXT_FIELDS as readonly string[]).includes(column);

export function budgetColumns(budget: Pick<BudgetDetail, 'periods' | 'granularity'>): GridColumn[] {
  return [
    { id: 'category', title: 'Category', kind: 'text', width: 170 },
    { id: 'description', title: 'Description', kind: 'text', width: 210 },
    ...budget.periods.map(
      (p): GridColumn => ({ id: p, title: labelOf(p, budget.granularity), kind: 'amount', width: 112 }),
    ),
    { id: 'notes', title: 'Notes', kind: 'text', width: 220 },
  ];
}

export function budgetRows(budget: Pick<BudgetDetail, 'periods' | 'lines'>): GridRow[] {
  return budget.lines.map((line) => ({
    key: line.key,
    values: {
      category: line.category || null,
      description: line.description,
      notes: line.notes,
      ...Object.fromEntries(budget.periods.map((p, i) => [p, line.amounts[i] ?? null])),
    },
  }));
}

/**
 * The budget's grid. Every report updates the page's rows at once (the grid reads each cell's
 * "from" out of them) and becomes one batch of the save queue: cells with the value they were
 * edited from, line text, and added, removed or moved lines with the lines' whole new order.
 */
export function BudgetGrid({
  budget,
  rows,
  setRows,
  readOnly,
  push,
  conflicts,
  onResolveConflict,
  onSelectionChange,
  cellActions,
  onCellContextAction,
  markedCells,
  gridRef,
  onRefusedCellsChange,
}: {
  budget: BudgetDetail;
  rows: GridRow[];
  setRows: (rows: GridRow[]) => void;
  readOnly: boolean;
  push: (batch: Batch<'amount'>) => void;
  conflicts: ServerConflict[];
  onResolveConflict: (conflict: ServerConflict, keep: 'mine' | 'theirs') => void;
  onSelectionChange: (cell: CellRef | null) => void;
  cellActions?: { id: string; label: string }[];
  onCellContextAction?: (action: string, cell: CellRef) => void;
  /** Cells with open comment threads. */
  markedCells?: ReadonlySet<CellId>;
  gridRef?: Ref<GridHandle>;
  /** How many cells hold text that is not an amount (never saved). */
  onRefusedCellsChange?: (count: number) => void;
}) {
  const columns = useMemo(() => budgetColumns(budget), [budget]);
  // The latest rows, also between a report and the re-render it causes (reports can come in a row).
  const latest = useRef(rows);
  latest.current = rows;
  const update = (next: GridRow[]) => {
    latest.current = next;
    setRows(next);
    return next;
  };
  const locale = userLocale();
  const amounts = useMemo(() => gridAmounts(budget.currency, locale), [budget.currency, locale]);
  const conflictMap = useMemo(
    () => new Map(conflicts.map((c) => [`${c.lineKey}:${c.period ?? c.field}`, { theirs: c.current, mine: c.mine }])),
    [conflicts],
  );

  const onChange = (changes: CellChange[]) => {
    update(withChanges(latest.current, changes));
    const batch = emptyBatch<'amount'>();
    for (const change of changes) {
      if (isTextField(change.column)) {
        batch.lineFields.push({
          key: change.rowKey,
          field: change.column,
          from: (change.from as string | null) ?? null,
          to: (change.to as string | null) ?? null,
        });
      } else {
        batch.cells.push({
          lineKey: change.rowKey,
          period: change.column,
          field: 'amount',
          from: change.from as bigint | null,
          to: change.to as bigint | null,
        });
      }
    }
    push(batch);
  };
  const onRowsInserted = (event: RowsInserted) => {
    const next = update(withInserted(latest.current, event));
    const batch = emptyBatch<'amount'>();
    event.rows.forEach((row, i) => {
      batch.added.push({
        key: row.key,
        position: event.index + i,
        category: (row.values.category as string | null) ?? '',
        description: (row.values.description as string | null) ?? null,
        notes: (row.values.notes as string | null) ?? null,
      });
      for (const period of budget.periods) {
        const value = row.values[period];
        if (typeof value === 'bigint')
          batch.cells.push({ lineKey: row.key, period, field: 'amount', from: null, to: value });
      }
    });
    batch.order = next.map((r) => r.key);
    push(batch);
  };
  const onRowsRemoved = (event: RowsRemoved) => {
    update(withRemoved(latest.current, event));
    push({ ...emptyBatch(), removed: event.keys });
  };
  const onRowsMoved = (event: RowsMoved) => {
    const next = update(withMoved(latest.current, event));
    push({ ...emptyBatch(), order: next.map((r) => r.key) });
  };
  const resolve = (cell: string, keep: 'mine' | 'theirs') => {
    const conflict = conflicts.find((c) => `${c.lineKey}:${c.period ?? c.field}` === cell);
    if (conflict) onResolveConflict(conflict, keep);
  };

  return (
    <Grid
      ref={gridRef}
      aria-label={`${budget.name}: lines and amounts`}
      columns={columns}
      rows={rows}
      locale={locale}
      format={amounts.format}
      parseAmount={amounts.parseAmount}
      fromRaw={amounts.fromRaw}
      newRowKey={() => crypto.randomUUID()}
      onChange={onChange}
      onRowsInserted={onRowsInserted}
      onRowsRemoved={onRowsRemoved}
      onRowsMoved={onRowsMoved}
      conflicts={conflictMap}
      onResolveConflict={resolve}
      onSelectionChange={onSelectionChange}
      markedCells={markedCells}
      cellActions={cellActions}
      onCellContextAction={onCellContextAction}
      onRefusedCellsChange={onRefusedCellsChange}
      readOnly={readOnly}
      height="100%"
    />
  );
}
