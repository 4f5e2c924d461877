/**
 * The object policy's whole matrix, without a database: for each kind of person (their roles and
 * the facts access.ts would load for them), every action it allows on a budget, a goal and a
 * forecast. One `toEqual` per object kind, so a failure shows the whole table. The header of
 * objects.ts says in words what these tables say in data.
 */
import { describe, expect, it } from 'vitest';
import { type AccessFacts, allows, decide, OBJECT_ACTIONS, type PolicyActor } from './objects.ts';

type Case = { actor: PolicyActor; facts?: Partial<AccessFacts> };

const base: AccessFacts = {
  ownerId: 'owner',
  holderIds: ['goal-owner'],
  grants: [],
  accountant: false,
  supervisor: false,
  workflow: { submittedById: 'owner', approvedById: null },
  delegations: [],
};
const user = (id: string, ...roles: PolicyActor['roles'][number][]): PolicyActor => ({
  id,
  roles: roles.length ? roles : ['user'],
});
const noStanding = { ownerId: 'owner', holderIds: ['goal-owner'], grants: [], accountant: false, supervisor: false };

const CASES: Record<string, Case> = {
  owner: { actor: user('owner') },
  'owner of the goal': { actor: user('goal-owner') },
  'viewer (grant on the goal)': { actor: user('v'), facts: { grants: [{ level: 'viewer', on: 'goal' }] } },
  'commenter (grant on the budget)': { actor: user('c'), facts: { grants: [{ level: 'commenter', on: 'budget' }] } },
  'editor (grant on the goal)': { actor: user('e'), facts: { grants: [{ level: 'editor', on: 'goal' }] } },
  'approver (grant on the budget)': { actor: user('a'), facts: { grants: [{ level: 'approver', on: 'budget' }] } },
  'viewer and approver': {
    actor: user('va'),
    facts: {
      grants: [
        { level: 'viewer', on: 'goal' },
        { level: 'approver', on: 'budget' },
      ],
    },
  },
  'accountant of the owner': { actor: user('acc', 'user', 'accountant'), facts: { accountant: true } },
  'assigned accountant without the role': { actor: user('acc2'), facts: { accountant: true } },
  'accountant role, not assigned': { actor: user('acc3', 'accountant') },
  "owner's supervisor": { actor: user('sup', 'supervisor'), facts: { supervisor: true } },
  'supervisor role, not theirs': { actor: user('sup2', 'supervisor') },
  admin: { actor: user('adm', 'admin') },
  unrelated: { actor: user('x') },
  "delegate of the owner's accountant": {
    actor: user('d1'),
    facts: {
      delegations: [{ approverId: 'acc', roles: ['accountant'], standing: { ...noStanding, accountant: true } }],
    },
  },
  "delegate of the owner's supervisor": {
    actor: user('d2'),
    facts: {
      delegations: [{ approverId: 'sup', roles: ['supervisor'], standing: { ...noStanding, supervisor: true } }],
    },
  },
  'delegate of a viewer': {
    actor: user('d3'),
    facts: {
      delegations: [
        { approverId: 'v', roles: ['user'], standing: { ...noStanding, grants: [{ level: 'viewer', on: 'goal' }] } },
      ],
    },
  },
  'delegate of someone whose role lapsed': {
    actor: user('d4'),
    facts: { delegations: [{ approverId: 'acc2', roles: ['user'], standing: { ...noStanding, accountant: true } }] },
  },
  'the owner, as delegate of their accountant': {
    actor: user('owner'),
    facts: {
      delegations: [{ approverId: 'acc', roles: ['accountant'], standing: { ...noStanding, accountant: true } }],
    },
  },
  'accountant and editor who submitted the version': {
    actor: user('acc-ed', 'accountant'),
    facts: {
      accountant: true,
      grants: [{ level: 'editor', on: 'goal' }],
      workflow: { submittedById: 'acc-ed', approvedById: null },
    },
  },
  'supervisor who gave the first approval': {
    actor: user('sup-ap', 'supervisor'),
    facts: {
      supervisor: true,
      grants: [{ level: 'approver', on: 'goal' }],
      workflow: { submittedById: 'owner', approvedById: 'sup-ap' },
    },
  },
  'editor who did not submit': {
    actor: user('e2'),
    facts: { grants: [{ level: 'editor', on: 'budget' }], workflow: { submittedById: 'owner', approvedById: null } },
  },
};

/** The allowed actions for every case, on an object with the given shape. */
function matrix(shape: Partial<AccessFacts>) {
  return Object.fromEntries(
    Object.entries(CASES).map(([name, { actor, facts }]) => [
      name,
      OBJECT_ACTIONS.filter((action) => allows(actor, action, { ...base, ...facts, ...shape })).join(' '),
    ]),
  );
}

