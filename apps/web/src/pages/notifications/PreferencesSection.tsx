import { Alert, Loading, Notice } from '@goalpost/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { errorMessage } from '../../lib/errors.ts';
import { type NotificationPreferences, useTRPC } from '../../trpc.ts';

type Family = NotificationPreferences['families'][number];
type Email = Family['email'];

export const FAMILY_LABELS: Record<Family['family'], string> = {
  workflow: 'Approvals (submitted, approved, sent back, reminders)',
  mentions: 'Mentions of you in comments',
  comments: 'Comments on threads you take part in',
  messages: 'Messages sent to you',
  sharing: 'Goals and budgets shared with you',
  imports: 'Imports you started',
  reminders: 'Your reminders',
};

const EMAIL_OPTIONS: { value: Email; label: string }[] = [
  { value: 'instant', label: 'At once' },
  { value: 'digest', label: 'Daily summary' },
  { value: 'off', label: 'Off' },
];

function timeZones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return all.includes(current) ? all : [current, ...all];
}

/** Account → Notifications: the time zone reminders and digests use, and channels per family. */
export function PreferencesSection() {
  const trpc = useTRPC();
  const prefs = useQuery(trpc.notifications.preferences.queryOptions());
  return (
    <section className="gp-panel" id="notifications" aria-labelledby="notification-settings">
      <h2 id="notification-settings">Notifications</h2>
      {prefs.isPending ? (
        <Loading />
      ) : prefs.isError ? (
        <Alert>{errorMessage(prefs.error)}</Alert>
      ) : (
        <PreferencesForm initial={prefs.data} />
      )}
    </section>
  );
}

function PreferencesForm({ initial }: { initial: NotificationPreferences }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const zoneId = useId();
  const [timeZone, setTimeZone] = useState(initial.timeZone);
  const [families, setFamilies] = useState(initial.families);
  const save = useMutation(
    trpc.notifications.setPreferences.mutationOptions({
      onSuccess: (data) => queryClient.setQueryData(trpc.notifications.preferences.queryKey(), data),
    }),
  );
  const set = (family: Family['family'], change: Partial<Pick<Family, 'inApp' | 'email'>>) =>
    setFamilies((list) => list.map((f) => (f.family === family ? { ...f, ...change } : f)));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({
      timeZone,
      families: families.map(({ family, inApp, email }) => ({ family, inApp, email })),
    });
  };
  return (
    <form className="gp-form" onSubmit={onSubmit} aria-labelledby="notification-settings">
      {save.isSuccess ? <Notice>Your notification settings are saved.</Notice> : null}
      <Alert>{save.isError ? errorMessage(save.error) : null}</Alert>
      <div className="gp-field gp-field--narrow">
        <label htmlFor={zoneId}>Time zone</label>
        <select id={zoneId} value={timeZone} onChange={(e) => setTimeZone(e.target.value)}>
          {timeZones(initial.timeZone).map((z) => (
            <option key={z} value={z}>
              {z.replaceAll('_', ' ')}
            </option>
          ))}
        </select>
        <p className="gp-muted">
          Reminders fire and the daily summary arrives ({String(initial.digestHour).padStart(2, '0')}:00) by this clock.
        </p>
      </div>
      <table className="gp-channels">
        <caption className="gp-visually-hidden">Where each kind of notification reaches you</caption>
        <thead>
          <tr>
            <th scope="col">Notify me of</th>
            <th scope="col">In the app</th>
            <th scope="col">By mail</th>
          </tr>
        </thead>
        <tbody>
          {families.map((f) => (
            <tr key={f.family}>
              <th scope="row" className="gp-channels__family">
                {FAMILY_LABELS[f.family]}
              </th>
              <td>
                <input
                  type="checkbox"
                  aria-label={`${FAMILY_LABELS[f.family]}: in the app`}
                  checked={f.inApp}
                  onChange={(e) => set(f.family, { inApp: e.target.checked })}
                />
              </td>
              <td>
                <select
                  aria-label={`${FAMILY_LABELS[f.family]}: by mail`}
                  value={f.email}
                  onChange={(e) => set(f.family, { email: e.target.value as Email })}
                >
                  {EMAIL_OPTIONS.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="submit" className="gp-button gp-button--primary" disabled={save.isPending}>
        Save notification settings
      </button>
    </form>
  );
}
