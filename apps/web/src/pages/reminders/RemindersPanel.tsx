import { Alert, Badge, ConfirmDialog, PlusIcon, SidePanel } from '@goalpost/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { errorMessage } from '../../lib/errors.ts';
import { type Reminder, type ReminderSubject, useTRPC } from '../../trpc.ts';
import { ReminderDialog, subjectWord } from './ReminderDialog.tsx';
import { formatInZone, scheduleInWords } from './words.ts';

interface RemindersProps {
  subject: ReminderSubject;
  /** Comment rights on the subject: needed to remind everyone working on it. */
  canRemindCollaborators: boolean;
  /** The goal's target date, when the page knows it. */
  targetDate?: string | null;
}

/** The budget and forecast pages' side panel of reminders. */
export function RemindersPanel({ name, onClose, ...props }: RemindersProps & { name: string; onClose: () => void }) {
  return (
    <SidePanel title="Reminders" subtitle={name} onClose={onClose}>
      <Reminders {...props} />
    </SidePanel>
  );
}

/**
 * The signed-in person's reminders on a goal, budget or forecast (and the workflow's automatic
 * approval reminder, read-only): when each fires next in their time zone, the schedule in words,
 * for whom, paused or not; set, edit, pause, resume and delete them.
 */
export function Reminders({
  subject,
  canRemindCollaborators,
  targetDate,
  wide,
}: RemindersProps & {
  /** Laid out across a page section rather than down a side panel. */
  wide?: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.reminders.list.queryOptions(subject));
  const [editing, setEditing] = useState<Reminder | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Reminder | null>(null);
  const refresh = () => queryClient.invalidateQueries(trpc.reminders.list.queryFilter(subject));
  const pause = useMutation(trpc.reminders.pause.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(
    trpc.reminders.delete.mutationOptions({
      onSuccess: async () => {
        await refresh();
        setDeleting(null);
      },
    }),
  );
  const failed = pause.error ?? (deleting ? null : remove.error);

  return (
    <div className={`gp-reminders${wide ? ' gp-reminders--wide' : ''}`}>
      <div className="gp-button-row">
        <button type="button" className="gp-button gp-button--small" onClick={() => setEditing('new')}>
          <PlusIcon /> New reminder
        </button>
      </div>
      <Alert>{list.isError ? errorMessage(list.error) : failed ? errorMessage(failed) : null}</Alert>
      {list.isPending ? (
        <p className="gp-muted">Loading…</p>
      ) : list.data?.length ? (
        <ul className="gp-reminder-list" aria-label="Reminders">
          {list.data.map((r) => (
            <ReminderItem
              key={r.id}
              reminder={r}
              targetDate={targetDate}
              busy={pause.isPending && pause.variables.reminderId === r.id}
              onEdit={() => setEditing(r)}
              onPause={(paused) => pause.mutate({ reminderId: r.id, paused })}
              onDelete={() => {
                remove.reset();
                setDeleting(r);
              }}
            />
          ))}
        </ul>
      ) : list.data ? (
        <p className="gp-muted">
          No reminders on this {subjectWord(subject)} yet. Set one to be told, once or again and again, by the bell and
          by mail.
        </p>
      ) : null}
      {editing ? (
        <ReminderDialog
          subject={subject}
          reminder={editing === 'new' ? undefined : editing}
          canRemindCollaborators={canRemindCollaborators}
          targetDate={targetDate}
          onClose={() => setEditing(null)}
        />
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title="Delete reminder"
          confirmLabel="Delete reminder"
          busy={remove.isPending}
          onConfirm={() => remove.mutate({ reminderId: deleting.id })}
          onCancel={() => setDeleting(null)}
        >
          <Alert>{remove.isError ? errorMessage(remove.error) : null}</Alert>
          <p>
            Delete the reminder “{deleting.message}”? It will not fire again
            {deleting.audience === 'collaborators' ? ', for you or anyone else' : ''}.
          </p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

function ReminderItem({
  reminder: r,
  targetDate,
  busy,
  onEdit,
  onPause,
  onDelete,
}: {
  reminder: Reminder;
  targetDate: string | null | undefined;
  busy: boolean;
  onEdit: () => void;
  onPause: (paused: boolean) => void;
  onDelete: () => void;
}) {
  const messageId = useId();
  return (
    <li className={`gp-reminder${r.paused ? ' gp-reminder--paused' : ''}`} aria-labelledby={messageId}>
      <p id={messageId} className="gp-reminder__message">
        {r.automatic ? 'Approval reminder' : r.message}
      </p>
      <div className="gp-reminder__schedule">{scheduleInWords(r.schedule, targetDate)}</div>
      <div className="gp-timeline__meta">
        {r.paused ? (
          <Badge tone="warning">Paused</Badge>
        ) : r.due ? (
          // Its time has passed without it firing (after a time-zone change, or while the jobs were
          // down): it fires at the next run, not "Done".
          <span>
            <Badge tone="info">Due now</Badge> (fires within a minute)
          </span>
        ) : r.nextFireAt ? (
          <span>
            Next{' '}
            <time dateTime={r.nextFireAt.toISOString()}>
              {formatInZone(r.nextFireAt, r.timeZone)} ({r.timeZone})
            </time>
          </span>
        ) : (
          <Badge tone="neutral">Done</Badge>
        )}{' '}
        ·{' '}
        {r.automatic
          ? 'for the approvers (automatic)'
          : r.audience === 'collaborators'
            ? 'for everyone working on it'
            : 'for you'}
      </div>
      {r.automatic ? null : (
        <div className="gp-button-row">
          <button
            type="button"
            className="gp-button gp-button--small"
            aria-label={`Edit the reminder “${r.message}”`}
            onClick={onEdit}
          >
            Edit
          </button>
          <button
            type="button"
            className="gp-button gp-button--small"
            aria-label={`${r.paused ? 'Resume' : 'Pause'} the reminder “${r.message}”`}
            disabled={busy}
            onClick={() => onPause(!r.paused)}
          >
            {r.paused ? 'Resume' : 'Pause'}
          </button>
          <button
            type="button"
            className="gp-button gp-button--small gp-button--danger"
            aria-label={`Delete the reminder “${r.message}”`}
            onClick={onDelete}
          >
            Delete
          </button>
        </div>
      )}
    </li>
  );
}
