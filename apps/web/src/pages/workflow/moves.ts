/**
 * Words for the approval workflow's moves. Which moves exist, from which state, and whether they
 * need a reason is the transition table's (`@goalpost/api/workflow`, the API's own); this module
 * only says what each does to a person, and how a past move reads in a history.
 */
import { ACTION_LABELS, type WorkflowAction } from '@goalpost/api/workflow';

export { ACTION_LABELS, type WorkflowAction };

/** What happens when the person confirms, shown in the dialog before the move. */
export const ACTION_EFFECTS: Record<WorkflowAction, string> = {
  submit: 'The budget goes to its approvers and becomes read-only for you until it is sent back or you recall it.',
  recall: 'The budget comes back to draft, out of the approvers’ inboxes, and you can edit it again.',
  'start-review': 'The owner sees that you are reviewing it, and can no longer recall it.',
  approve: 'The budget gets its first approval and waits for the final approval.',
  'send-back': 'The owner can edit the budget again. Say what needs to change: they will read it.',
  revise: 'The budget goes back to draft so it can be changed and submitted again.',
  'final-approve': 'This revision is locked for good. Later changes need a new revision.',
  cancel: 'The budget leaves the workflow. Its owner can reopen it as a new revision.',
  reopen: 'A new revision starts as a draft copy of this one; this revision stays locked and viewable.',
};

/** A past move as the start of a sentence ("Sent back for changes"). */
export const ACTION_DONE: Record<WorkflowAction, string> = {
  submit: 'Submitted for approval',
  recall: 'Recalled',
  'start-review': 'Started the review',
  approve: 'Approved',
  'send-back': 'Sent back for changes',
  revise: 'Took it back to draft to revise',
  'final-approve': 'Gave the final approval',
  cancel: 'Cancelled',
  reopen: 'Reopened as a new revision',
};

/** "by Ana on behalf of Sam": a delegate's act always names whom they acted for. */
export function byWhom(actorName: string, onBehalfOfName: string | null | undefined): string {
  return onBehalfOfName ? `by ${actorName} on behalf of ${onBehalfOfName}` : `by ${actorName}`;
}

export function isWorkflowAction(action: string): action is WorkflowAction {
  return action in ACTION_LABELS;
}
