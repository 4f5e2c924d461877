import type { TRPCRouterRecord } from '@trpc/server';
import { authedProcedure } from '../trpc.ts';
import * as schema from './schema.ts';
import * as service from './service.ts';

/** Access to each forecast is decided per object in policy/ (service calls `authorize`). */
export const forecastsRouter = {
  list: authedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/forecasts',
        tags: ['Forecasts'],
        protect: true,
        summary: 'List forecasts',
        description:
          "Every forecast the token's person can read, a page at a time: their own, those of their budgets and goals, and those shared with them on their own or through their budget or goal. Each with its budget, goal, the periods it covers and what the person may do with it. Filter by goal, budget or a name search; sort by name or last update.",
      },
    })
    .input(schema.listInput)
    .output(schema.listOutput)
    .query(({ ctx, input }) => service.list(ctx, input)),
  get: authedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/forecasts/{forecastId}',
        tags: ['Forecasts'],
        protect: true,
        summary: 'Read a forecast and its cells',
        description:
          "A forecast against its budget's current version: for each line, the budget, forecast and actual amount per period (strings of integer minor units, null when empty).",
      },
    })
    .input(schema.forecastId)
    .output(schema.getOutput)
    .query(({ ctx, input }) => service.get(ctx, input)),
  create: authedProcedure.input(schema.createInput).mutation(({ ctx, input }) => service.create(ctx, input)),
  rename: authedProcedure.input(schema.renameInput).mutation(({ ctx, input }) => service.rename(ctx, input)),
  save: authedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/forecasts/{forecastId}/changes',
        tags: ['Forecasts'],
        protect: true,
        summary: 'Write forecast and actual amounts',
        description:
          'Writes forecast or actual cells (field) in one transaction, each with the value it was read with (from) beside the new one (to), as for budgets. A cell someone changed meanwhile answers 409 CONFLICT with data.conflicts. Needs a write token and edit access to the forecast.',
        errorResponses: {
          400: 'Invalid input data',
          401: 'No valid token',
          403: 'A read token, or no edit access',
          404: 'No such forecast (or not readable)',
          409: 'A cell changed since it was read',
        },
      },
    })
    .input(schema.saveInput)
    .output(schema.saveOutput)
    .mutation(({ ctx, input }) => service.save(ctx, input)),
  history: authedProcedure.input(schema.historyInput).query(({ ctx, input }) => service.history(ctx, input)),
} satisfies TRPCRouterRecord;
