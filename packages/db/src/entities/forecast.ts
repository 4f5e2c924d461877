import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Budget } from './budget.ts';
import { createdStamp, updatedStamp, uuidKey } from './columns.ts';
import { tenant } from './organisation.ts';
import { User } from './user.ts';

/** A forecast of one budget: expected and actual amounts per line and period. */
export const Forecast = defineEntity({
  name: 'Forecast',
  tableName: 'forecasts',
  properties: {
    id: uuidKey(),
    org: tenant,
    budget: () => p.manyToOne(Budget).deleteRule('cascade'),
    owner: () => p.manyToOne(User).deleteRule('restrict'),
    name: p.string().length(200),
    version: p.integer().version(),
    createdAt: createdStamp(),
    updatedAt: updatedStamp(),
  },
  indexes: [
    { name: 'forecasts_budget_idx', properties: ['budget'] },
    // forecasts.list finds the forecasts a person owns (or owns as accountant or supervisor) by owner.
    { name: 'forecasts_owner_idx', properties: ['org', 'owner'] },
  ],
});
export type Forecast = InferEntity<typeof Forecast>;

export const ForecastLine = defineEntity({
  name: 'ForecastLine',
  tableName: 'forecast_lines',
  properties: {
    id: uuidKey(),
    org: tenant,
    forecast: () => p.manyToOne(Forecast).deleteRule('cascade'),
    /** The budget line this forecasts; null for a line that exists only in the forecast. */
    budgetLineKey: p.uuid().nullable(),
    position: p.integer(),
    category: p.string().length(200),
    description: p.string().length(500).nullable(),
  },
  indexes: [{ name: 'forecast_lines_forecast_position_idx', properties: ['forecast', 'position'] }],
});
export type ForecastLine = InferEntity<typeof ForecastLine>;

export const ForecastAmount = defineEntity({
  name: 'ForecastAmount',
  tableName: 'forecast_amounts',
  properties: {
    line: () => p.manyToOne(ForecastLine).primary().deleteRule('cascade'),
    period: p.date().primary(),
    org: tenant,
    forecastMinor: p.bigint('bigint').nullable(),
    actualMinor: p.bigint('bigint').nullable(),
  },
});
export type ForecastAmount = InferEntity<typeof ForecastAmount>;
