import type { TRPCRouterRecord } from '@trpc/server';
import { authedProcedure } from '../trpc.ts';
import * as schema from './schema.ts';
import * as service from './service.ts';

/** Access to each forecast is decided per object in policy/ (service calls `authorize`). */
export const forecastsRouter = {
  get: authedProcedure.input(schema.forecastId).query(({ ctx, input }) => service.get(ctx, input)),
  create: authedProcedure.input(schema.createInput).mutation(({ ctx, input }) => service.create(ctx, input)),
  rename: authedProcedure.input(schema.renameInput).mutation(({ ctx, input }) => service.rename(ctx, input)),
  save: authedProcedure.input(schema.saveInput).mutation(({ ctx, input }) => service.save(ctx, input)),
  history: authedProcedure.input(schema.historyInput).query(({ ctx, input }) => service.history(ctx, input)),
} satisfies TRPCRouterRecord;
