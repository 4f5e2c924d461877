import type { TRPCRouterRecord } from '@trpc/server';
import { authedProcedure } from '../trpc.ts';
import * as schema from './schema.ts';
import * as service from './service.ts';

/** Access to each budget is decided per object in policy/ (service calls `authorize`). */
export const budgetsRouter = {
  list: authedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/budgets',
        tags: ['Budgets'],
        protect: true,
        summary: 'List budgets',
        description:
          "Every budget the token's person can read, a page at a time: their own, those of their goals, those shared with them on their own or through their goal, and those they review. Each with its goal, current workflow state and total (a string of integer minor units of the budget's currency) and what the person may do with it. Filter by goal, workflow state or a name search; sort by name, last update or first period.",
      },
    })
    .input(schema.listInput)
    .output(schema.listOutput)
    .query(({ ctx, input }) => service.list(ctx, input)),
  get: authedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/budgets/{budgetId}',
        tags: ['Budgets'],
        protect: true,
        summary: 'Read a budget and its cells',
        description:
          "A budget's settings, workflow state and the grid of one version (the current one unless versionNumber names another): its periods, and each line with one amount per period, null for an empty cell. Amounts are strings of integer minor units of the budget's currency.",
      },
    })
    .input(schema.getInput)
    .output(schema.getOutput)
    .query(({ ctx, input }) => service.get(ctx, input)),
  create: authedProcedure.input(schema.createInput).mutation(({ ctx, input }) => service.create(ctx, input)),
  update: authedProcedure.input(schema.updateInput).mutation(({ ctx, input }) => service.update(ctx, input)),
  move: authedProcedure.input(schema.moveInput).mutation(({ ctx, input }) => service.move(ctx, input)),
  save: authedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/budgets/{budgetId}/changes',
        tags: ['Budgets'],
        protect: true,
        summary: 'Write cells (and lines)',
        description:
          "Writes cells of the current version in one transaction, as the grid saves them. Each cell names its line (lineKey), its period (the first day, as in periods) and the value it was read with (from) beside the new one (to): strings of integer minor units, or null for an empty cell. If someone changed a cell since it was read, nothing of that cell is written and the answer is 409 CONFLICT with data.conflicts listing each cell's current value: read again and retry. Lines may be added, removed, changed and reordered the same way. Needs a write token and edit access to the budget.",
        errorResponses: {
          400: 'Invalid input data',
          401: 'No valid token',
          403: 'A read token, or no edit access',
          404: 'No such budget (or not readable)',
          409: 'A cell changed since it was read',
        },
      },
    })
    .input(schema.saveInput)
    .output(schema.saveOutput)
    .mutation(({ ctx, input }) => service.save(ctx, input)),
  history: authedProcedure.input(schema.historyInput).query(({ ctx, input }) => service.history(ctx, input)),
  restore: authedProcedure.input(schema.restoreInput).mutation(({ ctx, input }) => service.restore(ctx, input)),
} satisfies TRPCRouterRecord;
