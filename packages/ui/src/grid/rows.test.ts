import { expect, it } from 'vitest';
import { withChanges, withInserted, withMoved, withRemoved } from './rows.ts';

const row = (key: string, v: bigint | null = null) => ({ key, values: { a: v } });

it('applies each report to the page’s rows', () => {
  const rows = [row('x', 1n), row('y', 2n), row('z', 3n)];
  expect({
    changed: withChanges(rows, [{ rowKey: 'y', column: 'a', to: 20n }]).map((r) => r.values.a),
    inserted: withInserted(rows, { index: 1, rows: [{ key: 'n', values: { a: null } }] }).map((r) => r.key),
    removed: withRemoved(rows, { keys: ['x', 'z'] }).map((r) => r.key),
    moved: withMoved(rows, { keys: ['x'], toIndex: 2 }).map((r) => r.key),
    untouched: withChanges(rows, [])[0] === rows[0],
  }).toEqual({
    changed: [1n, 20n, 3n],
    inserted: ['x', 'n', 'y', 'z'],
    removed: ['y'],
    moved: ['y', 'z', 'x'],
    untouched: true,
  });
});
