import type { TRPCRouterRecord } from '@trpc/server';
import { authedProcedure } from '../trpc.ts';
import * as schema from './schema.ts';
import * as service from './service.ts';

/** Reading threads needs read access, writing needs commenter rights or more: decided per object by the policy. */
export const commentsRouter = {
  list: authedProcedure.input(schema.listInput).query(({ ctx, input }) => service.list(ctx, input)),
  cells: authedProcedure.input(schema.cellsInput).query(({ ctx, input }) => service.cells(ctx, input)),
  start: authedProcedure.input(schema.startInput).mutation(({ ctx, input }) => service.start(ctx, input)),
  reply: authedProcedure.input(schema.replyInput).mutation(({ ctx, input }) => service.reply(ctx, input)),
  resolve: authedProcedure.input(schema.threadId).mutation(({ ctx, input }) => service.resolve(ctx, input)),
  reopen: authedProcedure.input(schema.threadId).mutation(({ ctx, input }) => service.reopen(ctx, input)),
  mentionable: authedProcedure
    .input(schema.mentionableInput)
    .query(({ ctx, input }) => service.mentionable(ctx, input)),
} satisfies TRPCRouterRecord;
