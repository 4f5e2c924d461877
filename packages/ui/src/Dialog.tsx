import { type FormEvent, type ReactNode, useEffect, useId, useRef } from 'react';
import { Alert } from './Alert.tsx';
import { CloseIcon } from './icons.tsx';

export interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Buttons along the bottom edge. */
  footer?: ReactNode;
  width?: number;
}

/**
 * A modal dialog on the native <dialog> element: the page behind becomes inert, Escape closes it,
 * and focus returns to where it was. Render it only while it is open.
 */
export function Dialog({ title, onClose, children, footer, width = 460 }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const previous = document.activeElement as HTMLElement | null;
    if (typeof dialog.showModal === 'function' && !dialog.open) {
      try {
        dialog.showModal();
      } catch {
        dialog.setAttribute('open', '');
      }
    } else if (!dialog.open) dialog.setAttribute('open', '');
    const first = dialog.querySelector<HTMLElement>('input, select, textarea, button:not(.gp-dialog__close)');
    first?.focus();
    const onCancel = (e: Event) => {
      e.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open && typeof dialog.close === 'function') dialog.close();
      previous?.focus?.();
    };
  }, []);

  return (
    <dialog ref={ref} className="gp-dialog" aria-labelledby={titleId} style={{ width }}>
      <div className="gp-dialog__header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="gp-icon-button gp-dialog__close" aria-label="Close" onClick={onClose}>
          <CloseIcon />
        </button>
      </div>
      <div className="gp-dialog__body">{children}</div>
      {footer ? <div className="gp-dialog__footer">{footer}</div> : null}
    </dialog>
  );
}

export interface FormDialogProps {
  title: string;
  onClose: () => void;
  onSubmit: (e: FormEvent<HTMLFormElement>) => void;
  /** The submit button's words, the action it takes ("Create budget"). */
  submitLabel: string;
  /** Disables the submit button (a request in flight, nothing to submit yet). */
  submitDisabled?: boolean;
  /** Danger for actions that take something away. */
  tone?: 'primary' | 'danger';
  /** A problem with the form as a whole (a field's own problem shows at the field). */
  formError?: ReactNode;
  /** What the dialog is about, above the form. */
  intro?: ReactNode;
  /** The form's accessible name; the title when not given. */
  formLabel?: string;
  width?: number;
  /** The fields. */
  children: ReactNode;
}

/**
 * A dialog around one form: the intro, the form-wide problem, the fields, and along the bottom
 * Cancel and the submit button (tied to the form, so Enter in a field submits it too).
 */
export function FormDialog({
  title,
  onClose,
  onSubmit,
  submitLabel,
  submitDisabled = false,
  tone = 'primary',
  formError,
  intro,
  formLabel,
  width,
  children,
}: FormDialogProps) {
  const formId = useId();
  return (
    <Dialog
      title={title}
      onClose={onClose}
      width={width}
      footer={
        <>
          <button type="button" className="gp-button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            form={formId}
            className={`gp-button ${tone === 'danger' ? 'gp-button--danger-solid' : 'gp-button--primary'}`}
            disabled={submitDisabled}
          >
            {submitLabel}
          </button>
        </>
      }
    >
      {intro}
      <Alert>{formError}</Alert>
      <form id={formId} className="gp-form" onSubmit={onSubmit} noValidate aria-label={formLabel ?? title}>
        {children}
      </form>
    </Dialog>
  );
}

export interface ConfirmDialogProps {
  title: string;
  /** What will happen, in the words of the action. */
  children: ReactNode;
  confirmLabel: string;
  /** Danger for actions that take something away (deactivate, remove admin). */
  tone?: 'danger' | 'primary';
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * "Are you sure?" for risky actions. Focus starts on Cancel, so Enter alone never confirms; Escape
 * cancels.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  tone = 'danger',
  busy,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  return (
    <Dialog
      title={title}
      onClose={onCancel}
      footer={
        <>
          <button type="button" className="gp-button" onClick={onCancel}>
            Cancel
          </button>
          <button
            type="button"
            className={`gp-button ${tone === 'danger' ? 'gp-button--danger-solid' : 'gp-button--primary'}`}
            disabled={busy}
            onClick={onConfirm}
          >
            {confirmLabel}
          </button>
        </>
      }
    >
      {children}
    </Dialog>
  );
}
