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

/** "3 Mar 2026, 14:05" in the viewer's time zone, or the fallback for no date. */
export function formatDateTime(value: Date | string | null | undefined, fallback = '—'): string {
  if (!value) return fallback;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : dateTime.format(date);
}

export const USER_STATUS_LABELS = { invited: 'Invited', active: 'Active', deactivated: 'Deactivated' } as const;

export function userStatusLabel(status: string): string {
  return USER_STATUS_LABELS[status as keyof typeof USER_STATUS_LABELS] ?? status;
}

export function userStatusTone(status: string): BadgeTone {
  if (status === 'active') return 'success';
  if (status === 'invited') return 'info';
  return 'neutral';
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

const MAIL_KINDS: Record<string, string> = {
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

/** One line of a user's history, e.g. "Role Accountant assigned". */
export function describeAudit(action: string, data: unknown): string {
  const d = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const role = typeof d.role === 'string' ? d.role.charAt(0).toUpperCase() + d.role.slice(1) : null;
  switch (action) {
    case 'user.locked':
      return 'Locked after failed sign-ins';
    case 'user.unlocked':
      return d.via === 'cli' ? "Unlocked from the server's command line" : 'Unlocked';
    case 'user.unlocked-by-reset':
      return 'Unlocked by resetting their password';
    case 'user.invited':
      return 'Invited';
    case 'user.bulk-registered':
      return 'Registered by bulk import';
    case 'user.role-assigned':
      return role ? `Role ${role} assigned` : 'Role assigned';
    case 'user.role-removed':
      return role ? `Role ${role} removed` : 'Role removed';
    case 'user.deactivated':
      return 'Deactivated';
    case 'user.reactivated':
      return 'Reactivated';
    case 'user.signed-up':
      return 'Signed up';
    case 'user.invite-accepted':
      return 'Accepted the invite';
    case 'password.reset':
      return 'Reset their password';
    case 'password.reset-link-issued':
      return d.via === 'cli' ? "Reset link issued from the server's command line" : 'Reset link issued';
    case 'password.changed':
      return 'Changed their password';
    default:
      return action;
  }
}
