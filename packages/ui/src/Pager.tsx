export interface PagerProps {
  page: number;
  pageSize: number;
  total: number;
  onPageChange: (page: number) => void;
  /** Names what is counted: `(n) => n === 1 ? '1 user' : `${n} users``. */
  describeTotal?: (total: number) => string;
  disabled?: boolean;
}

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
}

const defaultTotal = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'item' : 'items'}`;

/** Previous/next paging with "Page X of Y" and the total count. */
export function Pager({ page, pageSize, total, onPageChange, describeTotal = defaultTotal, disabled }: PagerProps) {
  const pages = pageCount(total, pageSize);
  const current = Math.min(Math.max(1, page), pages);
  return (
    <div className="gp-pager">
      <span className="gp-pager__total">{describeTotal(total)}</span>
      <span className="gp-pager__spacer" />
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
