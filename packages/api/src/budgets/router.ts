import type { TRPCRouterRecord } from '@trpc/server';
import { authedProcedure } from '../trpc.ts';
import * as schema from './schema.ts';
import * as service from './service.ts';

/** Access to each budget is decided per object in policy/ (service calls `authorize`). */
export const budgetsRouter = {
  get: authedProcedure.input(schema.getInput).query(({ ctx, input }) => service.get(ctx, input)),
  create: authedProcedure.input(schema.createInput).mutation(({ ctx, input }) => service.create(ctx, input)),
  update: authedProcedure.input(schema.updateInput).mutation(({ ctx, input }) => service.update(ctx, input)),
  move: authedProcedure.input(schema.moveInput).mutation(({ ctx, input }) => service.move(ctx, input)),
  save: authedProcedure.input(schema.saveInput).mutation(({ ctx, input }) => service.save(ctx, input)),
  history: authedProcedure.input(schema.historyInput).query(({ ctx, input }) => service.history(ctx, input)),
  restore: authedProcedure.input(schema.restoreInput).mutation(({ ctx, input }) => service.restore(ctx, input)),
} satisfies TRPCRouterRecord;
