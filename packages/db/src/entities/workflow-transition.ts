import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Budget, BudgetVersion, WORKFLOW_STATES } from './budget.ts';
import { createdStamp, uuidKey } from './columns.ts';
import { tenant } from './organisation.ts';
import { User } from './user.ts';

/** One move of a budget version through the approval workflow. */
export const WorkflowTransition = defineEntity({
  name: 'WorkflowTransition',
  tableName: 'workflow_transitions',
  properties: {
    id: uuidKey(),
    org: tenant,
    budget: () => p.manyToOne(Budget).deleteRule('cascade'),
    budgetVersion: () => p.manyToOne(BudgetVersion).deleteRule('cascade'),
    fromState: p.enum(WORKFLOW_STATES),
    toState: p.enum(WORKFLOW_STATES),
    /** The transition's name in the workflow table (submit, approve, send-back…). */
    action: p.string().length(40),
    actor: () => p.manyToOne(User).deleteRule('restrict'),
    /** Set when the actor acted as a delegate: the approver whose approvals they hold. */
    onBehalfOf: () => p.manyToOne(User).nullable().deleteRule('restrict'),
    reason: p.text().nullable(),
    at: createdStamp(),
  },
  indexes: [
    { name: 'workflow_transitions_budget_at_idx', properties: ['budget', 'at'] },
    { name: 'workflow_transitions_version_idx', properties: ['budgetVersion'] },
  ],
});
export type WorkflowTransition = InferEntity<typeof WorkflowTransition>;
