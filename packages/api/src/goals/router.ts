import type { TRPCRouterRecord } from '@trpc/server';
import { authedProcedure } from '../trpc.ts';
import * as schema from './schema.ts';
import * as service from './service.ts';

/** Access to each goal is decided per object in policy/ (service calls `authorize`). */
export const goalsRouter = {
  list: authedProcedure.input(schema.listInput).query(({ ctx, input }) => service.list(ctx, input)),
  get: authedProcedure.input(schema.goalId).query(({ ctx, input }) => service.get(ctx, input)),
  create: authedProcedure.input(schema.createInput).mutation(({ ctx, input }) => service.create(ctx, input)),
  update: authedProcedure.input(schema.updateInput).mutation(({ ctx, input }) => service.update(ctx, input)),
  archive: authedProcedure.input(schema.archiveInput).mutation(({ ctx, input }) => service.archive(ctx, input)),
  history: authedProcedure.input(schema.historyInput).query(({ ctx, input }) => service.history(ctx, input)),
} satisfies TRPCRouterRecord;
