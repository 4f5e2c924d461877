/**
 * People, a budget and comment threads as the API returns them, for the component tests of
 * sharing, the workflow and comments. Typed by the router: a changed answer fails the typecheck.
 */
import type { BudgetDetail, Person, Thread } from '../trpc.ts';
import { plainMe } from './canned.tsx';

export const olga: Person = { id: '30000000-0000-4000-8000-000000000001', name: 'Olga Owner', email: 'olga@x.test' };
export const arun: Person = {
  id: '30000000-0000-4000-8000-000000000002',
  name: 'Arun Accountant',
  email: 'arun@x.test',
};
export const sofia: Person = {
  id: '30000000-0000-4000-8000-000000000003',
  name: 'Sofia Supervisor',
  email: 'sofia@x.test',
};

export const BUDGET_ID = '40000000-0000-4000-8000-000000000001';
export const GOAL_ID = '40000000-0000-4000-8000-000000000002';
export const RENT = '50000000-0000-4000-8000-000000000001';
export const TRAVEL = '50000000-0000-4000-8000-000000000002';
const PERIODS = ['2027-01-01', '2027-02-01', '2027-03-01'];

export const since = new Date('2027-02-01T09:00:00.000Z');

/** The budget of Olga (plainMe stands in for her unless a test signs in someone else) in `workflow`. */
export function budget(workflow: Partial<BudgetDetail['workflow']> = {}, changes: Partial<BudgetDetail> = {}) {
  const state = workflow.state ?? 'draft';
  const value: BudgetDetail = {
    id: BUDGET_ID,
    name: 'Operations 2027',
    goal: { id: GOAL_ID, name: 'Run the office', currency: 'EUR' },
    ownerId: plainMe.id,
    ownerName: plainMe.name,
    currency: 'EUR',
    digits: 2,
    fxRate: null,
    fxRateDate: null,
    granularity: 'monthly',
    periodStart: PERIODS[0]!,
    periodEnd: PERIODS[2]!,
    state,
    version: 3,
    currentVersionNumber: 1,
    versionNumber: 1,
    versions: [{ number: 1, state, lockedAt: null, createdAt: new Date('2027-01-05T09:00:00.000Z') }],
    permissions: {
      read: true,
      comment: true,
      edit: state === 'draft' || state === 'changes_requested',
      manage: true,
      share: true,
      submit: true,
      recall: true,
      approve: false,
      'final-approve': false,
      cancel: false,
      reopen: true,
    },
    workflow: { state, since, submittedBy: null, approvedBy: null, actions: [], ...workflow },
    updatedAt: since,
    periods: PERIODS,
    lines: [
      { key: RENT, category: 'Rent', description: null, notes: null, amounts: [2_000_00n, 2_000_00n, 4_000_00n] },
      { key: TRAVEL, category: 'Travel', description: 'Trains', notes: null, amounts: [450_00n, null, 450_00n] },
    ],
    ...changes,
  };
  return value;
}

/** A thread on Rent · Mar 2027 by Arun, mentioning Olga. */
export function thread(changes: Partial<Thread> = {}): Thread {
  return {
    id: '60000000-0000-4000-8000-000000000001',
    subject: { type: 'budget', id: BUDGET_ID },
    lineKey: RENT,
    period: '2027-03-01',
    status: 'open',
    versionNumber: 1,
    carried: false,
    lineExists: true,
    line: { category: 'Rent', description: null },
    createdBy: { id: arun.id, name: arun.name },
    createdAt: since,
    resolvedBy: null,
    resolvedAt: null,
    mentionsMe: true,
    comments: [
      {
        id: '60000000-0000-4000-8000-000000000011',
        author: { id: arun.id, name: arun.name },
        body: 'March is twice the lease, @Olga Owner please check.',
        mentions: [{ id: olga.id, name: olga.name }],
        createdAt: since,
      },
    ],
    ...changes,
  };
}
