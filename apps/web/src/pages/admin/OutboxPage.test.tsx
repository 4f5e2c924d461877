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
    ).toEqual(['To', 'Subject', 'Kind', 'Status', 'Created']);
    expect(await within(table).findByText('Captured')).toBeTruthy();
    await userEvent.click(within(table).getByRole('cell', { name: 'You are invited to Goalpost' }));

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
