/**
 * The budget page's workflow bar against canned answers: the buttons are exactly the moves the
 * server lists for this person, labelled from the transition table; each move is confirmed in a
 * dialog (a reason where the table requires one) and sends the state the person saw; a move
 * someone else beat is said so, with a reload; a locked revision is reopened as a new one.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, type CannedTable, plainMe, renderApp } from '../../test/canned.tsx';
import { arun, BUDGET_ID, budget, olga, since, sofia } from '../../test/review-fixtures.ts';
import type { BudgetDetail, TransitionEntry } from '../../trpc.ts';

const TRANSITION_ID = '70000000-0000-4000-8000-000000000001' as const;

const sendBack: TransitionEntry = {
  id: '70000000-0000-4000-8000-000000000001',
  versionNumber: 1,
  action: 'send-back',
  from: 'submitted',
  to: 'changes_requested',
  actor: { id: arun.id, name: arun.name },
  onBehalfOf: null,
  reason: 'Fix the March rent.',
  at: since,
};

function page(budgets: () => BudgetDetail, more: CannedTable = {}) {
  return renderApp(`/budgets/${BUDGET_ID}`, {
    'auth.me': plainMe,
    'budgets.get': budgets,
    'comments.cells': [],
    'workflow.history': { budgetId: BUDGET_ID, state: 'submitted', versionNumber: 1, items: [] },
    ...more,
  });
}

/** The budget page loads the grid's chunk on first use: longer than a query under load. */
const bar = () => screen.findByRole('region', { name: 'Approval' }, { timeout: 10_000 });
const buttons = (region: HTMLElement) =>
  within(region)
    .getAllByRole('button')
    .map((b) => b.textContent);
const banner = () => document.querySelector('.gp-workflow__banner')?.textContent;

