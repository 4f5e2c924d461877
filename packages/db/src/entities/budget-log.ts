import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Budget } from './budget.ts';
import { createdStamp } from './columns.ts';
import { Forecast } from './forecast.ts';
import { Import } from './import.ts';
import { tenant } from './organisation.ts';
import { User } from './user.ts';

/**
 * Append-only history of budgets: field edits, cell edits (line key + period, old -> new) and
 * workflow moves. The largest table by far (see the brief), hence the narrow indexes.
 */
export const BudgetLog = defineEntity({
  name: 'BudgetLog',
  tableName: 'budget_log',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    org: tenant,
    budget: () => p.manyToOne(Budget).deleteRule('cascade'),
    versionNumber: p.integer().nullable(),
    lineKey: p.uuid().nullable(),
    period: p.date().nullable(),
    actor: () => p.manyToOne(User).deleteRule('restrict'),
    /** Set when the actor acted as a delegate: the approver they acted for. */
    onBehalfOf: () => p.manyToOne(User).nullable().deleteRule('restrict'),
    action: p.string().length(40),
    field: p.string().length(60).nullable(),
    oldValue: p.json<unknown>().nullable(),
    newValue: p.json<unknown>().nullable(),
    reason: p.text().nullable(),
    /** Set for changes to one of the budget's forecasts (its cells live there). */
    forecast: () => p.manyToOne(Forecast).nullable().deleteRule('cascade'),
    /** Set for changes an import made. */
    import: () => p.manyToOne(Import).nullable().deleteRule('set null'),
    /** The request (or job) that made the change, as in the logs. */
    traceId: p.string().length(64).nullable(),
    at: createdStamp(),
  },
  indexes: [
    { name: 'budget_log_budget_at_idx', properties: ['budget', 'at'] },
    // A cell's history.
    { name: 'budget_log_cell_idx', properties: ['budget', 'lineKey', 'period'] },
  ],
});
export type BudgetLog = InferEntity<typeof BudgetLog>;
