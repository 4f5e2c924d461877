import type { TRPCRouterRecord } from '@trpc/server';
import { authedProcedure } from '../trpc.ts';
import * as schema from './schema.ts';
import * as service from './service.ts';

/** Access to each goal is decided per object in policy/ (service calls `authorize`). */
export const goalsRouter = {
  list: authedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/goals',
        tags: ['Goals'],
        protect: true,
        summary: 'List goals',
        description:
          "The goals the token's person can read, a page at a time, with their planned and forecast progress. Filter by status, category or a name search; sort by name, target date, last update or target.",
      },
    })
    .input(schema.listInput)
    .output(schema.listOutput)
    .query(({ ctx, input }) => service.list(ctx, input)),
  get: authedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/goals/{goalId}',
        tags: ['Goals'],
        protect: true,
        summary: 'Read a goal, with its budgets and forecasts',
        description:
          'One goal with its progress and the budgets and forecasts that serve it (their ids lead to GET /budgets/{budgetId} and GET /forecasts/{forecastId}). A goal the person cannot read answers 404, as one that does not exist.',
      },
    })
    .input(schema.goalId)
    .output(schema.getOutput)
    .query(({ ctx, input }) => service.get(ctx, input)),
  create: authedProcedure.input(schema.createInput).mutation(({ ctx, input }) => service.create(ctx, input)),
  update: authedProcedure.input(schema.updateInput).mutation(({ ctx, input }) => service.update(ctx, input)),
  archive: authedProcedure.input(schema.archiveInput).mutation(({ ctx, input }) => service.archive(ctx, input)),
  history: authedProcedure.input(schema.historyInput).query(({ ctx, input }) => service.history(ctx, input)),
} satisfies TRPCRouterRecord;
