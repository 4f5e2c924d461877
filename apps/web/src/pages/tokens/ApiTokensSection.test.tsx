import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { adminMe, plainMe, renderApp } from '../../test/canned.tsx';
import type { AdminApiTokenRow, ApiTokenRow, NotificationPreferences } from '../../trpc.ts';
import { SECRET_SHOWN_ONCE } from './ApiTokensSection.tsx';

const preferences: NotificationPreferences = { timeZone: 'Europe/London', digestHour: 8, families: [] };
const reporting: ApiTokenRow = {
  id: '11111111-1111-4111-8111-111111111111',
  name: 'Reporting',
  scope: 'read',
  prefix: 'gpat_ab12',
  createdAt: new Date('2027-01-04T10:00:00Z'),
  expiresAt: null,
  lastUsedAt: new Date('2027-01-05T08:30:00Z'),
  revokedAt: null,
};
const old: ApiTokenRow = {
  ...reporting,
  id: '22222222-2222-4222-8222-222222222222',
  name: 'Old script',
  prefix: 'gpat_zz99',
  lastUsedAt: null,
  revokedAt: new Date('2027-01-02T00:00:00Z'),
};

describe('Account → API tokens', () => {
  it('creates a token, shows its secret once, and lists tokens with their state', async () => {
    let tokens = [reporting, old];
    const app = renderApp('/account', {
      'auth.me': plainMe,
      'notifications.preferences': preferences,
      'tokens.list': () => tokens,
      'tokens.create': (input) => {
        const made = {
          ...reporting,
          id: '33333333-3333-4333-8333-333333333333',
          name: input.name,
          scope: input.scope,
          prefix: 'gpat_k3y5',
          lastUsedAt: null,
          expiresAt: new Date('2027-12-31T00:00:00Z'),
        };
        tokens = [made, ...tokens];
        return { ...made, secret: 'gpat_k3y5secretvalue' };
      },
    });
    const table = await screen.findByRole('table', { name: 'Your API tokens' });
    await within(table).findByText('Old script');
    const rows = () =>
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map((r) => r.textContent);
    expect(rows()).toEqual([
      expect.stringMatching(/^Reportinggpat_ab12….*Read only.*Active.*Revoke$/),
      expect.stringMatching(/^Old scriptgpat_zz99….*Never.*Revoked$/),
    ]);

    await userEvent.click(screen.getByRole('button', { name: 'Create token' }));
    expect(screen.getByText('Name the token, after what will use it.')).toBeTruthy();
    expect(app.callsTo('tokens.create')).toHaveLength(0);

    await userEvent.type(screen.getByLabelText('Token name'), 'ERP sync');
    await userEvent.selectOptions(screen.getByLabelText('Access'), 'write');
    await userEvent.type(screen.getByLabelText('Last day (optional)'), '2027-12-31');
    await userEvent.click(screen.getByRole('button', { name: 'Create token' }));
    expect((await screen.findByLabelText('New token')) as HTMLInputElement).toHaveProperty(
      'value',
      'gpat_k3y5secretvalue',
    );
    expect(screen.getByText(SECRET_SHOWN_ONCE, { exact: false })).toBeTruthy();
    expect(app.callsTo('tokens.create').at(-1)?.input).toEqual({
      name: 'ERP sync',
      scope: 'write',
      expiresOn: '2027-12-31',
    });
    expect(await within(table).findByText('ERP sync')).toBeTruthy();
  });

  it('revokes a token after asking', async () => {
    const app = renderApp('/account', {
      'auth.me': plainMe,
      'notifications.preferences': preferences,
      'tokens.list': [reporting],
      'tokens.revoke': () => ({ ...reporting, revokedAt: new Date('2027-01-06T00:00:00Z') }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Revoke' }));
    const dialog = screen.getByRole('dialog', { name: 'Revoke this token?' });
    expect(dialog.textContent).toContain('Whatever uses “Reporting” stops working at once.');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke token' }));
    expect((await screen.findByText(/was revoked: it no longer works/)).textContent).toBe(
      'The token “Reporting” was revoked: it no longer works.',
    );
    expect(app.callsTo('tokens.revoke').map((c) => c.input)).toEqual([{ tokenId: reporting.id }]);
  });
});

describe('Admin → API tokens', () => {
  it("lists everyone's tokens with their person and revokes any", async () => {
    const row: AdminApiTokenRow = {
      ...reporting,
      user: {
        id: '44444444-4444-4444-8444-444444444444',
        name: 'Rita Rest',
        email: 'rita@example.com',
        status: 'active',
      },
    };
    const app = renderApp('/admin/api-tokens', {
      'auth.me': adminMe,
      'tokens.adminList': { items: [row], total: 1, page: 1, pageSize: 50 },
      'tokens.adminRevoke': () => ({ ...reporting, revokedAt: new Date('2027-01-06T00:00:00Z') }),
    });
    const table = await screen.findByRole('table', { name: 'API tokens' });
    await within(table).findByText('Rita Rest');
    expect(within(table).getAllByRole('row')[1]?.textContent).toMatch(
      /^Rita Restrita@example\.comReportinggpat_ab12…Read only/,
    );
    await userEvent.click(within(table).getByRole('button', { name: 'Revoke' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Revoke token' }));
    expect(await screen.findByText('“Reporting” was revoked: it no longer works.')).toBeTruthy();
    expect(app.callsTo('tokens.adminRevoke').map((c) => c.input)).toEqual([{ tokenId: reporting.id }]);
    expect(app.callsTo('tokens.adminList').at(0)?.input).toEqual({ status: 'active', page: 1, pageSize: 50 });
  });
});
