/**
 * Who may do what to one goal, budget or forecast. The one decision function for objects: every
 * goals/budgets/forecasts/sharing/workflow/comments procedure asks `allows` (through `authorize`
 * in access.ts) and never decides by itself; lists use SQL that access.ts keeps in agreement with
 * it (a test checks that on generated cases). The facts it decides on are loaded in one query by
 * access.ts; this file is pure, so its whole matrix is tested without a database.
 *
 * Someone who may not read an object is told it does not exist (NOT_FOUND), so ids of other
 * people's objects are never confirmed; someone who may read it but not do this is FORBIDDEN.
 *
 * Who stands where:
 * - Owners. The object's owner, and the owners of what it belongs to (a budget's goal; a
 *   forecast's budget and goal), may do everything to it except approve it: read, comment, edit,
 *   manage (settings, moving, restoring history), share, submit, recall, reopen.
 * - Grants, on the object or on what it belongs to (a grant on a goal covers its budgets and
 *   forecasts; one on a budget covers its forecasts), while neither expired nor revoked:
 *   viewer reads; commenter reads and comments; editor reads, comments, edits and submits (levels
 *   are ordered viewer < commenter < editor, "commenter rights or more" includes editors);
 *   approver reads, comments and gives the first approval, but never edits.
 * - Accountants assigned to an owner (user_accountants), while they hold the accountant role,
 *   read that owner's goals, budgets and forecasts, comment on them and give budgets their first
 *   approval (level 1), like an approver grant on everything the owner has.
 * - The owner's supervisor (users.supervisor_id), while they hold the supervisor role, reads and
 *   comments the same way and gives the final approval (level 2). A supervisor does not give
 *   first approvals by being supervisor (an approver grant or an assignment as accountant does).
 * - Administrators look after everyone's data: they read, correct (edit, manage), share, and
 *   cancel a budget's workflow; they do not comment or approve as reviewers.
 * - Delegates. While an approver's delegation to them is in force, a delegate reads, comments on
 *   and approves whatever the approver may approve (at the approver's levels), on the approver's
 *   behalf. Only the approver's own standing passes: a delegate's delegations do not chain.
 * - Nobody approves their own budget: no owner (of the budget or its goal) approves or
 *   final-approves it, nor does whoever submitted the version, and the final approval needs
 *   someone other than the first approver. The same holds for delegates.
 * - Recall belongs to the owners and to whoever submitted the version.
 *
 * Which workflow action applies in which state is the transition table's (workflow/transitions.ts);
 * this file answers who holds the right the table asks for.
 */
import type { GrantLevel, RoleKey } from '@goalpost/db';

export const OBJECT_ACTIONS = [
  'read',
  'comment',
  'edit',
  'manage',
  'share',
  'submit',
  'recall',
  'approve',
  'final-approve',
  'cancel',
  'reopen',
] as const;
/**
 * read: see it and its history; comment: cell comments; edit: change its cells and lines;
 * manage: its settings, moving it, archiving, restoring history; share: grant and revoke access.
 * Budgets only: submit (and revise after changes were requested), recall, approve (level 1: also
 * start the review and send back), final-approve (level 2: also send back from approved), cancel,
 * reopen (a new revision after the final approval or a cancellation).
 */
export type ObjectAction = (typeof OBJECT_ACTIONS)[number];

