import { FieldError, FormDialog, TextField } from '@goalpost/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { Link } from 'react-router';
import { formProblem } from '../../lib/errors.ts';
import { type Reminder, type ReminderSchedule, type ReminderSubject, useTRPC } from '../../trpc.ts';
import { formatWallDate, wallDateIn } from './words.ts';

type Kind = ReminderSchedule['kind'];
type Field = 'message' | 'schedule' | 'audience';
type Audience = 'self' | 'collaborators';

const SERVER_FIELDS: Record<Field, readonly string[]> = {
  message: ['message'],
  schedule: ['schedule'],
  audience: ['audience'],
};

const KINDS: { value: Kind; label: string }[] = [
  { value: 'once', label: 'Once' },
  { value: 'daily', label: 'Every day' },
  { value: 'weekly', label: 'Every week' },
  { value: 'monthly', label: 'Every month' },
  { value: 'before_target', label: 'Before the target date' },
];

export function subjectWord(subject: ReminderSubject): string {
  return 'goalId' in subject ? 'goal' : 'budgetId' in subject ? 'budget' : 'forecast';
}

/**
 * Sets a reminder on a goal, budget or forecast, or edits one (`reminder` given): the message,
 * when (once, daily, weekly, monthly from a date, or days before the goal's target date, at a time
 * in the person's time zone) and for whom. The server's refusals appear at their field.
 */
