/**
 * The approval workflow's transition table: the single source for the API (workflow/service.ts
 * applies only what is here), the buttons the web app shows (it imports this module as
 * `@goalpost/api/workflow`; budget payloads also list the actions their caller may take now) and
 * the tests. Free of imports other than types, so the browser can load it.
 *
 * Each row: an action, the state it applies in, the state it leads to, and the right the policy
 * must grant the actor for it (policy/objects.ts answers who holds which right).
 *
 *   draft ──submit──▶ submitted ──start-review──▶ in_review ──approve──▶ approved ──final-approve──▶ final_approved
 *     ▲                 │  └──────────approve──────────────────────────────▲                              │
 *     │ recall ◀────────┘  send-back (submitted, in_review: level 1; approved: level 2)                    │ reopen
 *     │                              ▼                                                                      ▼
 *     └──revise── changes_requested                         new revision in draft (the old one stays, locked)
 *   cancel (admin): from draft, submitted, in_review, approved, changes_requested; reopen from cancelled.
 *
 * Decisions the table encodes:
 * - An approver may approve straight from submitted (starting the review is optional, and it is
 *   what ends the submitter's chance to recall).
 * - The supervisor may send back an approved budget (level 2 disagreeing with level 1).
 * - Sending back and cancelling need a reason; the others take an optional note.
 * - Reopening applies to a final-approved (or cancelled) version: it creates a new revision
 *   (budgets/service.ts newRevision: a copy with the same line keys) in draft, and the old version
 *   stays as it was, viewable and locked. An approved (level 1) version is not reopened: the
 *   supervisor sends it back instead.
 */
import type { WorkflowState } from '@goalpost/db';
import { type AccessFacts, decide, type ObjectAction, type PolicyActor } from '../policy/objects.ts';

export const WORKFLOW_ACTIONS = [
  'submit',
  'recall',
  'start-review',
  'approve',
  'send-back',
  'revise',
  'final-approve',
  'cancel',
  'reopen',
] as const;
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];

export type ReasonRule = 'required' | 'optional';

export interface Transition {
  action: WorkflowAction;
  from: WorkflowState;
  to: WorkflowState;
  /** The policy right the actor needs (policy/objects.ts). */
  right: ObjectAction;
  reason: ReasonRule;
  /** The event type written to the outbox (topic 'workflow'; see workflow/events.ts). */
  event: string;
  /** True for reopen: the move happens on a new revision, and the old version keeps its state. */
  newRevision?: true;
}

const row = (
  action: WorkflowAction,
  from: WorkflowState,
  to: WorkflowState,
  right: ObjectAction,
  event: string,
  extra: { reason?: ReasonRule; newRevision?: true } = {},
): Transition => ({ action, from, to, right, reason: extra.reason ?? 'optional', event, ...extra });

export const TRANSITIONS: readonly Transition[] = [
  row('submit', 'draft', 'submitted', 'submit', 'budget.submitted'),
  row('recall', 'submitted', 'draft', 'recall', 'budget.recalled'),
  row('start-review', 'submitted', 'in_review', 'approve', 'budget.review-started'),
  row('approve', 'submitted', 'approved', 'approve', 'budget.approved'),
  row('approve', 'in_review', 'approved', 'approve', 'budget.approved'),
  row('send-back', 'submitted', 'changes_requested', 'approve', 'budget.changes-requested', { reason: 'required' }),
  row('send-back', 'in_review', 'changes_requested', 'approve', 'budget.changes-requested', { reason: 'required' }),
  row('send-back', 'approved', 'changes_requested', 'final-approve', 'budget.changes-requested', {
    reason: 'required',
  }),
  row('revise', 'changes_requested', 'draft', 'submit', 'budget.revised'),
  row('final-approve', 'approved', 'final_approved', 'final-approve', 'budget.final-approved'),
  row('reopen', 'final_approved', 'draft', 'reopen', 'budget.reopened', { newRevision: true }),
  row('reopen', 'cancelled', 'draft', 'reopen', 'budget.reopened', { newRevision: true }),
  ...(['draft', 'submitted', 'in_review', 'approved', 'changes_requested'] as const).map((from) =>
    row('cancel', from, 'cancelled', 'cancel', 'budget.cancelled', { reason: 'required' }),
  ),
];

/** The row for `action` from `state`, if the action applies there. */
export function transitionFrom(state: WorkflowState, action: WorkflowAction): Transition | undefined {
  return TRANSITIONS.find((t) => t.from === state && t.action === action);
}

/** States from which `action` applies, for messages ("approve applies to submitted or in review budgets"). */
export function statesFor(action: WorkflowAction): WorkflowState[] {
  return TRANSITIONS.filter((t) => t.action === action).map((t) => t.from);
}

/** How a state reads in a sentence. */
export const STATE_LABELS: Record<WorkflowState, string> = {
  draft: 'draft',
  submitted: 'submitted',
  in_review: 'in review',
  approved: 'approved',
  final_approved: 'final approved',
  changes_requested: 'sent back for changes',
  cancelled: 'cancelled',
};

export const ACTION_LABELS: Record<WorkflowAction, string> = {
  submit: 'Submit for approval',
  recall: 'Recall',
  'start-review': 'Start review',
  approve: 'Approve',
  'send-back': 'Send back',
  revise: 'Revise',
  'final-approve': 'Final approve',
  cancel: 'Cancel',
  reopen: 'Reopen as a new revision',
};

export interface AvailableAction {
  action: WorkflowAction;
  to: WorkflowState;
  reason: ReasonRule;
  /** The approver the actor would act for, when they hold the right only as a delegate. */
  onBehalfOf: string | null;
}

/** The moves `actor` may make now on a budget in `state`: the buttons to show. */
export function availableActions(actor: PolicyActor, state: WorkflowState, facts: AccessFacts): AvailableAction[] {
  return TRANSITIONS.filter((t) => t.from === state).flatMap((t) => {
    const decision = decide(actor, t.right, facts);
    return decision.allowed ? [{ action: t.action, to: t.to, reason: t.reason, onBehalfOf: decision.onBehalfOf }] : [];
  });
}
