/**
 * The Grid component in happy-dom: what the page passes in shows up (titles, formatted amounts,
 * totals, refused text with its reason, conflicts, markers, the accessible name), later props are
 * applied without reloading, and the handle's actions are reported. Handsontable renders here but
 * without layout or real clipboard events, so editing, paste, undo and keyboard journeys are
 * covered in Chromium (e2e/grid.e2e.ts), and so is the row total column, which happy-dom's missing
 * layout leaves undrawn.
 */
import { render, screen, waitFor } from '@testing-library/react';
import { createRef, useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { Grid } from './Grid.tsx';
import type { CellConflict, GridHandle } from './grid-controller.ts';
import type { GridColumn, GridRow } from './grid-model.ts';
import { formatTwoDecimals, fromRawTwoDecimals, parseTwoDecimals } from './test-amounts.ts';

const columns: GridColumn[] = [
  { id: 'name', title: 'Line', kind: 'text' },
  { id: 'jan', title: 'Jan <b>2027</b>', kind: 'amount' },
  { id: 'feb', title: 'Feb 2027', kind: 'amount' },
];

const rows: GridRow[] = [
  { key: 'rent', values: { name: 'Rent', jan: 150_000n, feb: 150_000n } },
  { key: 'travel', values: { name: 'Travel', jan: 2_550n, feb: 'TBD' } },
];

const money = {
  locale: 'en-US',
  format: (minor: bigint) => formatTwoDecimals(minor, 'en-US'),
  parseAmount: parseTwoDecimals,
  fromRaw: fromRawTwoDecimals,
};

function cellText(row: number, column: number): string | null | undefined {
  return document.querySelectorAll('.ht_master tbody tr')[row]?.querySelectorAll('td')[column]?.textContent;
}

function cellOf(row: number, column: number): HTMLTableCellElement | undefined {
  return document.querySelectorAll('.ht_master tbody tr')[row]?.querySelectorAll('td')[column];
}

function totalsRow(): (string | null)[] {
  return [...document.querySelectorAll('.ht_master thead tr:nth-child(2) th')].map((th) => th.textContent);
}

/** A page whose rows, conflicts and markers change when the server answers. */
function UpdatingPage({ onChange }: { onChange: () => void }) {
  const [current, setCurrent] = useState(rows);
  const [conflicts, setConflicts] = useState<Map<string, CellConflict>>(new Map());
  const [marked, setMarked] = useState<Set<string>>(new Set());
  return (
    <>
      <button
        type="button"
        onClick={() => {
          setCurrent((r) =>
            r.map((row) => (row.key === 'rent' ? { ...row, values: { ...row.values, jan: 99n } } : row)),
          );
          setConflicts(new Map([['rent:feb', { theirs: 100n, mine: 150_000n }]]));
          setMarked(new Set(['travel:name']));
        }}
      >
        Server update
      </button>
      <Grid
        aria-label="Budget lines"
        columns={columns}
        rows={current}
        conflicts={conflicts}
        markedCells={marked}
        onChange={onChange}
        newRowKey={() => 'k'}
        {...money}
      />
    </>
  );
}

describe('Grid', () => {
  it('shows titles as text, formatted amounts, row and column totals, and refused text with its reason', async () => {
    render(<Grid aria-label="Budget lines" columns={columns} rows={rows} newRowKey={() => 'k'} {...money} />);
    await waitFor(() => expect(cellText(1, 1)).toBe('25.50'));
    const refused = cellOf(1, 2)!;
    expect({
      name: screen.getByRole('treegrid', { name: 'Budget lines' }).getAttribute('aria-label'),
      titles: [...document.querySelectorAll('.ht_master thead tr:first-child .colHeader')].map((h) => h.textContent),
      rows: [0, 1].map((r) => [0, 1, 2].map((c) => cellText(r, c))),
      totals: totalsRow(),
      refused: {
        text: refused.textContent,
        marked: refused.classList.contains('gp-grid__cell--refused'),
        reason: refused.title,
      },
    }).toEqual({
      name: 'Budget lines',
      titles: ['\u00a0', 'Line', 'Jan <b>2027</b>', 'Feb 2027'],
      rows: [
        ['Rent', '1,500.00', '1,500.00'],
        ['Travel', '25.50', 'TBD'],
      ],
      totals: ['', 'Total', '1,525.50', '1,500.00'],
      refused: { text: 'TBD', marked: true, reason: '“TBD” is not an amount.' },
    });
  });

  it('tells the page how many cells hold refused text, as rows come and change', async () => {
    const onRefusedCellsChange = vi.fn();
    const grid = (given: GridRow[]) => (
      <Grid
        aria-label="Budget lines"
        columns={columns}
        rows={given}
        newRowKey={() => 'k'}
        onRefusedCellsChange={onRefusedCellsChange}
        {...money}
      />
    );
    const { rerender } = render(grid(rows));
    await waitFor(() => expect(onRefusedCellsChange).toHaveBeenCalledWith(1));
    // Someone else added a line holding text; then the line with the refused cell went.
    rerender(grid([...rows, { key: 'fees', values: { name: 'Fees', jan: 'n/a', feb: 100n } }]));
    await waitFor(() => expect(onRefusedCellsChange).toHaveBeenLastCalledWith(2));
    rerender(grid([rows[0]!]));
    await waitFor(() => expect(onRefusedCellsChange).toHaveBeenLastCalledWith(0));
    expect(onRefusedCellsChange.mock.calls).toEqual([[1], [2], [0]]);
  });

  it('applies the page’s later rows, conflicts and markers without reloading', async () => {
    const onChange = vi.fn();
    render(<UpdatingPage onChange={onChange} />);
    await waitFor(() => expect(cellText(0, 1)).toBe('1,500.00'));
    screen.getByRole('button', { name: 'Server update' }).click();
    await waitFor(() => expect(cellText(0, 1)).toBe('0.99'));
    const conflict = cellOf(0, 2)!;
    expect({
      totals: totalsRow(),
      conflict: { marked: conflict.classList.contains('gp-grid__cell--conflict'), title: conflict.title },
      marked: cellOf(1, 0)!.classList.contains('gp-grid__cell--marked'),
      reported: onChange.mock.calls,
    }).toEqual({
      totals: ['', 'Total', '26.49', '1,500.00'],
      conflict: { marked: true, title: 'Changed by someone else: 1.00; yours: 1,500.00' },
      marked: true,
      reported: [],
    });
  });

  it('follows rows that someone else reordered, keeping the selected cell and refused text', async () => {
    const handle = createRef<GridHandle>();
    const onSelectionChange = vi.fn();
    const three: GridRow[] = [...rows, { key: 'office', values: { name: 'Office', jan: 1n, feb: 2n } }];
    // "TBD" in Travel/Feb stands for text the person typed and the grid refused; Travel stays.
    const props = { 'aria-label': 'Budget lines', columns, newRowKey: () => 'k', onSelectionChange, ...money };
    const { rerender } = render(<Grid ref={handle} rows={three} {...props} />);
    await waitFor(() => expect(handle.current).not.toBeNull());
    handle.current!.selectCell({ rowKey: 'office', column: 'jan' });
    rerender(
      <Grid
        ref={handle}
        rows={[three[2]!, three[0]!, { ...three[1]!, values: { ...three[1]!.values, feb: 7n } }]}
        {...props}
      />,
    );
    await waitFor(() => expect(cellText(0, 0)).toBe('Office'));
    expect({
      names: [0, 1, 2].map((r) => cellText(r, 0)),
      refusedKept: cellText(2, 2),
      totals: totalsRow(),
      selections: onSelectionChange.mock.calls,
    }).toEqual({
      names: ['Office', 'Rent', 'Travel'],
      refusedKept: 'TBD',
      totals: ['', 'Total', '1,525.51', '1,500.02'],
      selections: [[{ rowKey: 'office', column: 'jan' }]],
    });
  });

  it('is read-only when told: no editor, no row insertion, cells shown as read-only', async () => {
    const handle = createRef<GridHandle>();
    const onRowsInserted = vi.fn();
    render(
      <Grid
        ref={handle}
        readOnly
        aria-label="Budget lines"
        columns={columns}
        rows={rows}
        newRowKey={() => 'k'}
        onRowsInserted={onRowsInserted}
        {...money}
      />,
    );
    await waitFor(() => expect(handle.current).not.toBeNull());
    handle.current!.insertRows(0, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect({
      rows: document.querySelectorAll('.ht_master tbody tr').length,
      readOnlyCells: document.querySelectorAll('.ht_master td.gp-grid__cell--read-only').length,
      inserted: onRowsInserted.mock.calls.length,
    }).toEqual({ rows: 2, readOnlyCells: 6, inserted: 0 });
  });

  it('inserts rows and selects cells through its handle, and reports both', async () => {
    const handle = createRef<GridHandle>();
    const onRowsInserted = vi.fn();
    const onSelectionChange = vi.fn();
    let next = 0;
    render(
      <Grid
        ref={handle}
        aria-label="Budget lines"
        columns={columns}
        rows={rows}
        newRowKey={() => `new-${++next}`}
        onRowsInserted={onRowsInserted}
        onSelectionChange={onSelectionChange}
        {...money}
      />,
    );
    await waitFor(() => expect(handle.current).not.toBeNull());
    handle.current!.insertRows(1, 2);
    handle.current!.selectCell({ rowKey: 'travel', column: 'feb' });
    await waitFor(() => expect(onRowsInserted).toHaveBeenCalled());
    const empty = { name: null, jan: null, feb: null };
    expect({ inserted: onRowsInserted.mock.calls, selected: onSelectionChange.mock.calls }).toEqual({
      inserted: [
        [
          {
            index: 1,
            rows: [
              { key: 'new-1', values: empty },
              { key: 'new-2', values: empty },
            ],
          },
        ],
      ],
      // The first inserted row's first cell (ready to type in), then the cell asked for.
      selected: [[{ rowKey: 'new-1', column: 'name' }], [{ rowKey: 'travel', column: 'feb' }]],
    });
  });
});
