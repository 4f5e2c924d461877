/**
 * A page that mounts the Grid the way a budget page will: lines × 12 months, the page's rows kept
 * in state and updated from every report (optimistically, as the real page must), and every report
 * recorded on `window.gridFixture` for the browser test to read. Query parameters: `rows` (line
 * count), `locale`, `marks` (adds a conflict and a marked cell, for screenshots).
 */
import '@goalpost/ui/styles.css';
import {
  type CellChange,
  type CellConflict,
  type CellRef,
  Grid,
  type GridColumn,
  type GridHandle,
  type GridRow,
  type RowsInserted,
  type RowsMoved,
  type RowsRemoved,
} from '@goalpost/ui';
import { StrictMode, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { formatTwoDecimals, fromRawTwoDecimals, parseTwoDecimals } from '../../src/grid/test-amounts.ts';

const params = new URLSearchParams(location.search);
const lineCount = Number(params.get('rows') ?? '20');
const locale = params.get('locale') ?? 'en-US';
const withMarks = params.has('marks');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const columns: GridColumn[] = [
  { id: 'name', title: 'Line', kind: 'text' },
  ...MONTHS.map((m, i) => ({
    id: `2027-${String(i + 1).padStart(2, '0')}`,
    title: `${m} 2027`,
    kind: 'amount' as const,
  })),
];
const amountIds = columns.slice(1).map((c) => c.id);

function initialRows(): GridRow[] {
  return Array.from({ length: lineCount }, (_, i) => ({
    key: `line-${i + 1}`,
    values: {
      name: `Line ${i + 1}`,
      ...Object.fromEntries(amountIds.map((id, m) => [id, BigInt((i + 1) * 100 + m) * 100n])),
    },
  }));
}

export interface FixtureLog {
  changes: CellChange[][];
  inserted: RowsInserted[];
  removed: RowsRemoved[];
  moved: RowsMoved[];
  selections: (CellRef | null)[];
  resolved: [string, string][];
  actions: [string, CellRef][];
  rows: () => GridRow[];
  handle: GridHandle | null;
  setRows: (update: (rows: GridRow[]) => GridRow[]) => void;
  mountedAt: number | null;
}

const log: FixtureLog = {
  changes: [],
  inserted: [],
  removed: [],
  moved: [],
  selections: [],
  resolved: [],
  actions: [],
  rows: () => [],
  handle: null,
  setRows: () => {},
  mountedAt: null,
};
(window as unknown as { gridFixture: FixtureLog }).gridFixture = log;

let nextKey = 1;

function Page() {
  const [rows, setRows] = useState(initialRows);
  const handle = useRef<GridHandle>(null);
  log.rows = () => rows;
  log.setRows = setRows;
  const conflicts = useMemo(
    () =>
      withMarks ? new Map<string, CellConflict>([['line-2:2027-03', { theirs: 99_900n, mine: 30_200n }]]) : undefined,
    [],
  );
  const markedCells = useMemo(() => (withMarks ? new Set(['line-1:2027-02', 'line-3:name']) : undefined), []);

  const onChange = (changes: CellChange[]) => {
    log.changes.push(changes);
    const byRow = Map.groupBy(changes, (c) => c.rowKey);
    setRows((current) =>
      current.map((row) => {
        const mine = byRow.get(row.key);
        return mine
          ? { ...row, values: { ...row.values, ...Object.fromEntries(mine.map((c) => [c.column, c.to])) } }
          : row;
      }),
    );
  };
  const onRowsInserted = (event: RowsInserted) => {
    log.inserted.push(event);
    setRows((current) => [...current.slice(0, event.index), ...event.rows, ...current.slice(event.index)]);
  };
  const onRowsRemoved = (event: RowsRemoved) => {
    log.removed.push(event);
    setRows((current) => current.filter((row) => !event.keys.includes(row.key)));
  };
  const onRowsMoved = (event: RowsMoved) => {
    log.moved.push(event);
    setRows((current) => {
      const moving = current.filter((row) => event.keys.includes(row.key));
      const rest = current.filter((row) => !event.keys.includes(row.key));
      return [...rest.slice(0, event.toIndex), ...moving, ...rest.slice(event.toIndex)];
    });
  };

  return (
    <main
      style={{
        display: 'flex',
        flexDirection: 'column',
        height: '100vh',
        padding: 16,
        gap: 12,
        boxSizing: 'border-box',
      }}
    >
      <h1 style={{ fontSize: 17 }}>Budget 2027 (fixture)</h1>
      <Grid
        ref={(h) => {
          handle.current = h;
          log.handle = h;
        }}
        aria-label="Budget 2027 lines"
        columns={columns}
        rows={rows}
        locale={locale}
        format={(minor) => formatTwoDecimals(minor, locale)}
        parseAmount={parseTwoDecimals}
        fromRaw={fromRawTwoDecimals}
        newRowKey={() => `new-${nextKey++}`}
        onChange={onChange}
        onRowsInserted={onRowsInserted}
        onRowsRemoved={onRowsRemoved}
        onRowsMoved={onRowsMoved}
        conflicts={conflicts}
        onResolveConflict={(cell, keep) => log.resolved.push([cell, keep])}
        markedCells={markedCells}
        cellActions={[
          { id: 'comment', label: 'Comment…' },
          { id: 'history', label: 'History…' },
        ]}
        onCellContextAction={(action, cell) => log.actions.push([action, cell])}
        onSelectionChange={(cell) => log.selections.push(cell)}
        className="fixture-grid"
      />
    </main>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');
createRoot(root).render(
  <StrictMode>
    <style>{'.fixture-grid { flex: 1; }'}</style>
    <Page />
  </StrictMode>,
);
log.mountedAt = performance.now();
