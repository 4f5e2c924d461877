import { randomUUID } from 'node:crypto';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdStamp, updatedStamp, uuidKey } from './columns.ts';
import { Goal } from './goal.ts';
import { tenant } from './organisation.ts';
import { User } from './user.ts';

export const BUDGET_GRANULARITIES = ['monthly', 'quarterly'] as const;
export const WORKFLOW_STATES = [
  'draft',
  'submitted',
  'in_review',
  'approved',
  'final_approved',
  'changes_requested',
  'cancelled',
] as const;
export type WorkflowState = (typeof WORKFLOW_STATES)[number];

/** A budget belongs to exactly one goal: goal_id is NOT NULL and the API never lets it go. */
export const Budget = defineEntity({
  name: 'Budget',
  tableName: 'budgets',
  properties: {
    id: uuidKey(),
    org: tenant,
    goal: () => p.manyToOne(Goal).deleteRule('restrict'),
    owner: () => p.manyToOne(User).deleteRule('restrict'),
    name: p.string().length(200),
    currency: p.string().length(3),
    periodStart: p.date(),
    periodEnd: p.date(),
    granularity: p.enum(BUDGET_GRANULARITIES).default('monthly'),
    /**
     * When the budget's currency differs from its goal's: units of the goal's currency per unit
     * of the budget's, entered by the owner (no live feed), with the date it is valid for.
     */
    fxRate: p.decimal('string').precision(20).scale(10).nullable(),
    fxRateDate: p.date().nullable(),
    /** The workflow state of the current version, denormalised for inbox and list queries. */
    state: p.enum(WORKFLOW_STATES).default('draft'),
    /** When `state` was entered (null: at creation), for "waiting since" in approval inboxes. */
    stateChangedAt: p.datetime().nullable(),
    currentVersionNumber: p.integer().default(1),
    /** Optimistic lock for edits from the grid. */
    version: p.integer().version(),
    createdAt: createdStamp(),
    updatedAt: updatedStamp(),
  },
  indexes: [
    { name: 'budgets_goal_idx', properties: ['goal'] },
    { name: 'budgets_owner_idx', properties: ['org', 'owner'] },
    // Approval inboxes list budgets waiting in a state.
    { name: 'budgets_state_idx', properties: ['org', 'state'] },
  ],
  checks: [
    { name: 'budgets_period_order', expression: 'period_end >= period_start' },
    { name: 'budgets_fx_rate_positive', expression: 'fx_rate is null or fx_rate > 0' },
  ],
});
export type Budget = InferEntity<typeof Budget>;

/** One revision of a budget. A final-approved version is locked; reopening copies it. */
export const BudgetVersion = defineEntity({
  name: 'BudgetVersion',
  tableName: 'budget_versions',
  properties: {
    id: uuidKey(),
    org: tenant,
    budget: () => p.manyToOne(Budget).deleteRule('cascade'),
    number: p.integer(),
    state: p.enum(WORKFLOW_STATES).default('draft'),
    copiedFrom: () => p.manyToOne(BudgetVersion).nullable().deleteRule('set null'),
    lockedAt: p.datetime().nullable(),
    /**
     * Who last submitted this version and who gave its first-level approval: nobody approves a
     * version they submitted, and the final approval needs someone other than the first.
     */
    submittedBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    approvedBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    createdBy: () => p.manyToOne(User).deleteRule('restrict'),
    createdAt: createdStamp(),
  },
  uniques: [{ name: 'budget_versions_budget_number_unique', properties: ['budget', 'number'] }],
});
export type BudgetVersion = InferEntity<typeof BudgetVersion>;

/**
 * A row of the grid. `key` is stable across revisions (a new version copies it), so comments and
 * history follow a line from one revision to the next; `position` is only the display order.
 */
export const BudgetLine = defineEntity({
  name: 'BudgetLine',
  tableName: 'budget_lines',
  properties: {
    id: uuidKey(),
    org: tenant,
    version: () => p.manyToOne(BudgetVersion).deleteRule('cascade'),
    key: p.uuid().onCreate(() => randomUUID()),
    position: p.integer(),
    category: p.string().length(200),
    description: p.string().length(500).nullable(),
    notes: p.text().nullable(),
  },
  indexes: [{ name: 'budget_lines_version_position_idx', properties: ['version', 'position'] }],
  uniques: [{ name: 'budget_lines_version_key_unique', properties: ['version', 'key'] }],
});
export type BudgetLine = InferEntity<typeof BudgetLine>;

/** One cell: the amount of a line in one period (the period's first day), in minor units. */
export const BudgetAmount = defineEntity({
  name: 'BudgetAmount',
  tableName: 'budget_amounts',
  properties: {
    line: () => p.manyToOne(BudgetLine).primary().deleteRule('cascade'),
    period: p.date().primary(),
    org: tenant,
    amountMinor: p.bigint('bigint'),
  },
});
export type BudgetAmount = InferEntity<typeof BudgetAmount>;
