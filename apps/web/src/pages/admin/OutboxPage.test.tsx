import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { adminMe, renderApp } from '../../test/canned.tsx';
import type { MailRow } from '../../trpc.ts';

const mail: MailRow = {
  id: '30000000-0000-4000-8000-000000000001',
  toAddress: 'grace@example.com',
  kind: 'invite',
  subject: 'You are invited to Goalpost',
  status: 'captured',
  createdAt: new Date('2026-03-01T10:00:00.000Z'),
  sentAt: null,
  lastError: null,
  linkState: 'live',
};
const link = 'http://localhost:3000/accept-invite?token=AbCdEfGhIjKlMnOpQrStUv';

describe('/admin/outbox', () => {
  it('lists mail and shows a selected mail with its links', async () => {
    const app = renderApp('/admin/outbox', {
      'auth.me': adminMe,
      'mail.list': (input) => ({
        items: input.search && !mail.toAddress.includes(input.search) ? [] : [mail],
        total: 1,
        page: 1,
        pageSize: 25,
      }),
      'mail.open': {
        ...mail,
        text: `Hello Grace,\n\nSet your password to start:\n${link}\n\nThe link works once.`,
        html: '<p>Hello <script>alert(1)</script></p>',
      },
    });
    const table = await screen.findByRole('table', { name: 'Outbox' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['To', 'Subject', 'Kind', 'Status', 'Link', 'Created']);
    expect(await within(table).findByText('Captured')).toBeTruthy();
    expect(within(table).getByText('Link works')).toBeTruthy();
    await userEvent.click(within(table).getByRole('cell', { name: 'grace@example.com' }));

    const panel = await screen.findByRole('complementary', { name: 'You are invited to Goalpost' });
    const anchor = within(panel).getByRole('link', { name: link });
    expect(anchor.getAttribute('href')).toBe(link);
    expect(panel.querySelector('pre')?.textContent).toContain('Set your password to start:');
    const frame = panel.querySelector('iframe');
    expect(frame?.getAttribute('sandbox')).toBe('');
    expect(frame?.getAttribute('srcdoc')).toContain('<p>Hello');

    await userEvent.type(screen.getByLabelText('Search by recipient'), 'nobody');
    await waitFor(() => expect(app.callsTo('mail.list').at(-1)?.input).toMatchObject({ search: 'nobody', page: 1 }));
    expect(await screen.findByText('No mail matches.')).toBeTruthy();
  });
});

describe('dead links', () => {
  it('marks a used, replaced or expired link so it does not look live, and filters by kind, status and link', async () => {
    const dead: MailRow = { ...mail, id: '30000000-0000-4000-8000-000000000002', linkState: 'superseded' };
    const app = renderApp('/admin/outbox', {
      'auth.me': adminMe,
      'mail.list': (input) => ({
        items:
          input.link === 'live'
            ? [mail]
            : [dead, { ...mail, id: '30000000-0000-4000-8000-000000000003', linkState: 'used' }],
        total: 2,
        page: 1,
        pageSize: 25,
      }),
      'mail.open': { ...dead, text: `Set your password to start:\n${link}\n`, html: '' },
    });
    const table = await screen.findByRole('table', { name: 'Outbox' });
    expect(await within(table).findByText('Link replaced')).toBeTruthy();
    expect(within(table).getByText('Link used')).toBeTruthy();
    await userEvent.click(within(table).getAllByRole('cell', { name: 'grace@example.com' })[0]!);
    const panel = await screen.findByRole('complementary', { name: 'You are invited to Goalpost' });
    expect(within(panel).queryByRole('link', { name: link })).toBeNull();
    expect(within(panel).getByText(link).className).toBe('gp-link-dead');
    expect(within(panel).getByText(/This link no longer works \(link replaced\)/)).toBeTruthy();

    await userEvent.selectOptions(screen.getByLabelText('Kind'), 'Invite');
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'Captured');
    await userEvent.selectOptions(screen.getByLabelText('Link'), 'Works');
    await waitFor(() =>
      expect(app.callsTo('mail.list').at(-1)?.input).toEqual({
        kind: 'invite',
        status: 'captured',
        link: 'live',
        page: 1,
        pageSize: 25,
      }),
    );
    expect(await within(table).findByText('Link works')).toBeTruthy();
  });
});
