import { describe, expect, it } from 'vitest';
import { deliveryNotice, formatDateTime, linkState, mailStatus, plural, userStatus } from './format.ts';

describe('plural', () => {
  it('counts with the right noun', () => {
    expect(plural(1, 'user')).toBe('1 user');
    expect(plural(0, 'user')).toBe('0 users');
    expect(plural(12_000, 'row')).toBe('12,000 rows');
  });
});

describe('labels', () => {
  it('names statuses for people, mails and links', () => {
    expect(['active', 'invited', 'locked', 'deactivated'].map((s) => userStatus(s).label)).toEqual([
      'Active',
      'Invited',
      'Locked',
      'Deactivated',
    ]);
    expect(mailStatus('captured')).toEqual({ label: 'Captured', tone: 'info' });
    expect(mailStatus('failed').tone).toBe('danger');
    expect(['live', 'used', 'superseded', 'expired'].map((s) => [linkState(s).label, linkState(s).works])).toEqual([
      ['Link works', true],
      ['Link used', false],
      ['Link replaced', false],
      ['Link expired', false],
    ]);
  });

  it('says a mail was sent only when a mail server took it', () => {
    expect(deliveryNotice('queued', 'Invite', 'ada@example.com')).toBe('Invite sent to ada@example.com.');
    expect(deliveryNotice('captured', 'Invite', 'ada@example.com')).toBe(
      'Invite created for ada@example.com; no mail server is configured, so hand the link over yourself.',
    );
  });
});

describe('formatDateTime', () => {
  it('formats ISO strings and falls back for none', () => {
    expect(formatDateTime(null, 'Never')).toBe('Never');
    expect(formatDateTime('2026-03-03T14:05:00.000Z')).toMatch(/2026/);
    expect(formatDateTime('not a date')).toBe('not a date');
  });
});
