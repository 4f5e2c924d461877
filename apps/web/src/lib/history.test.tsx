import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../trpc.ts';
import { describeHistory } from './history.ts';

const at = new Date('2026-03-03T10:00:00.000Z');
const entry = (
  action: AuditEntry['action'],
  data: Record<string, unknown> | null,
  actorName: string | null = 'Ada Admin',
) => describeHistory({ action, data, actorName, at });

describe('describeHistory', () => {
  it('reads every kind of history row as a sentence, never as a key', () => {
    expect([
      entry('user.invited', { roles: ['user'], importId: 'x', fileName: 'staff.csv' }),
      entry('user.invited', { roles: ['user'] }),
      entry('user.updated', { name: { from: 'Ada', to: 'Ada King' }, email: { from: 'a@x.io', to: 'b@x.io' } }),
      entry('user.updated', { roles: { from: ['user'], to: ['accountant', 'user'] }, fileName: 'update.csv' }),
      entry('user.role-assigned', { role: 'accountant' }),
      entry('user.role-removed', { role: 'admin' }),
      entry('user.locked', { failures: 5 }, null),
      entry('user.invite-link-copied', null),
      entry('user.invite-link-copied', { importId: 'x', fileName: 'staff.csv' }),
      entry('password.reset-sent', null),
      entry('mail.viewed', { kind: 'password-reset' }),
      entry('user.invite-accepted', null, null),
      entry('user.invite-resent', { mail: 'captured' }),
      entry('something.new' as AuditEntry['action'], null),
    ]).toEqual([
      'Registered by Ada Admin from staff.csv on 3 Mar 2026',
      'Invited by Ada Admin',
      'Name changed from Ada to Ada King and email changed from a@x.io to b@x.io by Ada Admin',
      'Roles set to Accountant, User (were User) by Ada Admin from update.csv',
      'Given the Accountant role by Ada Admin',
      'Admin role removed by Ada Admin',
      'Locked after 5 failed sign-ins',
      'New invite link copied by Ada Admin to hand over',
      'New invite link made by Ada Admin for the list of links from staff.csv',
      'Password reset link sent by Ada Admin',
      'Password reset mail opened in the outbox by Ada Admin',
      'Accepted the invite and set a password',
      'New invite made by Ada Admin, kept in the outbox',
      'Something changed',
    ]);
  });
});

describe('how a lock ended', () => {
  it('tells an admin unlock, the operator’s command line and a reset link apart', () => {
    expect([
      entry('user.unlocked', { wasLocked: true }),
      entry('user.unlocked', { wasLocked: true, via: 'cli' }, null),
      entry('user.unlocked-by-reset', { lockedAt: '2026-03-01T10:00:00.000Z' }, null),
      entry('password.reset-link-issued', { via: 'cli' }, null),
    ]).toEqual([
      'Unlocked by Ada Admin',
      "Unlocked from the server's command line",
      'Unlocked by setting a new password through a reset link',
      "Reset link printed on the server's command line",
    ]);
  });
});
