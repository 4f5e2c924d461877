import type { TRPCRouterRecord } from '@trpc/server';
import { authedProcedure } from '../trpc.ts';
import * as schema from './schema.ts';
import * as service from './service.ts';

/** Reminders on a goal, budget or forecast; access follows the subject (service calls `authorize`). */
export const remindersRouter = {
  list: authedProcedure.input(schema.listInput).query(({ ctx, input }) => service.list(ctx, input)),
  create: authedProcedure.input(schema.createInput).mutation(({ ctx, input }) => service.create(ctx, input)),
  update: authedProcedure.input(schema.updateInput).mutation(({ ctx, input }) => service.update(ctx, input)),
  pause: authedProcedure.input(schema.pauseInput).mutation(({ ctx, input }) => service.pause(ctx, input)),
  delete: authedProcedure.input(schema.reminderId).mutation(({ ctx, input }) => service.remove(ctx, input)),
} satisfies TRPCRouterRecord;