export const SUBJECT_TYPES = ['goal', 'budget', 'forecast'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

/** What a person holds on an object in their own right (no delegation). */
export interface Standing {
  /** The object's owner. */
  ownerId: string;
  /** Owners of what the object belongs to: a budget's goal owner; a forecast's budget and goal owners. */
  holderIds: readonly string[];
  /** Live grants (not expired, not revoked) on the object or what it belongs to, and where each is. */
  grants: readonly { level: GrantLevel; on: SubjectType }[];
  /** Assigned as accountant to the owner or a holder (counts only with the accountant role). */
  accountant: boolean;
  /** Supervisor of the owner or a holder (counts only with the supervisor role). */
  supervisor: boolean;
}

export interface AccessFacts extends Standing {
  /** The budget's current version in the workflow; null for goals and forecasts. */
  workflow: {
    submittedById: string | null;
    approvedById: string | null;
  } | null;
  /** Approvers whose delegation to the actor is in force now, with their own standing here. */
  delegations: readonly { approverId: string; roles: readonly RoleKey[]; standing: Standing }[];
}

export interface PolicyActor {
  id: string;
  roles: readonly RoleKey[];
}

const LEVEL_RIGHTS: Record<GrantLevel, readonly ObjectAction[]> = {
  viewer: ['read'],
  commenter: ['read', 'comment'],
  editor: ['read', 'comment', 'edit', 'submit'],
  approver: ['read', 'comment', 'approve'],
};

const HOLDER_RIGHTS: readonly ObjectAction[] = [
  'read',
  'comment',
  'edit',
  'manage',
  'share',
  'submit',
  'recall',
  'reopen',
];
const ADMIN_RIGHTS: readonly ObjectAction[] = ['read', 'edit', 'manage', 'share', 'cancel'];
const ACCOUNTANT_RIGHTS: readonly ObjectAction[] = ['read', 'comment', 'approve'];
const SUPERVISOR_RIGHTS: readonly ObjectAction[] = ['read', 'comment', 'final-approve'];
const WORKFLOW_ACTIONS: readonly ObjectAction[] = ['submit', 'recall', 'approve', 'final-approve', 'cancel', 'reopen'];

/** Why a person may not do something they otherwise would: the answer names it. */
export type Bar = 'own-budget' | 'own-submission' | 'first-approver';

/** The rights someone holds in their own right, before the bars on approving. */
function ownRights(actor: PolicyActor, facts: Standing): Set<ObjectAction> {
  const rights = new Set<ObjectAction>();
  const add = (list: readonly ObjectAction[]) => {
    for (const right of list) rights.add(right);
  };
  if (facts.ownerId === actor.id || facts.holderIds.includes(actor.id)) add(HOLDER_RIGHTS);
  if (actor.roles.includes('admin')) add(ADMIN_RIGHTS);
  for (const grant of facts.grants) add(LEVEL_RIGHTS[grant.level]);
  if (facts.accountant && actor.roles.includes('accountant')) add(ACCOUNTANT_RIGHTS);
  if (facts.supervisor && actor.roles.includes('supervisor')) add(SUPERVISOR_RIGHTS);
  return rights;
}

/** The bar that stops `actor` approving at this level, if any. */
export function approvalBar(
  actor: { id: string },
  action: 'approve' | 'final-approve',
  facts: AccessFacts,
): Bar | null {
  if (facts.ownerId === actor.id || facts.holderIds.includes(actor.id)) return 'own-budget';
  if (facts.workflow?.submittedById === actor.id) return 'own-submission';
  if (action === 'final-approve' && facts.workflow?.approvedById === actor.id) return 'first-approver';
  return null;
}

export interface Decision {
  allowed: boolean;
  /** Set when the right is held through a delegation only: the approver acted for. */
  onBehalfOf: string | null;
  /** Set when a bar on approving is what refuses it. */
  bar: Bar | null;
}

/** The decision with its reasons: whose behalf, or which bar. `allows` is its yes/no. */
export function decide(actor: PolicyActor, action: ObjectAction, facts: AccessFacts): Decision {
  const refused = (bar: Bar | null = null): Decision => ({ allowed: false, onBehalfOf: null, bar });
  if (WORKFLOW_ACTIONS.includes(action) && !facts.workflow) return refused();
  const own = ownRights(actor, facts);
  if (action === 'recall') {
    return own.has('recall') || (facts.workflow?.submittedById === actor.id && own.has('submit'))
      ? { allowed: true, onBehalfOf: null, bar: null }
      : refused();
  }
  if (action === 'approve' || action === 'final-approve') {
    const bar = approvalBar(actor, action, facts);
    // Owners are told why whether or not they would otherwise approve.
    if (bar === 'own-budget') return refused(bar);
    if (own.has(action)) return bar ? refused(bar) : { allowed: true, onBehalfOf: null, bar: null };
    const via = facts.delegations.find((d) => ownRights({ id: d.approverId, roles: d.roles }, d.standing).has(action));
    if (!via) return refused();
    return bar ? refused(bar) : { allowed: true, onBehalfOf: via.approverId, bar: null };
  }
  if (own.has(action)) return { allowed: true, onBehalfOf: null, bar: null };
  // A delegate reads and comments on the budgets they may approve for someone, and nothing else.
  if ((action === 'read' || action === 'comment') && delegatingApprovers(facts).length) {
    return { allowed: true, onBehalfOf: null, bar: null };
  }
  return refused();
}

/** The approvers whose delegation gives the actor this budget's approvals (at either level). */
export function delegatingApprovers(facts: AccessFacts): string[] {
  if (!facts.workflow) return [];
  return facts.delegations
    .filter((d) => {
      const rights = ownRights({ id: d.approverId, roles: d.roles }, d.standing);
      return rights.has('approve') || rights.has('final-approve');
    })
    .map((d) => d.approverId);
}

export function allows(actor: PolicyActor, action: ObjectAction, facts: AccessFacts): boolean {
  return decide(actor, action, facts).allowed;
}