export function ReminderDialog({
  subject,
  reminder,
  canRemindCollaborators,
  targetDate,
  onClose,
}: {
  subject: ReminderSubject;
  reminder?: Reminder;
  /** Comment rights on the subject: needed to remind everyone working on it. */
  canRemindCollaborators: boolean;
  /** The goal's target date, when the page knows it. */
  targetDate?: string | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const audienceName = useId();
  const messageId = useId();
  const whenId = useId();
  const scheduleErrorId = useId();
  const prefs = useQuery(trpc.notifications.preferences.queryOptions());
  const timeZone = prefs.data?.timeZone ?? reminder?.timeZone ?? null;
  const initial = reminder?.schedule.kind === 'approval' ? undefined : reminder?.schedule;
  const [message, setMessage] = useState(reminder?.message ?? '');
  const [kind, setKind] = useState<Kind>(initial?.kind ?? 'once');
  const [date, setDate] = useState<string>(
    () =>
      (initial && 'date' in initial ? initial.date : initial && 'startDate' in initial ? initial.startDate : null) ??
      // Tomorrow, so a new reminder's first guess lies ahead.
      wallDateIn(timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone, new Date(), 1),
  );
  const [time, setTime] = useState(initial?.time ?? '09:00');
  const [daysBefore, setDaysBefore] = useState(initial && 'daysBefore' in initial ? String(initial.daysBefore) : '7');
  const [audience, setAudience] = useState<Audience>(reminder?.audience === 'collaborators' ? 'collaborators' : 'self');
  const [local, setLocal] = useState<Partial<Record<Field, string>>>({});
  const onSuccess = async () => {
    await queryClient.invalidateQueries(trpc.reminders.list.queryFilter(subject));
    onClose();
  };
  const create = useMutation(trpc.reminders.create.mutationOptions({ onSuccess }));
  const update = useMutation(trpc.reminders.update.mutationOptions({ onSuccess }));
  const pending = create.isPending || update.isPending;
  const problem = formProblem(create.error ?? update.error, SERVER_FIELDS);
  const word = subjectWord(subject);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!message.trim()) found.message = 'Write what to remind of.';
    const days = Number(daysBefore);
    if (kind === 'before_target' && (!/^\d+$/.test(daysBefore.trim()) || days > 3650)) {
      found.schedule = 'Enter a whole number of days from 0 to 3650.';
    } else if (kind !== 'before_target' && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      found.schedule = kind === 'once' ? 'Choose the date.' : 'Choose the first date.';
    } else if (!/^\d{2}:\d{2}$/.test(time)) found.schedule = 'Choose the time (24-hour, like 09:00).';
    setLocal(found);
    if (Object.keys(found).length) return;
    const schedule: ReminderSchedule =
      kind === 'once'
        ? { kind, date, time }
        : kind === 'before_target'
          ? { kind, daysBefore: days, time }
          : { kind, startDate: date, time };
    if (reminder) update.mutate({ reminderId: reminder.id, message, schedule, audience });
    else create.mutate({ subject, message, schedule, audience });
  };
  const scheduleError = local.schedule ?? problem?.fieldErrors.schedule;
  const describedBy = scheduleError ? scheduleErrorId : undefined;

  return (
    <FormDialog
      title={reminder ? 'Edit reminder' : 'New reminder'}
      onClose={onClose}
      width={520}
      onSubmit={onSubmit}
      submitLabel={reminder ? 'Save reminder' : 'Set reminder'}
      submitDisabled={pending}
      formError={problem?.formError}
    >
      <div className={`gp-field${(local.message ?? problem?.fieldErrors.message) ? ' gp-field--invalid' : ''}`}>
        <label htmlFor={messageId}>Message</label>
        <textarea
          id={messageId}
          className="gp-textarea"
          rows={3}
          maxLength={2000}
          value={message}
          onChange={(e) => setMessage(e.target.value)}
          aria-invalid={(local.message ?? problem?.fieldErrors.message) ? true : undefined}
          aria-describedby={(local.message ?? problem?.fieldErrors.message) ? `${messageId}-error` : undefined}
        />
        <FieldError id={`${messageId}-error`} message={local.message ?? problem?.fieldErrors.message} />
      </div>
      <div className="gp-field">
        <label htmlFor={whenId}>When</label>
        <select id={whenId} value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
          {KINDS.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </select>
      </div>
      <div className={`gp-form__row${scheduleError ? ' gp-field--invalid' : ''}`}>
        {kind === 'before_target' ? (
          <TextField
            label="Days before"
            inputMode="numeric"
            value={daysBefore}
            onChange={setDaysBefore}
            aria-describedby={describedBy}
            aria-invalid={scheduleError ? true : undefined}
            className="gp-form__grow"
          />
        ) : (
          <TextField
            label={kind === 'once' ? 'Date' : 'Starting'}
            type="date"
            value={date}
            onChange={setDate}
            aria-describedby={describedBy}
            aria-invalid={scheduleError ? true : undefined}
            className="gp-form__grow"
          />
        )}
        <TextField
          label="Time"
          type="time"
          value={time}
          onChange={setTime}
          aria-describedby={describedBy}
          aria-invalid={scheduleError ? true : undefined}
          className="gp-form__grow"
        />
      </div>
      <FieldError id={scheduleErrorId} message={scheduleError} />
      <p className="gp-field__hint">
        {kind === 'before_target'
          ? targetDate
            ? `Counts back from the goal’s target date, ${formatWallDate(targetDate)}. `
            : 'Counts back from the goal’s target date. '
          : kind === 'weekly'
            ? 'Repeats on the weekday of the first date. '
            : kind === 'monthly'
              ? 'Repeats on the day of the month of the first date (the 31st means the last day of shorter months). '
              : ''}
        Times are in {timeZone ?? 'your time zone'}; change it under <Link to="/account#notifications">Account</Link>.
      </p>
      <fieldset className="gp-radios">
        <legend>Remind</legend>
        <label className="gp-radio">
          <input type="radio" name={audienceName} checked={audience === 'self'} onChange={() => setAudience('self')} />
          <span>Only me</span>
        </label>
        <label className="gp-radio">
          <input
            type="radio"
            name={audienceName}
            checked={audience === 'collaborators'}
            disabled={!canRemindCollaborators && audience !== 'collaborators'}
            onChange={() => setAudience('collaborators')}
          />
          <span>
            Everyone working on this {word}
            <span className="gp-radio__hint">
              {canRemindCollaborators
                ? `The owner, the owner’s supervisor and everyone the ${word} is shared with.`
                : `Needs comment rights on the ${word}.`}
            </span>
          </span>
        </label>
        <FieldError message={problem?.fieldErrors.audience} />
      </fieldset>
    </FormDialog>
  );
}
