import { type ReactNode, useEffect, useId, useRef } from 'react';
import { CloseIcon } from './icons.tsx';

/**
 * A details pane docked to the right of a list (laid over the list's right side on narrow
 * screens, see styles.css). It takes focus when it opens, so keyboard users land in it, and gives
 * it back when it closes; Escape closes it, unless a dialog or menu that handles Escape has focus.
 */
export function SidePanel({
  title,
  subtitle,
  onClose,
  children,
}: {
  title: string;
  subtitle?: ReactNode;
  onClose: () => void;
  children: ReactNode;
}) {
  const titleId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    heading.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      if ((e.target as Element | null)?.closest?.('dialog, .gp-user-menu')) return;
      onCloseRef.current();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      // Back to the row that opened it, if it is still on the page.
      if (previous?.isConnected && document.activeElement === document.body) previous.focus();
    };
  }, []);

  return (
    <aside className="gp-side-panel" aria-labelledby={titleId}>
      <div className="gp-side-panel__header">
        <div>
          <h2 id={titleId} ref={heading} tabIndex={-1}>
            {title}
          </h2>
          {subtitle ? <div className="gp-side-panel__subtitle">{subtitle}</div> : null}
        </div>
        <button type="button" className="gp-icon-button" aria-label="Close details" onClick={onClose}>
          <CloseIcon />
        </button>
      </div>
      <div className="gp-side-panel__body">{children}</div>
    </aside>
  );
}

/** A titled group inside a side panel or page. */
export function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  const id = useId();
  return (
    <section className="gp-section" aria-labelledby={id}>
      <div className="gp-section__header">
        <h3 id={id}>{title}</h3>
        {actions ? <div className="gp-section__actions">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}
