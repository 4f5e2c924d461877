import type { Key, ReactNode } from 'react';

export interface Column<T> {
  /** The column header text. */
  header: string;
  render: (row: T) => ReactNode;
  className?: string;
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
}

/**
 * A dense table with real headers. When rows are selectable, the first cell holds a button so the
 * selection works from the keyboard; a click anywhere else on the row selects it too.
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
}: DataTableProps<T>) {
  return (
    <div className={`gp-table-wrap${className ? ` ${className}` : ''}`} aria-busy={loading ? true : undefined}>
      <table className={`gp-table${onRowSelect ? ' gp-table--selectable' : ''}`}>
        <caption className="gp-visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col" className={c.className}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr className="gp-table__placeholder">
              <td colSpan={columns.length}>{loading ? 'Loading…' : empty}</td>
            </tr>
          ) : (
            rows.map((row) => {
              const key = rowKey(row);
              const selected = selectedKey !== undefined && selectedKey !== null && key === selectedKey;
              return (
                <tr
                  key={key}
                  className={selected ? 'gp-table__row--selected' : undefined}
                  aria-current={selected ? 'true' : undefined}
                  onClick={onRowSelect ? () => onRowSelect(row) : undefined}
                >
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
