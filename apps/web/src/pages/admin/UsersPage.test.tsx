import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { adminMe, apiError, fail, renderApp } from '../../test/canned.tsx';
import type { Role, UserDetail, UserRow } from '../../trpc.ts';

type UserFixture = UserRow;

const ada: UserFixture = {
  id: '10000000-0000-4000-8000-000000000001',
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  status: 'active',
  locked: true,
  lockedAt: new Date('2026-03-01T10:00:00.000Z'),
  failedLoginCount: 5,
  roles: ['accountant', 'user'],
  lastLoginAt: new Date('2026-02-27T09:30:00.000Z'),
  createdAt: new Date('2026-01-01T00:00:00.000Z'),
};
const grace: UserFixture = {
  ...ada,
  id: '10000000-0000-4000-8000-000000000002',
  email: 'grace@example.com',
  name: 'Grace Hopper',
  status: 'invited',
  locked: false,
  lockedAt: null,
  failedLoginCount: 0,
  roles: ['user'],
  lastLoginAt: null,
};
const detail = (u: UserFixture, roles: Role[] = u.roles): UserDetail => ({
  ...u,
  roles,
  supervisor: null,
  accountants: [],
  audit: [
    {
      id: 1 as UserDetail['audit'][number]['id'],
      action: 'user.role-assigned',
      at: new Date('2026-02-01T08:00:00.000Z'),
      actorName: 'Ada Admin',
      data: { role: 'accountant' },
    },
  ],
});

type ListInput = { search?: string; status?: string; role?: string; page?: number; pageSize?: number };

function listOf(all: UserFixture[]) {
  return (input: ListInput) => {
    const items = all.filter((u) => !input.search || u.name.toLowerCase().includes(input.search.toLowerCase()));
    return { items, total: items.length === 0 ? 0 : 60, page: input.page ?? 1, pageSize: input.pageSize ?? 25 };
  };
}

