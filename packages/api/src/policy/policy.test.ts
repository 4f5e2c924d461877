import { ROLE_KEYS, type RoleKey } from '@goalpost/db';
import { expect, it } from 'vitest';
import { actions, can } from './index.ts';

it('decides every action for every role, nobody and several roles at once', () => {
  const matrix = Object.fromEntries(
    actions.map((action) => [
      action,
      Object.fromEntries([
        ...ROLE_KEYS.map((role) => [role, can({ roles: [role] }, action)]),
        ['nobody', can(null, action)],
        ['no roles', can({ roles: [] }, action)],
        ['accountant+admin', can({ roles: ['accountant', 'admin'] as RoleKey[] }, action)],
      ]),
    ]),
  );
  const adminOnly = {
    admin: true,
    user: false,
    accountant: false,
    supervisor: false,
    nobody: false,
    'no roles': false,
    'accountant+admin': true,
  };
  expect(matrix).toEqual({
    'manage-users': adminOnly,
    'read-mail-outbox': adminOnly,
    'read-audit-log': adminOnly,
    'review-access': adminOnly,
    'delegate-for-others': adminOnly,
    'manage-dead-letters': adminOnly,
    'manage-api-tokens': adminOnly,
  });
});
