import { type ReactNode, useEffect } from 'react';

export interface PageProps {
  title: string;
  /** Shown under the title, e.g. a count. */
  description?: ReactNode;
  /** Buttons at the right of the title bar. */
  actions?: ReactNode;
  /** A secondary pane beside the content (e.g. a details panel). */
  aside?: ReactNode;
  /**
   * Keep the pane beside the content at every width. By default, below 1280 px it is laid over the
   * content's right side so a list keeps its columns; a grid scrolls sideways instead, and must not
   * have the cell being discussed hidden under the pane.
   */
  asideDocked?: boolean;
  children: ReactNode;
  /** Sets document.title to "<title> · <suffix>". */
  documentTitleSuffix?: string;
}

/** A page inside the shell: a title bar, then the content (and an optional side panel). */
export function Page({
  title,
  description,
  actions,
  aside,
  asideDocked = false,
  children,
  documentTitleSuffix = 'Goalpost',
}: PageProps) {
  useEffect(() => {
    document.title = `${title} · ${documentTitleSuffix}`;
  }, [title, documentTitleSuffix]);
  return (
    <div
      className={`gp-page${aside ? ' gp-page--with-aside' : ''}${aside && asideDocked ? ' gp-page--aside-docked' : ''}`}
    >
      <div className="gp-titlebar">
        <div className="gp-titlebar__text">
          <h1>{title}</h1>
          {description ? <div className="gp-titlebar__description">{description}</div> : null}
        </div>
        {actions ? <div className="gp-titlebar__actions">{actions}</div> : null}
      </div>
      <div className="gp-page__body">
        <div className="gp-page__content">{children}</div>
        {aside}
      </div>
    </div>
  );
}

/** A narrow centred card for the public pages (sign-in, reset, invite). */
export function AuthCard({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Goalpost`;
  }, [title]);
  return (
    <div className="gp-auth">
      <div className="gp-auth__brand" aria-hidden="true">
        Goalpost
      </div>
      <main className="gp-auth__card">
        <h1>{title}</h1>
        {children}
      </main>
      {footer ? <div className="gp-auth__footer">{footer}</div> : null}
    </div>
  );
}
