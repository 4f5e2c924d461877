import { Alert, Dialog, FieldError, Notice } from '@goalpost/ui';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { errorMessage, formProblem } from '../../lib/errors.ts';
import { type Collaborator, useTRPC } from '../../trpc.ts';
import { LEVELS } from '../sharing/levels.ts';

type Field = 'recipients' | 'message';

const SERVER_FIELDS: Record<Field, readonly string[]> = {
  recipients: ['recipientIds'],
  message: ['message'],
};

/** How someone works on the budget, as the Share dialog names grant levels. */
export function roleLabel(role: Collaborator['role']): string {
  if (role === 'owner') return 'Owner';
  if (role === 'supervisor') return 'Owner’s supervisor';
  return LEVELS[role].label;
}

function names(people: readonly string[]): string {
  if (people.length <= 1) return people.join('');
  return `${people.slice(0, -1).join(', ')} and ${people.at(-1)}`;
}

/**
 * "Message collaborators" on the budget page: a message to chosen people working on the budget
 * (its owner, the owner's supervisor, those it is shared with), in their bell and by mail as their
 * preferences say. Needs comment rights on the budget.
 */
export function MessageDialog({
  budgetId,
  budgetName,
  onClose,
}: {
  budgetId: string;
  budgetName: string;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const formId = useId();
  const messageId = useId();
  const recipientsErrorId = useId();
  const people = useQuery(trpc.notifications.collaborators.queryOptions({ budgetId }));
  const [chosen, setChosen] = useState<string[]>([]);
  const [message, setMessage] = useState('');
  const [local, setLocal] = useState<Partial<Record<Field, string>>>({});
  const send = useMutation(trpc.notifications.send.mutationOptions());
  const problem = formProblem(send.error, SERVER_FIELDS);
  const recipientsError = local.recipients ?? problem?.fieldErrors.recipients;
  const messageError = local.message ?? problem?.fieldErrors.message;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!chosen.length) found.recipients = 'Choose at least one person to send the message to.';
    if (!message.trim()) found.message = 'Write a message.';
    setLocal(found);
    if (Object.keys(found).length) return;
    send.mutate({ budgetId, recipientIds: chosen, message });
  };
  const toggle = (id: string, on: boolean) =>
    setChosen((current) => (on ? [...current, id] : current.filter((c) => c !== id)));

  if (send.isSuccess) {
    return (
      <Dialog
        title="Message collaborators"
        onClose={onClose}
        width={520}
        footer={
          <button type="button" className="gp-button gp-button--primary" onClick={onClose}>
            Done
          </button>
        }
      >
        <Notice>
          Message sent to {names(send.data.recipients)}. They see it in their notifications, and by mail unless they
          turned mail off for messages.
        </Notice>
      </Dialog>
    );
  }

  const everyone = people.data ?? [];
  return (
    <Dialog
      title="Message collaborators"
      onClose={onClose}
      width={520}
      footer={
        <>
          <button type="button" className="gp-button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            form={formId}
            className="gp-button gp-button--primary"
            disabled={send.isPending || !everyone.length}
          >
            Send message
          </button>
        </>
      }
    >
      <Alert>{people.isError ? errorMessage(people.error) : problem?.formError}</Alert>
      <form id={formId} className="gp-form" onSubmit={onSubmit} noValidate aria-label="Message collaborators">
        <p className="gp-muted gp-message__about">About {budgetName}: it arrives in their notifications and by mail.</p>
        {people.isPending ? (
          <p className="gp-muted">Loading…</p>
        ) : people.data && !everyone.length ? (
          <p className="gp-muted">Nobody else works on this budget yet. Share it first, then send them a message.</p>
        ) : (
          <fieldset
            className="gp-checkboxes gp-recipients"
            aria-describedby={recipientsError ? recipientsErrorId : undefined}
          >
            <legend>To</legend>
            {everyone.length > 1 ? (
              <label className="gp-checkbox gp-recipients__all">
                <input
                  type="checkbox"
                  checked={chosen.length === everyone.length}
                  onChange={(e) => setChosen(e.target.checked ? everyone.map((p) => p.id) : [])}
                />
                Everyone ({everyone.length})
              </label>
            ) : null}
            {everyone.map((p) => (
              <label key={p.id} className="gp-checkbox gp-recipient">
                <input
                  type="checkbox"
                  checked={chosen.includes(p.id)}
                  onChange={(e) => toggle(p.id, e.target.checked)}
                />
                <span className="gp-recipient__name">{p.name}</span>
                <span className="gp-recipient__role">{roleLabel(p.role)}</span>
              </label>
            ))}
            <FieldError id={recipientsErrorId} message={recipientsError} />
          </fieldset>
        )}
        <div className={`gp-field${messageError ? ' gp-field--invalid' : ''}`}>
          <label htmlFor={messageId}>Message</label>
          <textarea
            id={messageId}
            className="gp-textarea"
            rows={4}
            maxLength={2000}
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            aria-invalid={messageError ? true : undefined}
            aria-describedby={messageError ? `${messageId}-error` : undefined}
          />
          <FieldError id={`${messageId}-error`} message={messageError} />
        </div>
      </form>
    </Dialog>
  );
}
