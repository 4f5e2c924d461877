/**
 * The users page against canned answers typed by the router: the list's state in the URL, one
 * status per person, sorting and paging on the server, the person's panel (details, links, history
 * in sentences), risky actions that ask first, and actions on many checked people.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { adminMe, apiError, fail, renderApp } from '../../test/canned.tsx';
import type { Role, UserDetail, UserRow } from '../../trpc.ts';
import { usersCsv } from './UsersPage.tsx';

const ada: UserRow = {
  id: '10000000-0000-4000-8000-000000000001',
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  status: 'active',
  displayStatus: 'locked',
  locked: true,
  lockedAt: new Date('2026-03-01T10:00:00.000Z'),
  failedLoginCount: 5,
  roles: ['accountant', 'user'],
  lastLoginAt: new Date('2026-02-27T09:30:00.000Z'),
  createdAt: new Date('2026-01-01T00:00:00.000Z'),
};
const grace: UserRow = {
  ...ada,
  id: '10000000-0000-4000-8000-000000000002',
  email: 'grace@example.com',
  name: 'Grace Hopper',
  status: 'invited',
  displayStatus: 'invited',
  locked: false,
  lockedAt: null,
  failedLoginCount: 0,
  roles: ['user'],
  lastLoginAt: null,
};
const history: UserDetail['audit'] = [
  {
    id: 3 as UserDetail['audit'][number]['id'],
    action: 'mail.viewed',
    at: new Date('2026-02-03T08:00:00.000Z'),
    actorName: 'Ada Admin',
    data: { mailId: 'x', kind: 'invite', status: 'captured' },
  },
  {
    id: 2 as UserDetail['audit'][number]['id'],
    action: 'user.role-assigned',
    at: new Date('2026-02-02T08:00:00.000Z'),
    actorName: 'Ada Admin',
    data: { role: 'accountant' },
  },
  {
    id: 1 as UserDetail['audit'][number]['id'],
    action: 'user.invited',
    at: new Date('2026-02-01T08:00:00.000Z'),
    actorName: 'Ada Admin',
    data: { roles: ['user'], importId: '20000000-0000-4000-8000-000000000001', fileName: 'staff.csv' },
  },
];
const detail = (u: UserRow, changes: Partial<UserDetail> = {}): UserDetail => ({
  ...u,
  inviteExpiresAt: u.status === 'invited' ? new Date('2026-03-08T08:00:00.000Z') : null,
  supervisor: null,
  accountants: [],
  audit: history,
  ...changes,
});

type ListInput = { search?: string; page?: number; pageSize?: number };

function listOf(all: UserRow[]) {
  return (input: ListInput) => {
    const items = all.filter((u) => !input.search || u.name.toLowerCase().includes(input.search.toLowerCase()));
    return { items, total: items.length === 0 ? 0 : 60, page: input.page ?? 1, pageSize: input.pageSize ?? 25 };
  };
}

describe('/admin/users', () => {
  it('lists people with one status each, and sorts, pages and sizes on the server through the URL', async () => {
    const app = renderApp('/admin/users', { 'auth.me': adminMe, 'users.list': listOf([ada, grace]) });
    const table = await screen.findByRole('table', { name: 'Users' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['', 'Name▲', 'Email↕', 'Roles', 'Status↕', 'Last sign-in↕', 'Created↕']);
    const adaRow = await within(table).findByRole('row', { name: /ada@example.com/ });
    expect(
      within(adaRow)
        .getAllByText(/^(Active|Locked|Invited|Deactivated)$/)
        .map((b) => b.textContent),
    ).toEqual(['Locked']);
    expect(within(table).getByRole('row', { name: /grace@example.com/ }).textContent).toContain('Never');

    await userEvent.click(within(table).getByRole('button', { name: 'Last sign-in' }));
    await waitFor(() => expect(app.location()).toBe('/admin/users?sort=lastLoginAt&dir=desc'));
    expect(
      within(table)
        .getByRole('columnheader', { name: /Last sign-in/ })
        .getAttribute('aria-sort'),
    ).toBe('descending');
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(app.location()).toBe('/admin/users?sort=lastLoginAt&dir=desc&page=2'));
    await userEvent.selectOptions(screen.getByLabelText('Rows per page'), '50');
    await waitFor(() => expect(app.location()).toBe('/admin/users?sort=lastLoginAt&dir=desc&size=50'));
    expect(app.callsTo('users.list').at(-1)?.input).toEqual({
      sort: 'lastLoginAt',
      dir: 'desc',
      page: 1,
      pageSize: 50,
    });
  });

  it('reads the whole list state from a shared link, and keeps it while a person is opened and closed', async () => {
    const search = '?q=ada&role=accountant&status=locked&sort=email&dir=desc&page=2&size=100';
    const app = renderApp(`/admin/users${search}`, {
      'auth.me': adminMe,
      'users.list': listOf([ada]),
      'users.get': detail(ada),
    });
    await userEvent.click(await screen.findByRole('cell', { name: 'ada@example.com' }));
    await waitFor(() => expect(app.location()).toBe(`/admin/users/${ada.id}${search}`));
    await screen.findByRole('complementary', { name: 'Ada Lovelace' });
    expect({
      list: app.callsTo('users.list')[0]?.input,
      search: (screen.getByLabelText('Search users') as HTMLInputElement).value,
      role: (screen.getByLabelText('Role') as HTMLSelectElement).value,
      status: (screen.getByLabelText('Status') as HTMLSelectElement).value,
    }).toEqual({
      list: { search: 'ada', role: 'accountant', status: 'locked', sort: 'email', dir: 'desc', page: 2, pageSize: 100 },
      search: 'ada',
      role: 'accountant',
      status: 'locked',
    });
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(app.location()).toBe(`/admin/users${search}`));
    expect(screen.queryByRole('complementary')).toBeNull();
  });

  it('searches after typing stops, writes the term to the URL and starts again at page 1', async () => {
    const app = renderApp('/admin/users?page=3', { 'auth.me': adminMe, 'users.list': listOf([ada, grace]) });
    await screen.findByRole('table', { name: 'Users' });
    await userEvent.type(screen.getByLabelText('Search users'), 'zzz');
    expect(await screen.findByText('No users match.', {}, { timeout: 2000 })).toBeTruthy();
    const searches = app.callsTo('users.list').map((c) => (c.input as ListInput).search);
    expect(searches).not.toContain('z');
    expect(searches).toContain('zzz');
    expect(app.location()).toBe('/admin/users?q=zzz');
    await userEvent.selectOptions(screen.getByLabelText('Role'), 'Supervisor');
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'Locked');
    await waitFor(() => expect(app.location()).toBe('/admin/users?q=zzz&role=supervisor&status=locked'));
    expect(app.callsTo('users.list').at(-1)?.input).toEqual({
      search: 'zzz',
      role: 'supervisor',
      status: 'locked',
      sort: 'name',
      dir: 'asc',
      page: 1,
      pageSize: 25,
    });
  });

  it('opens a person from their own address, with their history in sentences', async () => {
    renderApp(`/admin/users/${grace.id}`, {
      'auth.me': adminMe,
      'users.list': listOf([ada, grace]),
      'users.get': detail(grace),
    });
    const panel = await screen.findByRole('complementary', { name: 'Grace Hopper' });
    const entries = within(within(panel).getByRole('list', { name: 'History' }))
      .getAllByRole('listitem')
      .map((li) => li.firstElementChild?.textContent);
    expect({
      entries,
      badges: within(panel)
        .getAllByText(/^(Active|Locked|Invited|Deactivated)$/)
        .map((b) => b.textContent),
      invite: within(panel).getByText(/Their invite link works until/).textContent,
    }).toEqual({
      entries: [
        'Invite mail opened in the outbox by Ada Admin',
        'Given the Accountant role by Ada Admin',
        'Registered by Ada Admin from staff.csv on 1 Feb 2026',
      ],
      badges: ['Invited'],
      invite: expect.stringContaining('8 Mar 2026'),
    });
    expect(panel.textContent).not.toMatch(/mail\.viewed|user\.invited|user\.role-assigned/);
  });

  it('changes roles and unlocks at once, but asks before deactivating and before granting admin', async () => {
    const app = renderApp(`/admin/users/${ada.id}`, {
      'auth.me': adminMe,
      'users.list': listOf([ada, grace]),
      'users.get': detail(ada),
      'users.assignRole': (input) => detail(ada, { roles: [...ada.roles, input.role].sort() as Role[] }),
      'users.unlock': detail({ ...ada, locked: false, lockedAt: null, failedLoginCount: 0, displayStatus: 'active' }),
      'users.deactivate': fail('CONFLICT', 'At least one active admin must remain. Make someone else an admin first.'),
    });
    const panel = await screen.findByRole('complementary', { name: 'Ada Lovelace' });
    const p = within(panel);
    await userEvent.click(p.getByRole('checkbox', { name: 'Supervisor' }));
    await waitFor(() => expect(app.callsTo('users.assignRole')).toHaveLength(1));

    await userEvent.click(p.getByRole('checkbox', { name: 'Admin' }));
    const grant = await screen.findByRole('dialog', { name: 'Make Ada Lovelace an admin?' });
    await userEvent.click(within(grant).getByRole('button', { name: 'Cancel' }));
    expect(app.callsTo('users.assignRole')).toHaveLength(1);
    expect((p.getByRole('checkbox', { name: 'Admin' }) as HTMLInputElement).checked).toBe(false);
    await userEvent.click(p.getByRole('checkbox', { name: 'Admin' }));
    await userEvent.click(
      within(await screen.findByRole('dialog', { name: 'Make Ada Lovelace an admin?' })).getByRole('button', {
        name: 'Make admin',
      }),
    );
    await waitFor(() => expect(app.callsTo('users.assignRole')).toHaveLength(2));

    await userEvent.click(p.getByRole('button', { name: 'Unlock' }));
    await waitFor(() => expect(p.queryByRole('button', { name: 'Unlock' })).toBeNull());

    await userEvent.click(p.getByRole('button', { name: 'Deactivate' }));
    const confirm = await screen.findByRole('dialog', { name: 'Deactivate Ada Lovelace?' });
    expect(app.callsTo('users.deactivate')).toHaveLength(0);
    await userEvent.click(within(confirm).getByRole('button', { name: 'Deactivate' }));
    expect((await p.findByRole('alert')).textContent).toBe(
      'At least one active admin must remain. Make someone else an admin first.',
    );
    expect(app.callsTo('users.assignRole').map((c) => c.input)).toEqual([
      { userId: ada.id, role: 'supervisor' },
      { userId: ada.id, role: 'admin' },
    ]);
  });

  it('shows a role change at once and takes it back when the server refuses', async () => {
    let release: () => void = () => {};
    const app = renderApp(`/admin/users/${ada.id}`, {
      'auth.me': adminMe,
      'users.list': listOf([ada]),
      'users.get': detail(ada),
      'users.removeRole': () =>
        new Promise((_resolve, reject) => {
          release = () =>
            reject(apiError('CONFLICT', 'At least one active admin must remain. Make someone else an admin first.'));
        }),
    });
    const panel = await screen.findByRole('complementary', { name: 'Ada Lovelace' });
    const accountant = within(panel).getByRole('checkbox', { name: 'Accountant' }) as HTMLInputElement;
    await userEvent.click(accountant);
    expect(accountant.checked).toBe(false);
    await waitFor(() => expect(app.callsTo('users.removeRole')).toHaveLength(1));
    release();
    expect((await within(panel).findByRole('alert')).textContent).toMatch(/At least one active admin must remain/);
    expect((within(panel).getByRole('checkbox', { name: 'Accountant' }) as HTMLInputElement).checked).toBe(true);
  });

  it('makes a fresh invite link to copy, and resends invites saying no mail server is configured', async () => {
    const url = 'http://localhost:3000/accept-invite?token=abcdefghijklmnopqrstuvwxyz234567';
    const app = renderApp(`/admin/users/${grace.id}`, {
      'auth.me': adminMe,
      'users.list': listOf([ada, grace]),
      'users.get': detail(grace),
      'users.inviteLink': { url, expiresAt: new Date('2026-03-10T12:00:00.000Z') },
      'users.resendInvite': { ok: true, mail: 'captured' },
    });
    const panel = await screen.findByRole('complementary', { name: 'Grace Hopper' });
    const p = within(panel);
    expect(p.queryByRole('button', { name: 'Send password reset' })).toBeNull();
    await userEvent.click(p.getByRole('button', { name: 'Copy invite link' }));
    const shown = (await p.findByLabelText('Invite link for Grace Hopper')) as HTMLInputElement;
    expect(shown.value).toBe(url);
    expect(await navigator.clipboard.readText()).toBe(url);
    expect(p.getByText(/^Copied\. Give it only to Grace Hopper/).textContent).toContain('10 Mar 2026');
    await userEvent.click(p.getByRole('button', { name: 'Resend invite' }));
    expect((await p.findByRole('status', { name: '' })).textContent).toBe(
      'New invite created for grace@example.com; no mail server is configured, so hand the link over yourself. Earlier links no longer work.',
    );
    expect(app.callsTo('users.inviteLink')[0]?.input).toEqual({ userId: grace.id });
  });

  it('sends a password reset to an active person, saying where it went', async () => {
    const active = { ...ada, locked: false, lockedAt: null, displayStatus: 'active' as const };
    renderApp(`/admin/users/${ada.id}`, {
      'auth.me': adminMe,
      'users.list': listOf([ada]),
      'users.get': detail(active),
      'users.sendPasswordReset': { ok: true, mail: 'queued' },
    });
    const panel = await screen.findByRole('complementary', { name: 'Ada Lovelace' });
    expect(within(panel).queryByRole('button', { name: 'Copy invite link' })).toBeNull();
    await userEvent.click(within(panel).getByRole('button', { name: 'Send password reset' }));
    expect((await within(panel).findByText(/Password reset link sent/)).textContent).toBe(
      'Password reset link sent to ada@example.com.',
    );
  });

  it('edits name and email, with a taken email beside its field, and says who got a new invite', async () => {
    let attempts = 0;
    const app = renderApp(`/admin/users/${grace.id}`, {
      'auth.me': adminMe,
      'users.list': listOf([grace]),
      'users.get': detail(grace),
      'users.update': (input) => {
        attempts++;
        if (attempts === 1)
          throw apiError('CONFLICT', 'email: A user with this email already exists. Search for them in the list.');
        return { ...detail(grace), name: input.name, email: input.email, reinvited: 'captured' };
      },
    });
    const panel = await screen.findByRole('complementary', { name: 'Grace Hopper' });
    const p = within(panel);
    await userEvent.click(p.getByRole('button', { name: 'Edit details' }));
    const form = p.getByRole('form', { name: 'Edit details' });
    const email = within(form).getByLabelText('Email');
    await userEvent.clear(email);
    await userEvent.type(email, 'ada@example.com');
    await userEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect((await within(form).findByRole('alert')).textContent).toBe(
      'A user with this email already exists. Search for them in the list.',
    );
    await userEvent.type(email, '{Backspace}');
    expect(within(form).queryByRole('alert')).toBeNull();
    await userEvent.clear(email);
    await userEvent.type(email, 'grace.hopper@example.com');
    await userEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect((await p.findByText(/^Saved\./)).textContent).toBe(
      'Saved. A new invite created for grace.hopper@example.com; no mail server is configured, so hand the link over yourself. Links sent to the old address no longer work.',
    );
    expect(app.callsTo('users.update').at(-1)?.input).toEqual({
      userId: grace.id,
      name: 'Grace Hopper',
      email: 'grace.hopper@example.com',
    });
    expect(await screen.findByRole('complementary', { name: 'Grace Hopper' })).toBeTruthy();
  });

  it('invites a new person, says no mail was sent when none could be, and opens them', async () => {
    let attempts = 0;
    const app = renderApp('/admin/users', {
      'auth.me': adminMe,
      'users.list': listOf([ada]),
      'users.get': detail(grace),
      'users.create': (input) => {
        attempts++;
        if (attempts === 1)
          throw apiError('CONFLICT', 'email: A user with this email already exists. Search for them in the list.');
        return { ...grace, email: input.email, mail: 'captured' };
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'New user' }));
    const d = within(screen.getByRole('dialog', { name: 'New user' }));
    await userEvent.type(d.getByLabelText('Email'), 'grace@example.com');
    await userEvent.type(d.getByLabelText('Name'), 'Grace Hopper');
    expect((d.getByRole('checkbox', { name: 'User' }) as HTMLInputElement).checked).toBe(true);
    await userEvent.click(d.getByRole('checkbox', { name: 'Supervisor' }));
    await userEvent.click(d.getByRole('button', { name: 'Create and invite' }));
    expect((await d.findByRole('alert')).textContent).toBe(
      'A user with this email already exists. Search for them in the list.',
    );
    await userEvent.click(d.getByRole('button', { name: 'Create and invite' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(app.callsTo('users.create').at(-1)?.input).toEqual({
      email: 'grace@example.com',
      name: 'Grace Hopper',
      roles: ['user', 'supervisor'],
    });
    expect(
      await screen.findByText(
        'Invite created for grace@example.com; no mail server is configured, so hand the link over yourself.',
      ),
    ).toBeTruthy();
    await waitFor(() => expect(app.location()).toBe(`/admin/users/${grace.id}`));
    expect(await screen.findByRole('button', { name: 'Copy invite link' })).toBeTruthy();
  });

  it('acts on many checked people in one request, asking before deactivating, and lists who was refused', async () => {
    const app = renderApp('/admin/users', {
      'auth.me': adminMe,
      'users.list': listOf([ada, grace]),
      'users.bulkAssignRole': (input) => ({
        results: input.userIds.map((userId) => ({
          userId,
          name: null,
          email: null,
          outcome: 'changed',
          message: null,
        })),
        changed: input.userIds.length,
        unchanged: 0,
        refused: 0,
      }),
      'users.bulkDeactivate': {
        results: [
          { userId: ada.id, name: ada.name, email: ada.email, outcome: 'changed', message: null },
          {
            userId: grace.id,
            name: grace.name,
            email: grace.email,
            outcome: 'refused',
            message: 'At least one active admin must remain. Make someone else an admin first.',
          },
        ],
        changed: 1,
        unchanged: 0,
        refused: 1,
      },
    });
    await screen.findByRole('cell', { name: 'ada@example.com' });
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select everyone on this page' }));
    const bar = within(screen.getByRole('region', { name: 'Actions on the selected people' }));
    expect(bar.getByText('2 people selected')).toBeTruthy();
    await userEvent.selectOptions(bar.getByLabelText('Role for selected'), 'Accountant');
    await userEvent.click(bar.getByRole('button', { name: 'Assign role' }));
    expect(await bar.findByText('Accountant role given to 2 people.')).toBeTruthy();
    await userEvent.click(bar.getByRole('button', { name: 'Deactivate' }));
    await userEvent.click(
      within(await screen.findByRole('dialog', { name: 'Deactivate 2 people?' })).getByRole('button', {
        name: 'Deactivate',
      }),
    );
    expect((await bar.findByText('1 person deactivated.')).getAttribute('role')).toBe('status');
    expect(bar.getByRole('alert').textContent).toBe(
      'Not changed for 1 person:Grace Hopper (grace@example.com): At least one active admin must remain. Make someone else an admin first.',
    );
    expect(app.callsTo('users.bulkAssignRole')[0]?.input).toEqual({ userIds: [ada.id, grace.id], role: 'accountant' });
    expect(app.callsTo('users.bulkDeactivate')[0]?.input).toEqual({ userIds: [ada.id, grace.id] });
    // Opening a checked row is still a click on the row; the checkbox itself only checks.
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select Ada Lovelace' }));
    expect(app.location()).toBe('/admin/users');
  });

  it('exports everyone the filter matches, and says when the cap cut it short', async () => {
    const app = renderApp('/admin/users?role=accountant&sort=createdAt&dir=desc', {
      'auth.me': adminMe,
      'users.list': listOf([ada]),
      'users.export': { items: [ada], total: 60_001, truncated: true, cap: 50_000 },
    });
    await screen.findByRole('cell', { name: 'ada@example.com' });
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect((await screen.findByText(/^Exported the first/)).textContent).toBe(
      'Exported the first 1 user of 60,001. Narrow the filter to export the rest.',
    );
    expect(app.callsTo('users.export')[0]?.input).toEqual({ role: 'accountant', sort: 'createdAt', dir: 'desc' });
    expect(usersCsv([ada, grace])).toBe(
      'name,email,roles,status,last sign-in,created\r\n' +
        'Ada Lovelace,ada@example.com,Accountant; User,Locked,2026-02-27T09:30:00.000Z,2026-01-01T00:00:00.000Z\r\n' +
        'Grace Hopper,grace@example.com,User,Invited,,2026-01-01T00:00:00.000Z\r\n',
    );
  });

  it('tells a non-admin they may not open the page', async () => {
    renderApp('/admin/users', { 'auth.me': { ...adminMe, roles: ['accountant'] } });
    expect((await screen.findByRole('alert')).textContent).toMatch(/do not have permission/);
  });
});
