import { WORKFLOW_STATES } from '@goalpost/db';
import { z } from 'zod';
import { TRANSITIONS, WORKFLOW_ACTIONS } from './transitions.ts';

const state = z.enum(WORKFLOW_STATES, { error: `Use one of: ${WORKFLOW_STATES.join(', ')}.` });
const action = z.enum(WORKFLOW_ACTIONS, { error: `Use one of: ${WORKFLOW_ACTIONS.join(', ')}.` });
const reason = z.string().trim().max(2000, 'Use at most 2,000 characters.');

/** Actions whose every row in the table needs a reason (send-back, cancel). */
const NEEDS_REASON = new Set(
  WORKFLOW_ACTIONS.filter((a) => TRANSITIONS.filter((t) => t.action === a).every((t) => t.reason === 'required')),
);

function requireReason(
  value: { action: (typeof WORKFLOW_ACTIONS)[number]; reason?: string | undefined },
  ctx: z.RefinementCtx,
) {
  if (NEEDS_REASON.has(value.action) && !value.reason) {
    ctx.addIssue({
      code: 'custom',
      path: ['reason'],
      message:
        value.action === 'cancel'
          ? 'Say why the budget is cancelled; its owner will read it.'
          : 'Say what needs to change; the owner will read it.',
    });
  }
}

/**
 * One move of a budget through the workflow. `expectedState` is the state the person saw: if the
 * budget has moved on meanwhile the answer is CONFLICT, so nobody acts on a state they never saw.
 */
export const transitionInput = z
  .object({ budgetId: z.uuid(), action, expectedState: state, reason: reason.optional() })
  .superRefine(requireReason);

/** The same move on several budgets, each in its own transaction (the inbox's "approve selected"). */
export const bulkInput = z
  .object({
    action,
    items: z
      .array(z.object({ budgetId: z.uuid(), expectedState: state }))
      .min(1, 'Pick at least one budget.')
      .max(100, 'Act on at most 100 budgets at once.'),
    reason: reason.optional(),
  })
  .superRefine(requireReason);

export const inboxInput = z.object({
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});

export const historyInput = z.object({ budgetId: z.uuid() });
export const goalHistoryInput = z.object({ goalId: z.uuid() });

export const delegateInput = z
  .object({
    delegateId: z.uuid(),
    startsAt: z.date({ error: 'Give the start as a date and time.' }),
    endsAt: z.date({ error: 'Give the end as a date and time.' }),
    /** Whose approvals: the caller's own when left out; someone else's for an admin. */
    approverId: z.uuid().optional(),
  })
  .refine((d) => d.endsAt > d.startsAt, { path: ['endsAt'], message: 'The end must come after the start.' });

export const delegationsInput = z.object({
  /** An admin may look at someone else's delegations. */
  userId: z.uuid().optional(),
});

export const delegationId = z.object({ delegationId: z.uuid() });
