/**
 * The Share dialog against canned answers: the person picker searches once typing pauses and is
 * driven by the keyboard, a grant is made with its level and last day, a refusal lands beside its
 * field, a level is changed and access revoked in place, and grants that reach a budget from its
 * goal are listed apart.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, plainMe, renderApp } from '../../test/canned.tsx';
import { arun, BUDGET_ID, budget, GOAL_ID, sofia } from '../../test/review-fixtures.ts';
import type { GoalDetail, Grant, ShareList } from '../../trpc.ts';

const goal: GoalDetail = {
  id: GOAL_ID,
  name: 'Run the office',
  description: null,
  category: null,
  targetAmountMinor: 100_000_00n,
  currency: 'EUR',
  targetDate: null,
  status: 'active',
  version: 1,
  ownerId: plainMe.id,
  createdAt: new Date('2027-01-01T09:00:00.000Z'),
  updatedAt: new Date('2027-01-01T09:00:00.000Z'),
  ownerName: plainMe.name,
  permissions: {
    read: true,
    comment: true,
    edit: true,
    manage: true,
    share: true,
    submit: false,
    recall: false,
    approve: false,
    'final-approve': false,
    cancel: false,
    reopen: false,
  },
  progress: { plannedMinor: 0n, forecastMinor: null, reachedIn: null, forecastEnd: null, budgetCount: 0 },
  budgets: [],
  forecasts: [],
};

function grantOf(person: { id: string; name: string; email: string }, changes: Partial<Grant> = {}): Grant {
  return {
    id: `a0000000-0000-4000-8000-${person.id.slice(-12)}`,
    user: person,
    level: 'commenter',
    expiresAt: null,
    expired: false,
    revokedAt: null,
    grantedBy: { id: plainMe.id, name: plainMe.name },
    createdAt: new Date('2027-01-02T09:00:00.000Z'),
    on: { type: 'goal', id: GOAL_ID },
    ...changes,
  };
}

const LEVELS = ['viewer', 'commenter', 'editor', 'approver'] as const;

describe('the Share dialog', () => {
  it('finds a person once typing pauses, shares at a level until a day, and changes or revokes access', async () => {
    let grants: Grant[] = [grantOf(sofia, { level: 'viewer' })];
    let tries = 0;
    const app = renderApp(`/goals/${GOAL_ID}`, {
      'auth.me': plainMe,
      'goals.get': goal,
      'goals.history': { items: [], total: 0, page: 1, pageSize: 50 },
      'sharing.list': (): ShareList => ({
        subject: { type: 'goal', id: GOAL_ID, name: 'Run the office' },
        owner: { id: plainMe.id, name: plainMe.name },
        grants,
        inherited: [],
        levels: [...LEVELS],
      }),
      'sharing.searchUsers': [sofia, arun],
      'sharing.grant': (input) => {
        tries++;
        if (tries === 1) throw apiError('BAD_REQUEST', 'expiresAt: Choose a time in the future.');
        const made = grantOf(arun, { level: input.level, expiresAt: input.expiresAt ?? null });
        grants = [...grants, made];
        return made;
      },
      'sharing.update': (input) => {
        grants = grants.map((g) => (g.id === input.grantId ? { ...g, level: input.level ?? g.level } : g));
        return grants.find((g) => g.id === input.grantId)!;
      },
      'sharing.revoke': (input) => {
        const gone = grants.find((g) => g.id === input.grantId)!;
        grants = grants.filter((g) => g !== gone);
        return { ...gone, revokedAt: new Date() };
      },
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Share' }));
    const dialog = await screen.findByRole('dialog', { name: 'Share “Run the office”' });
    const d = within(dialog);
    await d.findByRole('row', { name: /Sofia Supervisor/ });
    const picker = d.getByRole('combobox', { name: 'Person' });
    await userEvent.type(picker, 'aru');
    // Sofia already has access: only Arun is offered.
    const option = await d.findByRole('option', { name: /Arun Accountant/ });
    const offered = within(d.getByRole('listbox'))
      .getAllByRole('option')
      .map((o) => o.textContent);
    expect(picker.getAttribute('aria-activedescendant')).toBe(option.id);
    await userEvent.keyboard('{Enter}');
    await userEvent.selectOptions(d.getByLabelText('Level'), 'approver');
    fireEvent.change(d.getByLabelText('Access until (optional)'), { target: { value: '2027-03-31' } });
    await userEvent.click(d.getByRole('button', { name: 'Share' }));
    const fieldError = await waitFor(() => {
      const hint = document.getElementById(`${d.getByLabelText('Access until (optional)').id}-hint`);
      expect(hint?.textContent).toBe('Choose a time in the future.');
      return hint?.textContent;
    });
    await userEvent.click(d.getByRole('button', { name: 'Share' }));
    const notice = (await d.findByText(/^Shared with/)).textContent;
    await d.findByRole('row', { name: /Arun Accountant/ });
    await userEvent.selectOptions(d.getByLabelText('Level of Sofia Supervisor'), 'editor');
    await waitFor(() => expect(app.callsTo('sharing.update')).toHaveLength(1));
    await userEvent.click(d.getByRole('button', { name: 'Revoke access of Arun Accountant' }));
    await waitFor(() => expect(d.queryByRole('row', { name: /Arun Accountant/ })).toBeNull());
    expect({
      searches: app.callsTo('sharing.searchUsers').map((c) => c.input),
      offered,
      fieldError,
      grants: app.callsTo('sharing.grant').map((c) => c.input),
      notice,
      updated: app.callsTo('sharing.update').map((c) => c.input),
      revoked: app.callsTo('sharing.revoke').map((c) => c.input),
      after: d.getByText(/no longer has access/).textContent,
    }).toEqual({
      searches: [{ search: 'aru', limit: 8 }],
      offered: ['Arun Accountant arun@x.test'],
      fieldError: 'Choose a time in the future.',
      grants: Array(2).fill({
        subject: { type: 'goal', id: GOAL_ID },
        userId: arun.id,
        level: 'approver',
        expiresAt: new Date(2027, 2, 31, 23, 59, 59, 999),
      }),
      notice: 'Shared with Arun Accountant: can comment and approve until 31 Mar 2027.',
      updated: [{ grantId: grantOf(sofia).id, level: 'editor' }],
      revoked: [{ grantId: grantOf(arun).id }],
      after: 'Arun Accountant no longer has access.',
    });
  });

  it('asks for a person before sharing, and lists access that comes from the goal apart', async () => {
    const app = renderApp(`/budgets/${BUDGET_ID}`, {
      'auth.me': plainMe,
      'budgets.get': budget(),
      'comments.cells': [],
      'workflow.history': { budgetId: BUDGET_ID, state: 'draft', versionNumber: 1, items: [] },
      'sharing.list': {
        subject: { type: 'budget', id: BUDGET_ID, name: 'Operations 2027' },
        owner: { id: plainMe.id, name: plainMe.name },
        grants: [],
        inherited: [grantOf(arun, { level: 'approver', expiresAt: new Date('2027-06-30T12:00:00.000Z') })],
        levels: [...LEVELS],
      },
    });
    // The budget page loads the grid's chunk on first use: longer than a query under load.
    await userEvent.click(await screen.findByRole('button', { name: 'Share' }, { timeout: 10_000 }));
    const dialog = await screen.findByRole('dialog', { name: 'Share “Operations 2027”' });
    const d = within(dialog);
    const inherited = await d.findByRole('table', { name: 'Also with access through the goal' });
    await userEvent.click(d.getByRole('button', { name: 'Share' }));
    expect({
      missing: d.getByRole('alert').textContent,
      empty: d.getByText(/^Not shared/).textContent,
      inherited: within(inherited)
        .getAllByRole('row')
        .slice(1)
        .map((r) => r.textContent),
      calls: app.callsTo('sharing.grant'),
    }).toEqual({
      missing: 'Choose someone to share with.',
      empty: 'Not shared with anyone yet.',
      inherited: ['Arun Accountantarun@x.testApprover30 Jun 2027 the goal (change it there)'],
      calls: [],
    });
  });
});
