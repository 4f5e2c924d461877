import { screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { plainMe, renderApp } from '../../test/canned.tsx';
import type { NotificationItem } from '../../trpc.ts';

const item = (id: string, title: string, readAt: Date | null): NotificationItem => ({
  id,
  kind: 'message.sent',
  family: 'messages',
  title,
  body: 'About March',
  link: '/budgets/50000000-0000-4000-8000-000000000009',
  readAt,
  createdAt: new Date('2027-03-01T10:00:00.000Z'),
  actor: { id: '50000000-0000-4000-8000-000000000008', name: 'Olivia Owner' },
});

describe('/notifications', () => {
  it('lists notifications, marks one read and all read', async () => {
    const read = new Set<string>();
    const items = () =>
      [
        item('50000000-0000-4000-8000-000000000001', 'Olivia Owner sent you a message', null),
        item('50000000-0000-4000-8000-000000000002', 'Adam Accountant approved “Travel”', new Date()),
      ].map((n) => (read.has(n.id) ? { ...n, readAt: new Date() } : n));
    const app = renderApp('/notifications', {
      'auth.me': plainMe,
      'notifications.list': () => ({
        items: items(),
        total: 2,
        page: 1,
        pageSize: 20,
        unread: items().filter((n) => !n.readAt).length,
      }),
      'notifications.markRead': (input) => {
        for (const id of input.notificationIds) read.add(id);
        return { unread: 0 };
      },
      'notifications.markAllRead': { marked: 0, unread: 0 },
    });
    expect(await screen.findByText('1 unread notification')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Olivia Owner sent you a message' }).getAttribute('href')).toBe(
      '/budgets/50000000-0000-4000-8000-000000000009',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Mark read' }));
    expect(await screen.findByText('0 unread notifications')).toBeTruthy();
    expect({
      markRead: app.callsTo('notifications.markRead').map((c) => c.input),
      markAllEnabled: (screen.getByRole('button', { name: 'Mark all read' }) as HTMLButtonElement).disabled,
    }).toEqual({
      markRead: [{ notificationIds: ['50000000-0000-4000-8000-000000000001'] }],
      markAllEnabled: true,
    });
  });
});
