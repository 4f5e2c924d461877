/**
 * "Message collaborators" on the budget page against canned answers: the people the server names,
 * each with how they work on the budget; nothing is sent without a recipient and a message; the
 * server's refusal lands at the recipients; a sent message says to whom. Someone who may only
 * view the budget is not offered the action.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, plainMe, renderApp } from '../../test/canned.tsx';
import { arun, BUDGET_ID, budget, olga, sofia } from '../../test/review-fixtures.ts';
import type { Collaborator } from '../../trpc.ts';

const LOADING = 10_000;
const people: Collaborator[] = [
  { ...arun, role: 'approver' },
  { ...olga, role: 'commenter' },
  { ...sofia, role: 'supervisor' },
];

describe('message collaborators', () => {
  it('sends a message to the chosen people and says to whom', async () => {
    let tries = 0;
    const app = renderApp(`/budgets/${BUDGET_ID}`, {
      'auth.me': plainMe,
      'budgets.get': budget(),
      'comments.cells': [],
      'notifications.collaborators': people,
      'notifications.send': (input) => {
        tries++;
        if (tries === 1) {
          throw apiError(
            'BAD_REQUEST',
            'recipientIds: One person is not working on this budget. Choose from its owner, the owner’s supervisor and the people it is shared with.',
          );
        }
        return { sent: input.recipientIds.length, recipients: [sofia.name, arun.name] };
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Message collaborators' }, { timeout: LOADING }));
    const dialog = await screen.findByRole('dialog', { name: 'Message collaborators' });
    const to = await within(dialog).findByRole('group', { name: 'To' });
    const offered = [...to.querySelectorAll('label')].map((l) => l.textContent);

    // Neither a recipient nor a message: said here, nothing sent.
    await userEvent.click(within(dialog).getByRole('button', { name: 'Send message' }));
    const missing = within(dialog)
      .getAllByRole('alert')
      .map((a) => a.textContent);

    await userEvent.click(within(to).getByRole('checkbox', { name: /Sofia Supervisor/ }));
    await userEvent.click(within(to).getByRole('checkbox', { name: /Arun Accountant/ }));
    await userEvent.type(within(dialog).getByLabelText('Message'), 'Please look at March.');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Send message' }));
    const refused = await within(to).findByRole('alert');
    const refusedText = refused.textContent;
    const describes = to.getAttribute('aria-describedby') === refused.id;

    await userEvent.click(within(dialog).getByRole('button', { name: 'Send message' }));
    const done = await within(dialog).findByRole('status');
    expect({
      offered,
      missing,
      calls: app.callsTo('notifications.send').map((c) => c.input),
      refusedText,
      describes,
      done: done.textContent,
    }).toEqual({
      offered: ['Everyone (3)', 'Arun AccountantApprover', 'Olga OwnerCommenter', 'Sofia SupervisorOwner’s supervisor'],
      missing: ['Choose at least one person to send the message to.', 'Write a message.'],
      calls: [
        { budgetId: BUDGET_ID, recipientIds: [sofia.id, arun.id], message: 'Please look at March.' },
        { budgetId: BUDGET_ID, recipientIds: [sofia.id, arun.id], message: 'Please look at March.' },
      ],
      refusedText:
        'One person is not working on this budget. Choose from its owner, the owner’s supervisor and the people it is shared with.',
      describes: true,
      done: 'Message sent to Sofia Supervisor and Arun Accountant. They see it in their notifications, and by mail unless they turned mail off for messages.',
    });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Message collaborators' })).toBeNull());
  }, 30_000);

  it('is not offered to someone who may only view the budget', async () => {
    const viewOnly = budget();
    viewOnly.permissions = { ...viewOnly.permissions, comment: false, edit: false, manage: false, share: false };
    renderApp(`/budgets/${BUDGET_ID}`, {
      'auth.me': plainMe,
      'budgets.get': viewOnly,
      'comments.cells': [],
    });
    await screen.findByRole('button', { name: 'Reminders' }, { timeout: LOADING });
    expect(screen.queryByRole('button', { name: 'Message collaborators' })).toBeNull();
  }, 30_000);
});
