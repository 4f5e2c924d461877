import { describe, expect, it } from 'vitest';
import { ColumnTotals, rowTotal } from './totals.ts';

describe('ColumnTotals', () => {
  it('sums amounts exactly, moves by each change, and ignores refused text and other columns', () => {
    const rows: Record<string, unknown>[] = [
      { jan: 9_007_199_254_740_993n, feb: 1n, name: 'Rent' },
      { jan: 1n, feb: 'TBD', name: 'Travel' },
      { jan: null, feb: 2n },
    ];
    const totals = new ColumnTotals(['jan', 'feb']);
    totals.reset(rows.map((row) => (column) => row[column]));
    const afterReset = { jan: totals.of('jan'), feb: totals.of('feb'), grand: totals.grand() };
    totals.change('feb', 'TBD', 40n);
    totals.change('jan', 1n, null);
    totals.change('name', 'Travel', 'Trips');
    expect({
      afterReset,
      afterChanges: { jan: totals.of('jan'), feb: totals.of('feb'), grand: totals.grand() },
      row: rowTotal(['jan', 'feb'], (column) => rows[1]![column]),
    }).toEqual({
      afterReset: { jan: 9_007_199_254_740_994n, feb: 3n, grand: 9_007_199_254_740_997n },
      afterChanges: { jan: 9_007_199_254_740_993n, feb: 43n, grand: 9_007_199_254_741_036n },
      row: 1n,
    });
  });
});
