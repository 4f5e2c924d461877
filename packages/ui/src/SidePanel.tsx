import { type ReactNode, useId } from 'react';
import { CloseIcon } from './icons.tsx';

/** A details pane docked to the right of a list. */
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
  return (
    <aside className="gp-side-panel" aria-labelledby={titleId}>
      <div className="gp-side-panel__header">
        <div>
          <h2 id={titleId}>{title}</h2>
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
