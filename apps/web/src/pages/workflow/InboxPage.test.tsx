/**
 * The approvals inbox against canned answers: what waits, oldest first, with how long and on whose
 * behalf; checked budgets are approved together (first approvals and final approvals each as
 * their own bulk move) or sent back with a required reason, and every budget's outcome is listed,
 * the refused ones with the server's reason.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { plainMe, renderApp } from '../../test/canned.tsx';
import { GOAL_ID, olga, sofia } from '../../test/review-fixtures.ts';
import type { InboxItem } from '../../trpc.ts';

const ago = (days: number) => new Date(Date.now() - days * 24 * 3600 * 1000);

function item(n: number, changes: Partial<InboxItem> = {}): InboxItem {
  return {
    budgetId: `90000000-0000-4000-8000-00000000000${n}`,
    budgetName: `Budget ${n}`,
    goal: { id: GOAL_ID, name: 'Run the office' },
    owner: { id: olga.id, name: olga.name },
    state: 'submitted',
    versionNumber: 1,
    since: ago(4 - n),
    submittedBy: { id: olga.id, name: olga.name },
    waitingFor: 'approve',
    onBehalfOf: null,
    currency: 'EUR',
    totalMinor: BigInt(n) * 1_000_00n,
    actions: [
      { action: 'start-review', to: 'in_review', reason: 'optional', onBehalfOf: null },
      { action: 'approve', to: 'approved', reason: 'optional', onBehalfOf: null },
      { action: 'send-back', to: 'changes_requested', reason: 'required', onBehalfOf: null },
    ],
    ...changes,
  };
}

const waiting = [
  item(1),
  item(2, {
    state: 'approved',
    waitingFor: 'final-approve',
    onBehalfOf: { id: sofia.id, name: sofia.name },
    actions: [
      { action: 'send-back', to: 'changes_requested', reason: 'required', onBehalfOf: sofia.id },
      { action: 'final-approve', to: 'final_approved', reason: 'optional', onBehalfOf: sofia.id },
    ],
  }),
  item(3),
];

const rows = () =>
  within(screen.getByRole('table', { name: 'Budgets waiting for your approval' }))
    .getAllByRole('row')
    .slice(1)
    .map((r) =>
      within(r)
        .getAllByRole('cell')
        .slice(1)
        .map((c) => c.textContent),
    );

describe('/approvals', () => {
  it('approves the checked budgets, each at its level, and lists every outcome', async () => {
    const app = renderApp('/approvals', {
      'auth.me': plainMe,
      'workflow.inbox': { items: waiting, total: 3, page: 1, pageSize: 50 },
      'workflow.bulk': (input) => ({
        results: input.items.map((i) =>
          i.budgetId === waiting[0]!.budgetId
            ? {
                budgetId: i.budgetId,
                ok: false as const,
                code: 'CONFLICT',
                message: 'This budget is now in review, not submitted: someone acted on it meanwhile.',
              }
            : { budgetId: i.budgetId, ok: true as const, to: 'approved' as const, onBehalfOf: null },
        ),
        done: 0,
        refused: 0,
      }),
    });
    await screen.findByRole('link', { name: 'Budget 1' });
    const shown = rows();
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select Budget 1' }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select Budget 2' }));
    const bar = screen.getByRole('region', { name: 'Actions on the selected budgets' });
    const count = bar.querySelector('.gp-actionbar__count')?.textContent;
    await userEvent.click(within(bar).getByRole('button', { name: 'Approve selected' }));
    const dialog = await screen.findByRole('dialog', { name: 'Approve: 2 budgets' });
    const warning = within(dialog).getByText(/^Approved budgets among them/).textContent;
    await userEvent.click(within(dialog).getByRole('button', { name: 'Approve' }));
    const outcome = await screen.findByRole('region', { name: 'Outcome' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect({
      shown,
      count,
      warning,
      sent: app.callsTo('workflow.bulk').map((c) => c.input),
      done: within(outcome).getByRole('status').textContent,
      refused: within(outcome).getByRole('alert').textContent,
      stillChecked: screen.queryByRole('region', { name: 'Actions on the selected budgets' }),
    }).toEqual({
      shown: [
        [
          'Budget 1Run the office · revision 1',
          'Olga Owner',
          'Submittedyour approval',
          expect.stringMatching(/^3 days ago/),
          '€1,000.00',
        ],
        [
          'Budget 2Run the office · revision 1',
          'Olga Owner',
          'Approvedyour final approval on behalf of Sofia Supervisor',
          expect.stringMatching(/^2 days ago/),
          '€2,000.00',
        ],
        [
          'Budget 3Run the office · revision 1',
          'Olga Owner',
          'Submittedyour approval',
          expect.stringMatching(/^yesterday/),
          '€3,000.00',
        ],
      ],
      count: '2 budgets selected',
      warning: 'Approved budgets among them get your final approval, which locks them.',
      sent: [
        { action: 'approve', items: [{ budgetId: waiting[0]!.budgetId, expectedState: 'submitted' }] },
        { action: 'final-approve', items: [{ budgetId: waiting[1]!.budgetId, expectedState: 'approved' }] },
      ],
      done: '1 budget done:Budget 2: gave the final approval',
      refused:
        '1 budget not moved:Budget 1: This budget is now in review, not submitted: someone acted on it meanwhile.',
      stillChecked: null,
    });
  });

  it('sends back every checked budget with the one reason it requires', async () => {
    const app = renderApp('/approvals', {
      'auth.me': plainMe,
      'workflow.inbox': { items: waiting, total: 3, page: 1, pageSize: 50 },
      'workflow.bulk': (input) => ({
        results: input.items.map((i) => ({
          budgetId: i.budgetId,
          ok: true as const,
          to: 'changes_requested' as const,
          onBehalfOf: null,
        })),
        done: input.items.length,
        refused: 0,
      }),
    });
    await screen.findByRole('link', { name: 'Budget 1' });
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select everyone on this page' }));
    await userEvent.click(screen.getByRole('button', { name: 'Send back selected' }));
    const dialog = await screen.findByRole('dialog', { name: 'Send back: 3 budgets' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Send back' }));
    const refusal = within(dialog).getByRole('alert').textContent;
    await userEvent.type(within(dialog).getByLabelText('Reason'), 'Use the new rates.');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Send back' }));
    const outcome = await screen.findByRole('region', { name: 'Outcome' });
    expect({
      refusal,
      sent: app.callsTo('workflow.bulk').map((c) => c.input),
      done: within(outcome).getByRole('status').textContent,
    }).toEqual({
      refusal: 'Say why: the owner will read it.',
      sent: [
        {
          action: 'send-back',
          reason: 'Use the new rates.',
          items: waiting.map((i) => ({ budgetId: i.budgetId, expectedState: i.state })),
        },
      ],
      done: '3 budgets done:Budget 1: sent back for changesBudget 2: sent back for changesBudget 3: sent back for changes',
    });
  });

  it('says what will appear here when nothing waits', async () => {
    renderApp('/approvals', {
      'auth.me': plainMe,
      'workflow.inbox': { items: [], total: 0, page: 1, pageSize: 50 },
    });
    expect((await screen.findByText(/^Nothing waits for you/)).textContent).toBe(
      'Nothing waits for you. Budgets appear here when their owners submit them to you as accountant, supervisor or approver, or to someone whose approvals you hold as their delegate.',
    );
  });
});
