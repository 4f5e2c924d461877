/**
 * Admins set who supervises whom and which accountants look after a user: the relations the
 * approval workflow stands on. Each needs the role it is for (the policy counts it only then), and
 * nobody supervises or keeps the accounts of themselves. Each change is audited once.
 */
import { failure, startTestApp, type TestApp, type TestClient } from '@goalpost/testing';
import { person } from '@goalpost/testing/cast';
import { afterAll, beforeAll, expect, it } from 'vitest';

let t: TestApp;
let admin: TestClient;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_LOGIN_PER_IP: '10000', RATE_LIMIT_LOGIN_PER_ACCOUNT: '10000' });
  admin = await t.admin();
});
afterAll(() => t?.close());

it('sets a supervisor and assigns accountants, each needing its role, and audits each change once', async () => {
  const user = await person(t, 'una@relations.test', 'Una User');
  const boss = await person(t, 'sid@relations.test', 'Sid Supervisor', ['user', 'supervisor']);
  const books = await person(t, 'ann@relations.test', 'Ann Accountant', ['user', 'accountant']);
  const plain = await person(t, 'pat@relations.test', 'Pat Plain');
  const users = admin.trpc.users;
  const refused = {
    notASupervisor: await failure(users.setSupervisor.mutate({ userId: user.id, supervisorId: plain.id })),
    self: await failure(users.setSupervisor.mutate({ userId: boss.id, supervisorId: boss.id })),
    notAnAccountant: await failure(users.assignAccountant.mutate({ userId: user.id, accountantId: plain.id })),
    ownAccountant: await failure(users.assignAccountant.mutate({ userId: books.id, accountantId: books.id })),
    nonAdmin: await failure(user.tab.trpc.users.setSupervisor.mutate({ userId: user.id, supervisorId: null })),
  };
  await users.setSupervisor.mutate({ userId: user.id, supervisorId: boss.id });
  await users.setSupervisor.mutate({ userId: user.id, supervisorId: boss.id });
  await users.assignAccountant.mutate({ userId: user.id, accountantId: books.id });
  const assigned = await users.assignAccountant.mutate({ userId: user.id, accountantId: books.id });
  const cleared = await users.unassignAccountant.mutate({ userId: user.id, accountantId: books.id });
  const unsupervised = await users.setSupervisor.mutate({ userId: user.id, supervisorId: null });
  expect({
    refused,
    assigned: [assigned.supervisor, assigned.accountants],
    cleared: cleared.accountants,
    unsupervised: unsupervised.supervisor,
    audit: unsupervised.audit
      .filter((a) => a.action.startsWith('user.supervisor') || a.action.startsWith('user.accountant'))
      .map((a) => [a.action, a.data])
      .reverse(),
  }).toEqual({
    refused: {
      notASupervisor: {
        code: 'BAD_REQUEST',
        message: 'supervisorId: Pat Plain does not have the supervisor role. Give them the role first.',
      },
      self: { code: 'BAD_REQUEST', message: 'supervisorId: Nobody supervises themselves.' },
      notAnAccountant: {
        code: 'BAD_REQUEST',
        message: 'accountantId: Pat Plain does not have the accountant role. Give them the role first.',
      },
      ownAccountant: { code: 'BAD_REQUEST', message: 'accountantId: Nobody is their own accountant.' },
      nonAdmin: { code: 'FORBIDDEN', message: 'You do not have permission to manage users.' },
    },
    assigned: [
      { id: boss.id, name: 'Sid Supervisor', email: 'sid@relations.test' },
      [{ id: books.id, name: 'Ann Accountant', email: 'ann@relations.test' }],
    ],
    cleared: [],
    unsupervised: null,
    audit: [
      // Names are kept with the ids, so the history reads as sentences even after someone leaves.
      ['user.supervisor-set', { from: null, to: boss.id, toName: 'Sid Supervisor' }],
      ['user.accountant-assigned', { accountantId: books.id, accountantName: 'Ann Accountant' }],
      ['user.accountant-unassigned', { accountantId: books.id, accountantName: 'Ann Accountant' }],
      ['user.supervisor-set', { from: boss.id, to: null, toName: null }],
    ],
  });
});
