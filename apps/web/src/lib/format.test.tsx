import { describe, expect, it } from 'vitest';
import { describeAudit, formatDateTime, mailKindLabel, mailStatus, plural, userStatusLabel } from './format.ts';

describe('plural', () => {
  it('counts with the right noun', () => {
    expect(plural(1, 'user')).toBe('1 user');
    expect(plural(0, 'user')).toBe('0 users');
    expect(plural(12_000, 'row')).toBe('12,000 rows');
  });
});

describe('labels', () => {
  it('names statuses for people', () => {
    expect(userStatusLabel('active')).toBe('Active');
    expect(userStatusLabel('invited')).toBe('Invited');
    expect(userStatusLabel('deactivated')).toBe('Deactivated');
    expect(mailStatus('captured')).toEqual({ label: 'Captured', tone: 'info' });
    expect(mailStatus('failed').tone).toBe('danger');
  });

  it('describes audit events, with their role', () => {
    expect(describeAudit('user.role-assigned', { role: 'accountant' })).toBe('Role Accountant assigned');
    expect(describeAudit('user.role-removed', null)).toBe('Role removed');
    expect(describeAudit('user.locked', { failures: 5 })).toBe('Locked after failed sign-ins');
    expect(describeAudit('something.new', null)).toBe('something.new');
  });

  it('tells how a lock ended, and what the operator did from the command line', () => {
    expect({
      byAdmin: describeAudit('user.unlocked', { wasLocked: true }),
      byOperator: describeAudit('user.unlocked', { wasLocked: true, via: 'cli' }),
      byReset: describeAudit('user.unlocked-by-reset', { lockedAt: '2026-03-01T10:00:00.000Z' }),
      link: describeAudit('password.reset-link-issued', { via: 'cli' }),
      notice: mailKindLabel('account-unlocked'),
    }).toEqual({
      byAdmin: 'Unlocked',
      byOperator: "Unlocked from the server's command line",
      byReset: 'Unlocked by resetting their password',
      link: "Reset link issued from the server's command line",
      notice: 'Account unlocked',
    });
  });
});

describe('formatDateTime', () => {
  it('formats ISO strings and falls back for none', () => {
    expect(formatDateTime(null, 'Never')).toBe('Never');
    expect(formatDateTime('2026-03-03T14:05:00.000Z')).toMatch(/2026/);
    expect(formatDateTime('not a date')).toBe('not a date');
  });
});