describe('/admin/users', () => {
  it('lists users with their roles, status, lock and last sign-in, and pages', async () => {
    const app = renderApp('/admin/users', { 'auth.me': adminMe, 'users.list': listOf([ada, grace]) });
    const table = await screen.findByRole('table', { name: 'Users' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Name', 'Email', 'Roles', 'Status', 'Last sign-in']);
    const adaRow = await within(table).findByRole('row', { name: /ada@example.com/ });
    expect(adaRow.textContent).toContain('Accountant, User');
    expect(adaRow.textContent).toContain('Active');
    expect(adaRow.textContent).toContain('Locked');
    const graceRow = within(table).getByRole('row', { name: /grace@example.com/ });
    expect(graceRow.textContent).toContain('Invited');
    expect(graceRow.textContent).toContain('Never');
    expect(graceRow.textContent).not.toContain('Locked');
    expect(screen.getByText('Page 1 of 3')).toBeTruthy();
    expect(screen.getByText('60 users')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(app.callsTo('users.list').at(-1)?.input).toMatchObject({ page: 2, pageSize: 25 }));
    expect(await screen.findByText('Page 2 of 3')).toBeTruthy();
  });

  it('searches after typing stops, filters by role and status, and says when nothing matches', async () => {
    const app = renderApp('/admin/users', { 'auth.me': adminMe, 'users.list': listOf([ada, grace]) });
    await screen.findByRole('table', { name: 'Users' });
    await userEvent.type(screen.getByLabelText('Search users'), 'zzz');
    expect(await screen.findByText('No users match.', {}, { timeout: 2000 })).toBeTruthy();
    const searches = app.callsTo('users.list').map((c) => (c.input as ListInput).search);
    expect(searches).not.toContain('z');
    expect(searches).toContain('zzz');
    await userEvent.selectOptions(screen.getByLabelText('Role'), 'Supervisor');
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'Locked');
    await waitFor(() =>
      expect(app.callsTo('users.list').at(-1)?.input).toEqual({
        search: 'zzz',
        role: 'supervisor',
        status: 'locked',
        page: 1,
        pageSize: 25,
      }),
    );
  });

  it('opens a user in the side panel and changes roles, unlocks and deactivates', async () => {
    const app = renderApp('/admin/users', {
      'auth.me': adminMe,
      'users.list': listOf([ada, grace]),
      'users.get': detail(ada),
      'users.assignRole': (input) => detail(ada, [...ada.roles, input.role].sort()),
      'users.unlock': { ...detail(ada), locked: false, lockedAt: null, failedLoginCount: 0 },
      'users.deactivate': fail('CONFLICT', 'At least one active admin must remain. Make someone else an admin first.'),
    });
    await userEvent.click(await screen.findByRole('cell', { name: 'ada@example.com' }));
    const panel = await screen.findByRole('complementary', { name: 'Ada Lovelace' });
    const p = within(panel);
    expect((p.getByRole('checkbox', { name: 'Accountant' }) as HTMLInputElement).checked).toBe(true);
    expect((p.getByRole('checkbox', { name: 'Admin' }) as HTMLInputElement).checked).toBe(false);
    expect(p.getByText('Role Accountant assigned')).toBeTruthy();
    expect(p.queryByRole('button', { name: 'Resend invite' })).toBeNull();

    await userEvent.click(p.getByRole('checkbox', { name: 'Supervisor' }));
    await waitFor(() =>
      expect((p.getByRole('checkbox', { name: 'Supervisor' }) as HTMLInputElement).checked).toBe(true),
    );
    expect(app.callsTo('users.assignRole')[0]?.input).toEqual({ userId: ada.id, role: 'supervisor' });

    const unlock = p.getByRole('button', { name: 'Unlock' }) as HTMLButtonElement;
    expect(unlock.disabled).toBe(false);
    await userEvent.click(unlock);
    await waitFor(() => expect((p.getByRole('button', { name: 'Unlock' }) as HTMLButtonElement).disabled).toBe(true));

    await userEvent.click(p.getByRole('button', { name: 'Deactivate' }));
    expect((await p.findByRole('alert')).textContent).toBe(
      'At least one active admin must remain. Make someone else an admin first.',
    );
  });

  it('shows a role change at once and takes it back when the server refuses', async () => {
    let release: () => void = () => {};
    const app = renderApp('/admin/users', {
      'auth.me': adminMe,
      'users.list': listOf([ada]),
      'users.get': detail(ada),
      'users.removeRole': () =>
        new Promise((_resolve, reject) => {
          release = () =>
            reject(apiError('CONFLICT', 'At least one active admin must remain. Make someone else an admin first.'));
        }),
    });
    await userEvent.click(await screen.findByRole('cell', { name: 'ada@example.com' }));
    const panel = await screen.findByRole('complementary', { name: 'Ada Lovelace' });
    const accountant = within(panel).getByRole('checkbox', { name: 'Accountant' }) as HTMLInputElement;
    await userEvent.click(accountant);
    expect(accountant.checked).toBe(false);
    await waitFor(() => expect(app.callsTo('users.removeRole')).toHaveLength(1));
    release();
    expect((await within(panel).findByRole('alert')).textContent).toMatch(/At least one active admin must remain/);
    expect((within(panel).getByRole('checkbox', { name: 'Accountant' }) as HTMLInputElement).checked).toBe(true);
  });

  it('offers to resend an invite only to invited users', async () => {
    const app = renderApp('/admin/users', {
      'auth.me': adminMe,
      'users.list': listOf([ada, grace]),
      'users.get': detail(grace),
      'users.resendInvite': { ok: true },
    });
    await userEvent.click(await screen.findByRole('cell', { name: 'grace@example.com' }));
    const panel = await screen.findByRole('complementary', { name: 'Grace Hopper' });
    expect((within(panel).getByRole('button', { name: 'Unlock' }) as HTMLButtonElement).disabled).toBe(true);
    await userEvent.click(within(panel).getByRole('button', { name: 'Resend invite' }));
    expect((await within(panel).findByRole('status')).textContent).toMatch(/new invite was sent to grace@example.com/);
    expect(app.callsTo('users.resendInvite')[0]?.input).toEqual({ userId: grace.id });
  });

  it('invites a new user from the dialog, with field errors beside the fields', async () => {
    let attempts = 0;
    const app = renderApp('/admin/users', {
      'auth.me': adminMe,
      'users.list': listOf([ada]),
      'users.get': detail(grace),
      'users.create': (input: { email: string }) => {
        attempts++;
        if (attempts === 1)
          throw fail('CONFLICT', 'email: A user with this email already exists. Search for them in the list.')();
        return { ...grace, email: input.email };
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'New user' }));
    const dialog = screen.getByRole('dialog', { name: 'New user' });
    const d = within(dialog);
    await userEvent.type(d.getByLabelText('Email'), 'grace@example.com');
    await userEvent.type(d.getByLabelText('Name'), 'Grace Hopper');
    expect((d.getByRole('checkbox', { name: 'User' }) as HTMLInputElement).checked).toBe(true);
    await userEvent.click(d.getByRole('checkbox', { name: 'Supervisor' }));
    await userEvent.click(d.getByRole('button', { name: 'Send invite' }));
    const problem = await d.findByRole('alert');
    expect(problem.textContent).toBe('A user with this email already exists. Search for them in the list.');
    expect(d.getByLabelText('Email').getAttribute('aria-invalid')).toBe('true');

    await userEvent.click(d.getByRole('button', { name: 'Send invite' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(app.callsTo('users.create').at(-1)?.input).toEqual({
      email: 'grace@example.com',
      name: 'Grace Hopper',
      roles: ['user', 'supervisor'],
    });
    expect((await screen.findByText('Invite sent to grace@example.com.')).getAttribute('role')).toBe('status');
  });

  it('tells a non-admin they may not open the page', async () => {
    renderApp('/admin/users', { 'auth.me': { ...adminMe, roles: ['accountant'] } });
    expect((await screen.findByRole('alert')).textContent).toMatch(/do not have permission/);
  });
});
