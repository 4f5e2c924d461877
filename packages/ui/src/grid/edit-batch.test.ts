/**
 * One user action, one report. Handsontable fires several hooks for a paste below the last row
 * (rows created, then cells set) or for undoing it (cells reverted, then rows removed); the batch
 * folds them into what the page needs: inserted rows with their values, changes with the value the
 * page knew before, removed keys, moves.
 */
import { describe, expect, it } from 'vitest';
import { EditBatch } from './edit-batch.ts';
import type { RowState } from './grid-model.ts';

function row(key: string, known: Record<string, bigint | string | null>): RowState {
  return { key, known: { ...known } };
}

describe('EditBatch', () => {
  it('reports a paste that fills existing rows and creates new ones', () => {
    const a = row('a', { jan: 1n, name: 'A' });
    const b = row('b', { jan: 2n, name: 'B' });
    const created = row('new-1', {});
    const batch = new EditBatch();
    batch.rowsInserted([created]);
    batch.cellChanged(a, 'jan', 10n);
    batch.cellChanged(b, 'jan', 2n);
    batch.cellChanged(created, 'jan', 30n);
    batch.cellChanged(created, 'name', 'C');
    const positions = new Map([
      [a, 0],
      [b, 1],
      [created, 2],
    ]);
    expect(batch.take((r) => positions.get(r)!)).toEqual({
      inserted: [{ index: 2, rows: [{ key: 'new-1', values: { jan: 30n, name: 'C' } }] }],
      changes: [{ rowKey: 'a', column: 'jan', from: 1n, to: 10n }],
      removed: null,
      moved: [],
    });
    expect({ known: a.known, empty: batch.isEmpty() }).toEqual({ known: { jan: 10n, name: 'A' }, empty: true });
  });

  it('keeps the first "from" when a cell changes twice, and drops a change back to where it was', () => {
    const a = row('a', { jan: 1n, feb: 5n });
    const batch = new EditBatch();
    batch.cellChanged(a, 'jan', 2n);
    batch.cellChanged(a, 'jan', 3n);
    batch.cellChanged(a, 'feb', 6n);
    batch.cellChanged(a, 'feb', 5n);
    expect(batch.take(() => 0).changes).toEqual([{ rowKey: 'a', column: 'jan', from: 1n, to: 3n }]);
  });

  it('reports an undo of that paste as reverted cells and removed rows only', () => {
    const a = row('a', { jan: 10n });
    const created = row('new-1', { jan: 30n });
    const batch = new EditBatch();
    batch.cellChanged(a, 'jan', 1n);
    batch.cellChanged(created, 'jan', null);
    batch.rowsRemoved([created]);
    expect(batch.take(() => 0)).toEqual({
      inserted: [],
      changes: [{ rowKey: 'a', column: 'jan', from: 10n, to: 1n }],
      removed: { keys: ['new-1'] },
      moved: [],
    });
  });

  it('groups inserted rows into runs by position, and forgets rows inserted and removed in one action', () => {
    const rows = ['x', 'y', 'z', 'gone'].map((key) => row(key, {}));
    const batch = new EditBatch();
    batch.rowsInserted(rows);
    batch.rowsRemoved([rows[3]!]);
    batch.rowsMoved(['m'], 4);
    const positions = new Map([
      [rows[0]!, 7],
      [rows[1]!, 2],
      [rows[2]!, 3],
    ]);
    expect(batch.take((r) => positions.get(r)!)).toEqual({
      inserted: [
        {
          index: 2,
          rows: [
            { key: 'y', values: {} },
            { key: 'z', values: {} },
          ],
        },
        { index: 7, rows: [{ key: 'x', values: {} }] },
      ],
      changes: [],
      removed: null,
      moved: [{ keys: ['m'], toIndex: 4 }],
    });
  });
});
