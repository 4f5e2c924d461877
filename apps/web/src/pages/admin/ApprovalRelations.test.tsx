/**
 * Who approves a person's budgets, in the users panel, against canned answers: the supervisor is
 * picked among the people holding the role and the server's refusal is shown beside the picker;
 * accountants are added and removed; an administrator hands the person's approvals to a colleague
 * for a period.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { adminMe, apiError, renderApp } from '../../test/canned.tsx';
import { arun, olga, sofia } from '../../test/review-fixtures.ts';
import type { UserDetail, UserRow } from '../../trpc.ts';

const row = (p: { id: string; name: string; email: string }, roles: UserRow['roles']): UserRow => ({
  ...p,
  status: 'active',
  displayStatus: 'active',
  locked: false,
  lockedAt: null,
  failedLoginCount: 0,
  roles,
  lastLoginAt: null,
  createdAt: new Date('2027-01-01T09:00:00.000Z'),
});

describe('approvals in the users panel', () => {
  it('sets a supervisor among the role’s holders, shows a refusal, adds and removes accountants, and delegates', async () => {
    let person: UserDetail = {
      ...row(olga, ['user']),
      inviteExpiresAt: null,
      supervisor: null,
      accountants: [],
      audit: [],
    };
    let refuse = true;
    const app = renderApp(`/admin/users/${olga.id}`, {
      'auth.me': adminMe,
      'users.list': (input) => ({
        items:
          input.role === 'supervisor'
            ? [row(sofia, ['user', 'supervisor'])]
            : input.role === 'accountant'
              ? [row(arun, ['user', 'accountant'])]
              : [row(olga, ['user'])],
        total: 1,
        page: 1,
        pageSize: input.pageSize ?? 25,
      }),
      'users.get': () => person,
      'users.setSupervisor': (input) => {
        if (refuse) {
          refuse = false;
          throw apiError(
            'BAD_REQUEST',
            'supervisorId: Sofia Supervisor does not have the supervisor role. Give them the role first.',
          );
        }
        person = { ...person, supervisor: input.supervisorId ? sofia : null };
        return person;
      },
      'users.assignAccountant': () => {
        person = { ...person, accountants: [arun] };
        return person;
      },
      'users.unassignAccountant': () => {
        person = { ...person, accountants: [] };
        return person;
      },
      'sharing.searchUsers': [arun],
      'workflow.delegate': (input) => ({
        id: 'b0000000-0000-4000-8000-000000000001',
        approver: { id: olga.id, name: olga.name },
        delegate: { id: arun.id, name: arun.name },
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        createdById: adminMe.id,
        createdAt: new Date(),
        revokedAt: null,
        inForce: true,
      }),
    });
    const panel = await screen.findByRole('complementary', { name: 'Olga Owner' });
    const p = within(panel);
    await userEvent.type(p.getByRole('combobox', { name: 'Set supervisor' }), 'sof');
    await userEvent.click(await p.findByRole('option', { name: /Sofia Supervisor/ }));
    await userEvent.click(p.getByRole('button', { name: 'Make supervisor' }));
    const refusal = (await p.findByText(/does not have the supervisor role/)).textContent;
    await userEvent.click(p.getByRole('button', { name: 'Make supervisor' }));
    await waitFor(() => expect(p.getByRole('button', { name: /Remove Sofia Supervisor as supervisor/ })).toBeTruthy());

    await userEvent.type(p.getByRole('combobox', { name: 'Add accountant' }), 'aru');
    await userEvent.click(await p.findByRole('option', { name: /Arun Accountant/ }));
    await userEvent.click(p.getByRole('button', { name: 'Add' }));
    const accountants = await p.findByRole('list', { name: 'Accountants of Olga Owner' });
    const listed = accountants.textContent;
    await userEvent.click(p.getByRole('button', { name: 'Remove Arun Accountant as accountant' }));
    await p.findByText('No accountant.');

    const delegation = p.getByRole('form', { name: 'Delegate Olga Owner’s approvals' });
    await userEvent.type(within(delegation).getByRole('combobox', { name: 'Colleague who approves instead' }), 'aru');
    await userEvent.click(await within(delegation).findByRole('option', { name: /Arun Accountant/ }));
    fireEvent.change(within(delegation).getByLabelText('From'), { target: { value: '2027-03-01' } });
    fireEvent.change(within(delegation).getByLabelText('Until (last day)'), { target: { value: '2027-03-14' } });
    await userEvent.click(within(delegation).getByRole('button', { name: 'Delegate their approvals' }));
    const notice = (await p.findByText(/approves for Olga Owner/)).textContent;

    expect({
      searched: app
        .callsTo('users.list')
        .map((c) => (c.input as { role?: string }).role)
        .filter(Boolean),
      refusal,
      supervisor: app.callsTo('users.setSupervisor').map((c) => c.input),
      listed,
      accountants: [
        ...app.callsTo('users.assignAccountant').map((c) => c.input),
        ...app.callsTo('users.unassignAccountant').map((c) => c.input),
      ],
      delegated: app.callsTo('workflow.delegate').map((c) => c.input),
      notice,
    }).toEqual({
      searched: ['supervisor', 'accountant'],
      refusal: 'Sofia Supervisor does not have the supervisor role. Give them the role first.',
      supervisor: Array(2).fill({ userId: olga.id, supervisorId: sofia.id }),
      listed: 'Arun Accountant arun@x.testRemove Arun Accountant as accountant',
      accountants: [
        { userId: olga.id, accountantId: arun.id },
        { userId: olga.id, accountantId: arun.id },
      ],
      delegated: [
        {
          delegateId: arun.id,
          startsAt: new Date(2027, 2, 1),
          endsAt: new Date(2027, 2, 14, 23, 59, 59, 999),
          approverId: olga.id,
        },
      ],
      notice: 'Arun Accountant approves for Olga Owner, 1 Mar 2027 – 14 Mar 2027.',
    });
  });
});
