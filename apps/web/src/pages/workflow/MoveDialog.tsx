import { Alert, Dialog } from '@goalpost/ui';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { ACTION_EFFECTS, ACTION_LABELS, type WorkflowAction } from './moves.ts';

/**
 * Confirms a workflow move with its reason: required for sending back and cancelling (the owner
 * reads it), an optional note otherwise. The caller makes the move and passes its error back.
 */
export function MoveDialog({
  action,
  reason,
  subject,
  busy,
  error,
  onConfirm,
  onCancel,
  children,
}: {
  action: WorkflowAction;
  reason: 'required' | 'optional';
  /** What is moved: "this budget", "3 budgets". */
  subject: string;
  busy?: boolean;
  /** The server's refusal, or a problem with the reason. */
  error?: { reason?: string | undefined; form?: string | null | undefined } | null;
  onConfirm: (reason: string | undefined) => void;
  onCancel: () => void;
  children?: ReactNode;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const label = ACTION_LABELS[action];
  const required = reason === 'required';
  const reasonError = missing ? 'Say why: the owner will read it.' : error?.reason;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (required && !text.trim()) {
      setMissing(true);
      return;
    }
    onConfirm(text.trim() || undefined);
  };
  return (
    <Dialog
      title={`${label}: ${subject}`}
      onClose={onCancel}
      width={520}
      footer={
        <>
          <button type="button" className="gp-button" onClick={onCancel}>
            Cancel
          </button>
          <button
            type="submit"
            form={`${id}-form`}
            className={`gp-button ${action === 'cancel' ? 'gp-button--danger-solid' : 'gp-button--primary'}`}
            disabled={busy}
          >
            {label}
          </button>
        </>
      }
    >
      <form id={`${id}-form`} className="gp-form" onSubmit={submit} noValidate aria-label={label}>
        <p>{ACTION_EFFECTS[action]}</p>
        {children}
        <div className={`gp-field${reasonError ? ' gp-field--invalid' : ''}`}>
          <label htmlFor={id}>{required ? 'Reason' : 'Note (optional)'}</label>
          <textarea
            id={id}
            className="gp-textarea"
            rows={4}
            maxLength={2000}
            required={required}
            aria-invalid={reasonError ? true : undefined}
            aria-describedby={reasonError ? `${id}-error` : undefined}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setMissing(false);
            }}
          />
          {reasonError ? (
            <p id={`${id}-error`} role="alert" className="gp-field__error">
              {reasonError}
            </p>
          ) : null}
        </div>
        <Alert>{error?.form}</Alert>
      </form>
    </Dialog>
  );
}
