import { useEffect, useId, useRef, useState } from 'react';
import type { LinkComponent } from './AppShell.tsx';
import { BellIcon } from './icons.tsx';

export interface BellItem {
  id: string;
  title: string;
  body: string | null;
  readAt: Date | null;
  createdAt: Date;
}

export interface NotificationBellProps {
  unread: number;
  /** The newest notifications, shown when the bell is open. */
  items: readonly BellItem[];
  loading?: boolean;
  error?: string | null;
  onOpenChange?: (open: boolean) => void;
  /** A notification was chosen: mark it read and go where it leads. */
  onSelect: (item: BellItem) => void;
  onMarkAllRead: () => void;
  markingAllRead?: boolean;
  /** The page with every notification. */
  allHref: string;
  Link: LinkComponent;
  formatTime: (date: Date) => string;
}

/** The bell in the top bar: the unread count, and the newest notifications in a popover. */
export function NotificationBell({
  unread,
  items,
  loading,
  error,
  onOpenChange,
  onSelect,
  onMarkAllRead,
  markingAllRead,
  allHref,
  Link,
  formatTime,
}: NotificationBellProps) {
  const [open, setOpenState] = useState(false);
  const wrapper = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const headingId = useId();
  const setOpen = (next: boolean) => {
    setOpenState(next);
    onOpenChange?.(next);
  };

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (wrapper.current && !wrapper.current.contains(e.target as Node)) {
        setOpenState(false);
        onOpenChange?.(false);
      }
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpenState(false);
        onOpenChange?.(false);
        button.current?.focus();
      }
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open, onOpenChange]);

  const label = unread === 0 ? 'Notifications, none unread' : `Notifications, ${unread} unread`;
  return (
    <div className="gp-bell" ref={wrapper}>
      <button
        ref={button}
        type="button"
        className="gp-bell__button"
        aria-label={label}
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => setOpen(!open)}
      >
        <BellIcon width={20} height={20} />
        {unread > 0 ? (
          <span className="gp-bell__count" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        ) : null}
      </button>
      <span className="gp-visually-hidden" aria-live="polite">
        {unread > 0 ? `${unread} unread notifications` : ''}
      </span>
      {open ? (
        <section id={panelId} className="gp-bell__panel" aria-labelledby={headingId}>
          <header className="gp-bell__header">
            <h2 id={headingId}>Notifications</h2>
            <button
              type="button"
              className="gp-link-button"
              disabled={unread === 0 || markingAllRead}
              onClick={onMarkAllRead}
            >
              Mark all read
            </button>
          </header>
          {error ? (
            <p className="gp-bell__state" role="alert">
              {error}
            </p>
          ) : loading ? (
            <p className="gp-bell__state" role="status">
              Loading…
            </p>
          ) : items.length === 0 ? (
            <p className="gp-bell__state">Nothing yet. You will be told here when something needs you.</p>
          ) : (
            <ul className="gp-bell__list">
              {items.map((item) => (
                <li key={item.id}>
                  <button
                    type="button"
                    className={`gp-bell__item${item.readAt ? '' : ' gp-bell__item--unread'}`}
                    onClick={() => {
                      setOpen(false);
                      onSelect(item);
                    }}
                  >
                    <span className="gp-bell__title">
                      {item.readAt ? null : <span className="gp-visually-hidden">Unread: </span>}
                      {item.title}
                    </span>
                    {item.body ? <span className="gp-bell__body">{item.body}</span> : null}
                    <span className="gp-bell__time">{formatTime(item.createdAt)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <footer className="gp-bell__footer">
            <Link to={allHref} onClick={() => setOpen(false)}>
              See all notifications
            </Link>
          </footer>
        </section>
      ) : null}
    </div>
  );
}
