import { ROLE_KEYS } from '@goalpost/db';
import { expect, it } from 'vitest';
import { allows, OBJECT_ACTIONS } from './objects.ts';

it('decides every object action for the owner, each role, and several roles at once', () => {
  const facts = { ownerId: 'owner' };
  const actors = {
    owner: { id: 'owner', roles: ['user'] as const },
    ...Object.fromEntries(ROLE_KEYS.map((role) => [role, { id: `a ${role}`, roles: [role] }])),
    'accountant+admin': { id: 'both', roles: ['accountant', 'admin'] as const },
  };
  const matrix = Object.fromEntries(
    Object.entries(actors).map(([name, actor]) => [
      name,
      Object.fromEntries(OBJECT_ACTIONS.map((action) => [action, allows(actor, action, facts)])),
    ]),
  );
  const none = { read: false, comment: false, edit: false, manage: false };
  const admin = { read: true, comment: false, edit: true, manage: true };
  expect(matrix).toEqual({
    owner: { read: true, comment: true, edit: true, manage: true },
    admin,
    user: none,
    accountant: none,
    supervisor: none,
    'accountant+admin': admin,
  });
});