describe('the object policy', () => {
  it('decides every action on a budget for every kind of person', () => {
    expect(matrix({})).toEqual({
      owner: 'read comment edit manage share submit recall reopen',
      'owner of the goal': 'read comment edit manage share submit recall reopen',
      'viewer (grant on the goal)': 'read',
      'commenter (grant on the budget)': 'read comment',
      'editor (grant on the goal)': 'read comment edit submit',
      'approver (grant on the budget)': 'read comment approve',
      'viewer and approver': 'read comment approve',
      'accountant of the owner': 'read comment approve',
      'assigned accountant without the role': '',
      'accountant role, not assigned': '',
      "owner's supervisor": 'read comment final-approve',
      'supervisor role, not theirs': '',
      admin: 'read edit manage share cancel',
      unrelated: '',
      "delegate of the owner's accountant": 'read comment approve',
      "delegate of the owner's supervisor": 'read comment final-approve',
      'delegate of a viewer': '',
      'delegate of someone whose role lapsed': '',
      'the owner, as delegate of their accountant': 'read comment edit manage share submit recall reopen',
      'accountant and editor who submitted the version': 'read comment edit submit recall',
      'supervisor who gave the first approval': 'read comment approve',
      'editor who did not submit': 'read comment edit submit',
    });
  });

  it('gives goals and forecasts no workflow actions, and delegates nothing there', () => {
    const onGoal = matrix({ workflow: null, holderIds: [] });
    expect(onGoal).toEqual({
      owner: 'read comment edit manage share',
      'owner of the goal': '',
      'viewer (grant on the goal)': 'read',
      'commenter (grant on the budget)': 'read comment',
      'editor (grant on the goal)': 'read comment edit',
      'approver (grant on the budget)': 'read comment',
      'viewer and approver': 'read comment',
      'accountant of the owner': 'read comment',
      'assigned accountant without the role': '',
      'accountant role, not assigned': '',
      "owner's supervisor": 'read comment',
      'supervisor role, not theirs': '',
      admin: 'read edit manage share',
      unrelated: '',
      "delegate of the owner's accountant": '',
      "delegate of the owner's supervisor": '',
      'delegate of a viewer': '',
      'delegate of someone whose role lapsed': '',
      'the owner, as delegate of their accountant': 'read comment edit manage share',
      'accountant and editor who submitted the version': 'read comment edit',
      'supervisor who gave the first approval': 'read comment',
      'editor who did not submit': 'read comment edit',
    });
  });

  it('says whose behalf a delegate acts on, and which bar refuses a self-approval', () => {
    const outcome = (name: string, action: 'approve' | 'final-approve') => {
      const { actor, facts } = CASES[name]!;
      return decide(actor, action, { ...base, ...facts });
    };
    expect({
      ownRight: outcome('accountant of the owner', 'approve'),
      delegated: outcome("delegate of the owner's accountant", 'approve'),
      delegatedFinal: outcome("delegate of the owner's supervisor", 'final-approve'),
      owner: outcome('the owner, as delegate of their accountant', 'approve'),
      submitter: outcome('accountant and editor who submitted the version', 'approve'),
      firstApprover: outcome('supervisor who gave the first approval', 'final-approve'),
      noRight: outcome('viewer (grant on the goal)', 'approve'),
    }).toEqual({
      ownRight: { allowed: true, onBehalfOf: null, bar: null },
      delegated: { allowed: true, onBehalfOf: 'acc', bar: null },
      delegatedFinal: { allowed: true, onBehalfOf: 'sup', bar: null },
      owner: { allowed: false, onBehalfOf: null, bar: 'own-budget' },
      submitter: { allowed: false, onBehalfOf: null, bar: 'own-submission' },
      firstApprover: { allowed: false, onBehalfOf: null, bar: 'first-approver' },
      noRight: { allowed: false, onBehalfOf: null, bar: null },
    });
  });

  it('never passes a delegate’s delegations on: the approver’s own standing is all that counts', () => {
    // d1 holds the accountant's approvals; someone d1 "delegates" to would only see d1's own
    // standing (nothing), which is how access.ts loads it: delegators' standing has no delegations.
    const chained = decide(user('e'), 'approve', {
      ...base,
      delegations: [{ approverId: 'd1', roles: ['user'], standing: noStanding }],
    });
    expect(chained).toEqual({ allowed: false, onBehalfOf: null, bar: null });
  });
});
