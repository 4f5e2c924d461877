import type { ReactNode } from 'react';

/** An error or warning that screen readers announce at once. Renders nothing without content. */
export function Alert({ children, tone = 'error' }: { children?: ReactNode; tone?: 'error' | 'warning' }) {
  if (children === null || children === undefined || children === false || children === '') return null;
  return (
    <div role="alert" className={`gp-alert gp-alert--${tone}`}>
      {children}
    </div>
  );
}

/** A polite confirmation ("Invite sent."), announced without interrupting. */
export function Notice({ children, tone = 'success' }: { children?: ReactNode; tone?: 'success' | 'info' }) {
  if (children === null || children === undefined || children === false || children === '') return null;
  return (
    <div role="status" className={`gp-alert gp-alert--${tone}`}>
      {children}
    </div>
  );
}
