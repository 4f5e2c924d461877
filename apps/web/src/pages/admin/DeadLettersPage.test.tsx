import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { adminMe, renderApp } from '../../test/canned.tsx';
import type { DeadLetterRow } from '../../trpc.ts';

const letter: DeadLetterRow = {
  id: '40000000-0000-4000-8000-000000000001',
  consumer: 'notifications',
  eventId: '40000000-0000-4000-8000-000000000002',
  topic: 'messages',
  type: 'message.sent',
  key: 'budget-1',
  payload: { message: 'Hello' },
  traceId: 'abc123',
  occurredAt: new Date('2027-03-01T10:00:00.000Z'),
  error: 'Error: the mail server refused the message\n    at deliver (deliver.ts:1:1)',
  attempts: 5,
  createdAt: new Date('2027-03-01T10:05:00.000Z'),
  lastFailedAt: new Date('2027-03-01T10:05:00.000Z'),
  retriedAt: null,
  resolvedAt: null,
};

describe('/admin/dead-letters', () => {
  it('lists events waiting for a retry and retries one', async () => {
    let resolved = false;
    const app = renderApp('/admin/dead-letters', {
      'auth.me': adminMe,
      'deadLetters.list': (input) => ({
        items: input.status === 'open' && resolved ? [] : [{ ...letter, resolvedAt: resolved ? new Date() : null }],
        total: input.status === 'open' && resolved ? 0 : 1,
        page: 1,
        pageSize: 25,
      }),
      'deadLetters.retry': () => {
        resolved = true;
        return { ...letter, attempts: 5, retriedAt: new Date(), resolvedAt: new Date() };
      },
    });
    const table = await screen.findByRole('table', { name: 'Dead letters' });
    expect(await within(table).findByText('Error: the mail server refused the message')).toBeTruthy();
    await userEvent.click(within(table).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('The message.sent event was handled.')).toBeTruthy();
    expect(await screen.findByText('Nothing is waiting: every event was handled.')).toBeTruthy();
    expect(app.callsTo('deadLetters.retry').map((c) => c.input)).toEqual([{ deadLetterId: letter.id }]);
  });
});
