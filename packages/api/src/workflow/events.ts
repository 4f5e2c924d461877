/**
 * The events the approval workflow writes to the outbox (outbox/service.ts `emit`), in the
 * transaction of the move itself. The notifications work consumes them; their shape is a contract,
 * so change it only by adding fields.
 *
 * Topic 'workflow', key = the budget id, one event per transition. `type` is the transition's
 * event in the table (workflow/transitions.ts):
 *   budget.submitted, budget.recalled, budget.review-started, budget.approved,
 *   budget.changes-requested, budget.revised, budget.final-approved, budget.reopened, budget.cancelled
 * payload (WorkflowEventPayload):
 *   { transitionId, budgetId, budgetName, goalId, goalName, versionNumber,   // reopen: the new revision's number
 *     action, from, to,                                                    // table names and WORKFLOW_STATES
 *     actorId, onBehalfOfId,                                               // onBehalfOfId: set when a delegate acted
 *     reason,                                                              // null when none was given
 *     at,                                                                  // ISO time of the move
 *     ownerId,                                                             // the budget's owner
 *     recipients: { owners, approvers, finalApprovers },                   // user ids, after the move:
 *       owners: the budget's and its goal's owners;
 *       approvers: who may give the first approval (approver grants, the owners' accountants, or
 *         their delegates while a delegation is in force), nobody barred from approving it;
 *       finalApprovers: likewise for the final approval (the owners' supervisor, or a delegate);
 *     notify }                                                             // the ids this event is for, never the actor:
 *       submitted, recalled → approvers; review-started, final-approved → owners; changes-requested → owners
 *       and whoever submitted the version;
 *       approved → owners and finalApprovers; cancelled → owners, approvers, finalApprovers;
 *       revised, reopened → nobody.
 *
 * Also on topic 'workflow', key = the approver's id:
 *   delegation.created, delegation.ended — DelegationEventPayload
 *   { delegationId, approverId, delegateId, startsAt, endsAt, createdById, actorId }  (times as ISO strings)
 *
 * The other domains' events are described beside their code: comments/events.ts (topic 'comments')
 * and sharing/events.ts (topic 'sharing').
 */
import type { WorkflowState } from '@goalpost/db';
import type { ServiceContext } from '../context.ts';
import { loadFacts, peopleWithStanding } from '../policy/access.ts';
import { decide } from '../policy/objects.ts';
import type { WorkflowAction } from './transitions.ts';

export interface WorkflowEventPayload {
  transitionId: string;
  budgetId: string;
  budgetName: string;
  goalId: string;
  goalName: string;
  versionNumber: number;
  action: WorkflowAction;
  from: WorkflowState;
  to: WorkflowState;
  actorId: string;
  onBehalfOfId: string | null;
  reason: string | null;
  at: string;
  ownerId: string;
  recipients: Recipients;
  notify: string[];
}

export interface DelegationEventPayload {
  delegationId: string;
  approverId: string;
  delegateId: string;
  startsAt: string;
  endsAt: string;
  createdById: string;
  actorId: string;
}

export interface Recipients {
  owners: string[];
  approvers: string[];
  finalApprovers: string[];
}

/** Who stands where on the budget now, decided person by person with the policy. */
export async function recipientsOf(ctx: ServiceContext, budgetId: string): Promise<Recipients> {
  const people = await peopleWithStanding(ctx, 'budget', budgetId);
  const facts = (await loadFacts(ctx, 'budget', [budgetId], people)).get(budgetId) ?? new Map();
  const recipients: Recipients = { owners: [], approvers: [], finalApprovers: [] };
  for (const [id, { facts: f, roles }] of facts) {
    const person = { id, roles };
    if (f.ownerId === id || f.holderIds.includes(id)) recipients.owners.push(id);
    if (decide(person, 'approve', f).allowed) recipients.approvers.push(id);
    if (decide(person, 'final-approve', f).allowed) recipients.finalApprovers.push(id);
  }
  return recipients;
}

const AUDIENCE: Record<WorkflowAction, (keyof Recipients)[]> = {
  submit: ['approvers'],
  recall: ['approvers'],
  'start-review': ['owners'],
  approve: ['owners', 'finalApprovers'],
  'send-back': ['owners'],
  revise: [],
  'final-approve': ['owners'],
  cancel: ['owners', 'approvers', 'finalApprovers'],
  reopen: [],
};

/** The people an event of `action` is for, without whoever acted. */
export function audienceOf(action: WorkflowAction, recipients: Recipients, actorId: string): string[] {
  const ids = new Set(AUDIENCE[action].flatMap((group) => recipients[group]));
  ids.delete(actorId);
  return [...ids];
}
