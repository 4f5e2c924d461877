/**
 * A person's history in sentences: one entry per kind of audit row the server writes. The map is
 * keyed by the server's own list of actions, so a new action without a sentence fails the type
 * check instead of showing a raw key like `mail.viewed`.
 */
import { ROLE_LABELS, type RoleKey } from '@goalpost/db/roles';
import type { AuditEntry } from '../trpc.ts';
import { formatDate, MAIL_KINDS } from './format.ts';

type Entry = Pick<AuditEntry, 'action' | 'data' | 'actorName' | 'at'>;
type Data = Record<string, unknown>;

const by = (e: Entry) => (e.actorName ? ` by ${e.actorName}` : '');
const text = (d: Data, key: string) => (typeof d[key] === 'string' ? (d[key] as string) : null);
const role = (key: unknown) => ROLE_LABELS[key as RoleKey] ?? String(key);
const roles = (keys: unknown) => (Array.isArray(keys) && keys.length ? keys.map(role).join(', ') : 'no roles');
const change = (d: Data, key: string) => d[key] as { from: unknown; to: unknown } | undefined;

/** "Name changed from Ada Lovelace to Ada King and roles set to Accountant, Supervisor". */
function describeChanges(d: Data): string {
  const parts: string[] = [];
  const name = change(d, 'name');
  const email = change(d, 'email');
  const newRoles = change(d, 'roles');
  if (name) parts.push(`name changed from ${name.from} to ${name.to}`);
  if (email) parts.push(`email changed from ${email.from} to ${email.to}`);
  if (newRoles) parts.push(`roles set to ${roles(newRoles.to)} (were ${roles(newRoles.from)})`);
  const sentence = parts.join(' and ') || 'details changed';
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

const SENTENCES: Record<AuditEntry['action'], (e: Entry, d: Data) => string> = {
  'user.locked': (_e, d) =>
    typeof d.failures === 'number' ? `Locked after ${d.failures} failed sign-ins` : 'Locked after failed sign-ins',
  'user.unlocked': (e, d) => (d.via === 'cli' ? "Unlocked from the server's command line" : `Unlocked${by(e)}`),
  'user.unlocked-by-reset': () => 'Unlocked by setting a new password through a reset link',
  'user.invited': (e, d) => {
    const file = text(d, 'fileName');
    return file ? `Registered${by(e)} from ${file} on ${formatDate(e.at)}` : `Invited${by(e)}`;
  },
  'user.bulk-registered': (e, d) =>
    `${typeof d.count === 'number' ? d.count.toLocaleString('en-US') : 'Several'} people registered${by(e)} from ${text(d, 'fileName') ?? 'a file'}`,
  'user.updated': (e, d) => {
    const file = text(d, 'fileName');
    return `${describeChanges(d)}${by(e)}${file ? ` from ${file}` : ''}`;
  },
  'user.role-assigned': (e, d) => `Given the ${role(d.role)} role${by(e)}`,
  'user.role-removed': (e, d) => `${role(d.role)} role removed${by(e)}`,
  'user.deactivated': (e) => `Deactivated${by(e)}`,
  'user.reactivated': (e) => `Reactivated${by(e)}`,
  'user.supervisor-set': (e, d) =>
    text(d, 'toName') ? `Supervisor set to ${text(d, 'toName')}${by(e)}` : `Supervisor removed${by(e)}`,
  'user.accountant-assigned': (e, d) =>
    `${text(d, 'accountantName') ?? 'An accountant'} assigned as accountant${by(e)}`,
  'user.accountant-unassigned': (e, d) =>
    `${text(d, 'accountantName') ?? 'An accountant'} no longer their accountant${by(e)}`,
  'user.signed-up': () => 'Signed up',
  'user.invite-accepted': () => 'Accepted the invite and set a password',
  'user.invite-resent': (e, d) =>
    d.mail === 'captured' ? `New invite made${by(e)}, kept in the outbox` : `New invite sent${by(e)}`,
  'user.invite-link-copied': (e, d) => {
    const file = text(d, 'fileName');
    return file
      ? `New invite link made${by(e)} for the list of links from ${file}`
      : `New invite link copied${by(e)} to hand over`;
  },
  'password.reset': () => 'Set a new password with a reset link',
  'password.reset-requested': () => 'Asked for a password reset link',
  'password.reset-sent': (e) => `Password reset link sent${by(e)}`,
  'password.reset-link-issued': (_e, d) =>
    d.via === 'cli' ? "Reset link printed on the server's command line" : 'Reset link issued',
  'password.changed': () => 'Changed their password',
  'token.created': (e, d) =>
    `API token "${text(d, 'name') ?? ''}" created${by(e)} (${text(d, 'scope') ?? 'read'} access)`,
  'token.revoked': (e, d) => `API token "${text(d, 'name') ?? ''}" revoked${by(e)}`,
  'api.write': (_e, d) => `Changed data through the REST API (${text(d, 'method') ?? ''} ${text(d, 'path') ?? ''})`,
  'mail.viewed': (e, d) => `${MAIL_KINDS[text(d, 'kind') ?? ''] ?? 'A'} mail opened in the outbox${by(e)}`,
};

export function describeHistory(entry: Entry): string {
  const data = entry.data && typeof entry.data === 'object' ? entry.data : {};
  const sentence = SENTENCES[entry.action];
  // An action newer than this page (a server deployed first) still reads as words, never as a key.
  return sentence ? sentence(entry, data) : 'Something changed';
}
