import type { BadgeTone } from '@goalpost/ui';

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

const dateTime = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

const dateOnly = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'short', day: 'numeric' });

/** "3 Mar 2026" in the viewer's time zone. */
export function formatDate(value: Date | string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : dateOnly.format(date);
}

/** "3 Mar 2026, 14:05" in the viewer's time zone, or the fallback for no date. */
export function formatDateTime(value: Date | string | null | undefined, fallback = '—'): string {
  if (!value) return fallback;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : dateTime.format(date);
}

const relative = new Intl.RelativeTimeFormat('en-GB', { numeric: 'auto' });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "3 days ago", "yesterday", "just now": how long ago, in the largest whole unit. */
export function formatAgo(value: Date, now: Date = new Date()): string {
  const seconds = Math.round((now.getTime() - value.getTime()) / 1000);
  if (Math.abs(seconds) < 60) return 'just now';
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(-Math.trunc(seconds / size), unit);
  }
  return 'just now';
}

/** The one status a person shows: deactivated wins, then locked, then invited or active (the server decides). */
const USER_STATUS: Record<string, { label: string; tone: BadgeTone }> = {
  active: { label: 'Active', tone: 'success' },
  invited: { label: 'Invited', tone: 'info' },
  locked: { label: 'Locked', tone: 'danger' },
  deactivated: { label: 'Deactivated', tone: 'neutral' },
};

export function userStatus(status: string): { label: string; tone: BadgeTone } {
  return USER_STATUS[status] ?? { label: status, tone: 'neutral' };
}

const MAIL_STATUS: Record<string, { label: string; tone: BadgeTone }> = {
  captured: { label: 'Captured', tone: 'info' },
  queued: { label: 'Queued', tone: 'neutral' },
  sending: { label: 'Sending', tone: 'neutral' },
  sent: { label: 'Sent', tone: 'success' },
  failed: { label: 'Failed', tone: 'danger' },
};

export function mailStatus(status: string): { label: string; tone: BadgeTone } {
  return MAIL_STATUS[status] ?? { label: status, tone: 'neutral' };
}

export const MAIL_KINDS: Record<string, string> = {
  invite: 'Invite',
  'password-reset': 'Password reset',
  'account-unlocked': 'Account unlocked',
};

export function mailKindLabel(kind: string): string {
  return MAIL_KINDS[kind] ?? kind;
}

const IMPORT_STATES: Record<string, string> = {
  validated: 'Checked',
  queued: 'Queued',
  running: 'Running',
  done: 'Done',
  failed: 'Failed',
};

export function importStateLabel(status: string): string {
  return IMPORT_STATES[status] ?? status;
}

/** What became of the single-use link a mail carries (see the outbox). */
const LINK_STATES: Record<string, { label: string; tone: BadgeTone; works: boolean }> = {
  live: { label: 'Link works', tone: 'success', works: true },
  used: { label: 'Link used', tone: 'neutral', works: false },
  superseded: { label: 'Link replaced', tone: 'neutral', works: false },
  expired: { label: 'Link expired', tone: 'warning', works: false },
};

export function linkState(state: string): { label: string; tone: BadgeTone; works: boolean } {
  return LINK_STATES[state] ?? { label: state, tone: 'neutral', works: false };
}

/**
 * What happened to a mail just written, in words that do not claim a mail was sent when it was
 * only captured: `what` is the thing created ("Invite", "Password reset link").
 */
export function deliveryNotice(mail: 'queued' | 'captured', what: string, email: string): string {
  return mail === 'queued'
    ? `${what} sent to ${email}.`
    : `${what} created for ${email}; no mail server is configured, so hand the link over yourself.`;
}
