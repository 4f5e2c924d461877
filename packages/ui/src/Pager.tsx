import { useId } from 'react';

export interface PagerProps {
  page: number;
  pageSize: number;
  total: number;
  onPageChange: (page: number) => void;
  /** Names what is counted: `(n) => n === 1 ? '1 user' : `${n} users``. */
  describeTotal?: (total: number) => string;
  disabled?: boolean;
  /** Offers a choice of page size ("Rows per page") when given. */
  pageSizes?: readonly number[];
  onPageSizeChange?: (pageSize: number) => void;
}

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
}

const defaultTotal = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'item' : 'items'}`;

/** Previous/next paging with "Page X of Y" and the total count. */
export function Pager({
  page,
  pageSize,
  total,
  onPageChange,
  describeTotal = defaultTotal,
  disabled,
  pageSizes,
  onPageSizeChange,
}: PagerProps) {
  const pages = pageCount(total, pageSize);
  const current = Math.min(Math.max(1, page), pages);
  const sizeId = useId();
  return (
    <div className="gp-pager">
      <span className="gp-pager__total">{describeTotal(total)}</span>
      <span className="gp-pager__spacer" />
      {pageSizes && onPageSizeChange ? (
        <span className="gp-pager__size">
          <label htmlFor={sizeId}>Rows per page</label>
          <select id={sizeId} value={pageSize} onChange={(e) => onPageSizeChange(Number(e.target.value))}>
            {pageSizes.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </span>
      ) : null}
      <button
        type="button"
        className="gp-button gp-button--small"
        disabled={disabled || current <= 1}
        onClick={() => onPageChange(current - 1)}
      >
        Previous page
      </button>
      <span className="gp-pager__position" aria-live="polite">
        Page {current} of {pages}
      </span>
      <button
        type="button"
        className="gp-button gp-button--small"
        disabled={disabled || current >= pages}
        onClick={() => onPageChange(current + 1)}
      >
        Next page
      </button>
    </div>
  );
}
