import { type Key, type ReactNode, useEffect, useRef } from 'react';

export type SortDirection = 'asc' | 'desc';
export interface SortState<K extends string = string> {
  key: K;
  dir: SortDirection;
}

export interface Column<T> {
  /** The column header text. */
  header: string;
  render: (row: T) => ReactNode;
  className?: string;
  /** Makes the header a button that sorts by this key (the table only reports it; the caller sorts). */
  sortKey?: string;
  /** The direction a first click sorts in: dates read best newest first. */
  firstDir?: SortDirection;
}

/** A checkbox per row, for actions on many rows at once. */
export interface RowChecks<T> {
  checked: ReadonlySet<Key>;
  onCheck: (row: T, checked: boolean) => void;
  /** Checks or clears every row shown. */
  onCheckAll: (checked: boolean) => void;
  /** Names the row for its checkbox, e.g. "Select Ada Lovelace". */
  label: (row: T) => string;
}

export interface DataTableProps<T> {
  /** Names the table for assistive technology (visually hidden). */
  caption: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => Key;
  /** Makes rows selectable: a click anywhere on a row, or Enter on its first cell's button. */
  onRowSelect?: ((row: T) => void) | undefined;
  selectedKey?: Key | null | undefined;
  loading?: boolean;
  /** Shown in the body when there are no rows and nothing is loading. */
  empty?: ReactNode;
  className?: string;
  sort?: SortState | undefined;
  onSortChange?: ((sort: SortState) => void) | undefined;
  checks?: RowChecks<T> | undefined;
  /**
   * The table is wider than its place (many period columns): its frame becomes a named region
   * that takes focus, so keyboard users can scroll it with the arrow keys.
   */
  wide?: boolean;
}

const SORT_LABEL = { asc: 'ascending', desc: 'descending' } as const;

/**
 * A dense table with real headers. When rows are selectable, the first cell holds a button so the
 * selection works from the keyboard; a click anywhere else on the row selects it too. Sortable
 * columns have a button in their header and announce their order (aria-sort); rows can carry a
 * checkbox for actions on many.
 */
export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  onRowSelect,
  selectedKey,
  loading,
  empty = 'Nothing to show.',
  className,
  sort,
  onSortChange,
  checks,
  wide,
}: DataTableProps<T>) {
  const span = columns.length + (checks ? 1 : 0);
  return (
    <div
      className={`gp-table-wrap${className ? ` ${className}` : ''}`}
      aria-busy={loading ? true : undefined}
      {...(wide ? { role: 'region', 'aria-label': caption, tabIndex: 0 } : {})}
    >
      <table className={`gp-table${onRowSelect ? ' gp-table--selectable' : ''}`}>
        <caption className="gp-visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {checks ? (
              <th scope="col" className="gp-table__check">
                <CheckAll rows={rows} rowKey={rowKey} checks={checks} />
              </th>
            ) : null}
            {columns.map((c) => {
              const sorted = c.sortKey !== undefined && sort?.key === c.sortKey;
              return (
                <th
                  key={c.header}
                  scope="col"
                  className={c.className}
                  aria-sort={sorted && sort ? SORT_LABEL[sort.dir] : undefined}
                >
                  {c.sortKey && onSortChange ? (
                    <button
                      type="button"
                      className="gp-sort-button"
                      onClick={() => {
                        const key = c.sortKey as string;
                        const dir = sorted && sort ? (sort.dir === 'asc' ? 'desc' : 'asc') : (c.firstDir ?? 'asc');
                        onSortChange({ key, dir });
                      }}
                    >
                      {c.header}
                      <span className="gp-sort-button__arrow" aria-hidden="true">
                        {sorted && sort ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}
                      </span>
                    </button>
                  ) : (
                    c.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr className="gp-table__placeholder">
              <td colSpan={span}>{loading ? 'Loading…' : empty}</td>
            </tr>
          ) : (
            rows.map((row) => {
              const key = rowKey(row);
              const selected = selectedKey !== undefined && selectedKey !== null && key === selectedKey;
              const checked = checks?.checked.has(key) ?? false;
              const classes = [selected ? 'gp-table__row--selected' : '', checked ? 'gp-table__row--checked' : '']
                .filter(Boolean)
                .join(' ');
              return (
                <tr
                  key={key}
                  className={classes || undefined}
                  aria-current={selected ? 'true' : undefined}
                  onClick={onRowSelect ? () => onRowSelect(row) : undefined}
                >
                  {checks ? (
                    <td className="gp-table__check">
                      <input
                        type="checkbox"
                        aria-label={checks.label(row)}
                        checked={checked}
                        // A click on the checkbox picks the row; it does not open it.
                        onClick={(e) => e.stopPropagation()}
                        onChange={(e) => checks.onCheck(row, e.target.checked)}
                      />
                    </td>
                  ) : null}
                  {columns.map((c, i) => (
                    <td key={c.header} className={c.className}>
                      {i === 0 && onRowSelect ? (
                        <button type="button" className="gp-row-button">
                          {c.render(row)}
                        </button>
                      ) : (
                        c.render(row)
                      )}
                    </td>
                  ))}
                </tr>
              );
            })
          )}
        </tbody>
      </table>
    </div>
  );
}

function CheckAll<T>({ rows, rowKey, checks }: { rows: readonly T[]; rowKey: (row: T) => Key; checks: RowChecks<T> }) {
  const ref = useRef<HTMLInputElement>(null);
  const count = rows.filter((r) => checks.checked.has(rowKey(r))).length;
  const all = rows.length > 0 && count === rows.length;
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = count > 0 && !all;
  }, [count, all]);
  return (
    <input
      ref={ref}
      type="checkbox"
      aria-label="Select everyone on this page"
      checked={all}
      disabled={rows.length === 0}
      onChange={(e) => checks.onCheckAll(e.target.checked)}
    />
  );
}