describe('the workflow bar', () => {
  it('offers the listed moves, asks for the required reason, and sends the state the person saw', async () => {
    let state: 'submitted' | 'changes_requested' = 'submitted';
    const submitted = budget({
      state: 'submitted',
      submittedBy: { id: olga.id, name: olga.name },
      actions: [
        { action: 'start-review', to: 'in_review', reason: 'optional', onBehalfOf: null },
        { action: 'approve', to: 'approved', reason: 'optional', onBehalfOf: null },
        { action: 'send-back', to: 'changes_requested', reason: 'required', onBehalfOf: null },
      ],
    });
    const app = page(() => (state === 'submitted' ? submitted : budget({ state: 'changes_requested' })), {
      'workflow.history': () => ({
        budgetId: BUDGET_ID,
        state,
        versionNumber: 1,
        items: state === 'submitted' ? [] : [sendBack],
      }),
      'workflow.transition': (input) => {
        state = 'changes_requested';
        return {
          budgetId: input.budgetId,
          transitionId: TRANSITION_ID,
          from: 'submitted',
          to: 'changes_requested',
          versionNumber: 1,
          onBehalfOf: null,
        };
      },
    });
    const region = await bar();
    const before = {
      buttons: buttons(region),
      banner: banner(),
      who: within(region).getByText(/^Submitted by/).textContent,
    };
    await userEvent.click(within(region).getByRole('button', { name: 'Send back' }));
    const dialog = await screen.findByRole('dialog', { name: 'Send back: “Operations 2027”' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Send back' }));
    const refusal = within(dialog).getByRole('alert').textContent;
    expect(app.callsTo('workflow.transition')).toHaveLength(0);
    await userEvent.type(within(dialog).getByLabelText('Reason'), 'Fix the March rent.');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Send back' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await waitFor(() => expect(banner()).toMatch(/^Sent back for changes/));
    expect({
      before,
      refusal,
      sent: app.callsTo('workflow.transition').map((c) => c.input),
      after: banner(),
    }).toEqual({
      before: {
        buttons: ['Start review', 'Approve', 'Send back'],
        banner: 'Submitted for approval: read-only until it is sent back.',
        who: 'Submitted by Olga Owner',
      },
      refusal: 'Say why: the owner will read it.',
      sent: [{ budgetId: BUDGET_ID, action: 'send-back', expectedState: 'submitted', reason: 'Fix the March rent.' }],
      after: 'Sent back for changes by Arun Accountant: “Fix the March rent.”',
    });
  });

  it('says when someone else moved the budget first, and reloads it', async () => {
    let loads = 0;
    const app = page(
      () => {
        loads++;
        return budget({
          state: 'submitted',
          actions: [{ action: 'approve', to: 'approved', reason: 'optional', onBehalfOf: null }],
        });
      },
      {
        'workflow.transition': () => {
          throw apiError(
            'CONFLICT',
            'This budget is now approved, not submitted: someone acted on it meanwhile. Reload to see where it stands.',
          );
        },
      },
    );
    await userEvent.click(within(await bar()).getByRole('button', { name: 'Approve' }));
    const dialog = await screen.findByRole('dialog', { name: 'Approve: “Operations 2027”' });
    await userEvent.type(within(dialog).getByLabelText('Note (optional)'), 'Looks right.');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Approve' }));
    const alert = await screen.findByRole('alert');
    const shown = { text: alert.textContent, dialog: screen.queryByRole('dialog') };
    const loadsBefore = loads;
    await userEvent.click(within(alert).getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect(loads).toBe(loadsBefore + 1));
    expect({
      shown,
      sent: app.callsTo('workflow.transition')[0]?.input,
      gone: screen.queryByText(/someone acted on it meanwhile/),
    }).toEqual({
      shown: {
        text: 'This budget is now approved, not submitted: someone acted on it meanwhile. Reload to see where it stands.Reload',
        dialog: null,
      },
      sent: { budgetId: BUDGET_ID, action: 'approve', expectedState: 'submitted', reason: 'Looks right.' },
      gone: null,
    });
  });

  it('names the approver a delegate acts for, and whom the first approval was given for', async () => {
    page(
      () =>
        budget({
          state: 'approved',
          approvedBy: { id: arun.id, name: arun.name },
          actions: [{ action: 'final-approve', to: 'final_approved', reason: 'optional', onBehalfOf: sofia.id }],
        }),
      {
        'workflow.history': {
          budgetId: BUDGET_ID,
          state: 'approved',
          versionNumber: 1,
          items: [
            {
              ...sendBack,
              action: 'approve',
              from: 'submitted',
              to: 'approved',
              reason: null,
              onBehalfOf: { id: '30000000-0000-4000-8000-000000000009', name: 'Nora Accountant' },
            },
          ],
        },
        'workflow.delegations': {
          given: [],
          received: [
            {
              id: '80000000-0000-4000-8000-000000000001',
              approver: { id: sofia.id, name: sofia.name },
              delegate: { id: plainMe.id, name: plainMe.name },
              startsAt: since,
              endsAt: new Date('2027-03-01T00:00:00.000Z'),
              createdById: sofia.id,
              createdAt: since,
              revokedAt: null,
              inForce: true,
            },
          ],
        },
      },
    );
    const region = await bar();
    await within(region).findByText('On behalf of Sofia Supervisor');
    expect((await within(region).findByText(/^Approved by/)).textContent).toBe(
      'Approved by Arun Accountant on behalf of Nora Accountant',
    );
    await userEvent.click(within(region).getByRole('button', { name: 'Final approve' }));
    const dialog = await screen.findByRole('dialog', { name: 'Final approve: “Operations 2027”' });
    expect(within(dialog).getByText(/^You act on behalf of/).textContent).toBe(
      'You act on behalf of Sofia Supervisor; the record will say so.',
    );
  });

  it('shows a final-approved revision locked, and reopening goes to the new revision', async () => {
    let reopened = false;
    const locked = new Date('2027-02-03T10:00:00.000Z');
    const app = page(
      () =>
        reopened
          ? budget(
              {
                state: 'draft',
                actions: [{ action: 'submit', to: 'submitted', reason: 'optional', onBehalfOf: null }],
              },
              {
                currentVersionNumber: 2,
                versionNumber: 2,
                versions: [
                  { number: 1, state: 'final_approved', lockedAt: locked, createdAt: since },
                  { number: 2, state: 'draft', lockedAt: null, createdAt: locked },
                ],
              },
            )
          : budget(
              {
                state: 'final_approved',
                approvedBy: { id: arun.id, name: arun.name },
                actions: [{ action: 'reopen', to: 'draft', reason: 'optional', onBehalfOf: null }],
              },
              { versions: [{ number: 1, state: 'final_approved', lockedAt: locked, createdAt: since }] },
            ),
      {
        'workflow.transition': () => {
          reopened = true;
          return {
            budgetId: BUDGET_ID,
            transitionId: TRANSITION_ID,
            from: 'final_approved',
            to: 'draft',
            versionNumber: 2,
            onBehalfOf: null,
          };
        },
      },
    );
    const region = await bar();
    const before = { buttons: buttons(region), banner: banner(), status: screen.getByText('Read only').textContent };
    await userEvent.click(within(region).getByRole('button', { name: 'Reopen as a new revision' }));
    const dialog = await screen.findByRole('dialog', { name: 'Reopen as a new revision: “Operations 2027”' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Reopen as a new revision' }));
    const revision = (await screen.findByLabelText('Revision')) as HTMLSelectElement;
    expect({
      before,
      sent: app.callsTo('workflow.transition')[0]?.input,
      revisions: [...revision.options].map((o) => o.textContent),
      shown: revision.value,
      buttons: buttons(await bar()),
    }).toEqual({
      before: {
        buttons: ['Reopen as a new revision'],
        banner: 'Final approved: revision 1 is locked. Reopen it as a new revision to make changes.',
        status: 'Read only',
      },
      sent: { budgetId: BUDGET_ID, action: 'reopen', expectedState: 'final_approved' },
      revisions: ['Revision 1 (locked, final approved)', 'Revision 2 (current, draft)'],
      shown: '2',
      buttons: ['Submit for approval'],
    });
  });

  it('does not name a past submission once the budget is back in draft', async () => {
    page(() =>
      budget({
        state: 'draft',
        submittedBy: { id: olga.id, name: olga.name },
        actions: [{ action: 'submit', to: 'submitted', reason: 'optional', onBehalfOf: null }],
      }),
    );
    const region = await bar();
    expect({
      buttons: buttons(region),
      submittedBy: within(region).queryByText(/^Submitted by/),
    }).toEqual({ buttons: ['Submit for approval'], submittedBy: null });
  });
});

describe('the budget’s settings beside the workflow', () => {
  it('offers Settings and Move… while the budget takes changes, not while it waits for approval or is locked', async () => {
    const offered = async (state: BudgetDetail['state'], locked = false) => {
      const shown = budget({ state });
      if (locked) shown.versions = [{ ...shown.versions[0]!, lockedAt: since }];
      const app = page(() => shown);
      await bar();
      const found = ['Settings', 'Move…'].filter((name) => screen.queryByRole('button', { name }));
      app.unmount();
      return found;
    };
    expect({
      draft: await offered('draft'),
      changesRequested: await offered('changes_requested'),
      submitted: await offered('submitted'),
      finalApproved: await offered('final_approved', true),
    }).toEqual({
      draft: ['Settings', 'Move…'],
      changesRequested: ['Settings', 'Move…'],
      submitted: [],
      finalApproved: [],
    });
  });
});

describe('a new budget with no lines', () => {
  it('says how to start, above the empty grid', async () => {
    page(() => budget({ state: 'draft' }, { lines: [] }));
    await bar();
    const hint = await screen.findByText(/^No lines yet\./);
    expect(hint.textContent).toBe(
      'No lines yet. Choose Add line and type, or paste lines copied from Excel or Google Sheets into its first cell: a paste adds the lines it needs.',
    );
  });
});
