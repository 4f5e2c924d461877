/**
 * "Shared with me" against canned answers: each item links to what was shared (a forecast also to
 * its goal), says the level in words and until when, and the kind filter lives in the URL.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { plainMe, renderApp } from '../../test/canned.tsx';
import { BUDGET_ID, GOAL_ID, olga } from '../../test/review-fixtures.ts';
import type { SharedItem } from '../../trpc.ts';

const forecast: SharedItem = {
  grantId: 'c0000000-0000-4000-8000-000000000001',
  subject: { type: 'forecast', id: 'c0000000-0000-4000-8000-000000000002' },
  name: 'Rolling 2027',
  level: 'commenter',
  expiresAt: new Date('2027-06-30T12:00:00.000Z'),
  sharedBy: { id: olga.id, name: olga.name },
  sharedAt: new Date('2027-02-01T12:00:00.000Z'),
  owner: { id: olga.id, name: olga.name },
  goal: { id: GOAL_ID, name: 'Run the office' },
  budget: { id: BUDGET_ID, name: 'Operations 2027' },
  state: null,
};

describe('/shared', () => {
  it('lists what others shared, linking to it, and filters by kind in the URL', async () => {
    const app = renderApp('/shared', {
      'auth.me': plainMe,
      'sharing.sharedWithMe': (input) => ({
        items: input.type === 'goal' ? [] : [forecast],
        total: input.type === 'goal' ? 0 : 1,
        page: 1,
        pageSize: 25,
      }),
    });
    const table = await screen.findByRole('table', { name: 'Shared with me' });
    const link = await within(table).findByRole('link', { name: 'Rolling 2027' });
    const cells = within(within(table).getAllByRole('row')[1]!)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    const goal = within(table).getByRole('link', { name: 'Run the office' }).getAttribute('href');
    await userEvent.selectOptions(screen.getByLabelText('Show'), 'Goals');
    await waitFor(() => expect(app.location()).toBe('/shared?type=goal'));
    expect({
      href: link.getAttribute('href'),
      goal,
      cells,
      inputs: app.callsTo('sharing.sharedWithMe').map((c) => c.input),
      empty: (await within(table).findByText(/^Nobody has shared any goals/)).textContent,
    }).toEqual({
      href: `/forecasts/${forecast.subject.id}`,
      goal: `/goals/${GOAL_ID}`,
      cells: [
        'Rolling 2027Forecast in Run the office · of Operations 2027',
        'Olga Owner',
        'Commenter: can view and comment',
        '—',
        'by Olga Owner1 Feb 2027',
        '30 Jun 2027',
      ],
      inputs: [
        { page: 1, pageSize: 25 },
        { type: 'goal', page: 1, pageSize: 25 },
      ],
      empty:
        'Nobody has shared any goals with you yet. What you own is under Goals; what waits for your approval is under Approvals.',
    });
  });
});
