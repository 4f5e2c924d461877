import type { TRPCRouterRecord } from '@trpc/server';
import { permittedProcedure } from '../trpc.ts';
import * as schema from './schema.ts';
import * as service from './service.ts';

const read = permittedProcedure('read-mail-outbox');

/** The in-app outbox: every mail the app sent or captured, newest first. */
export const mailRouter = {
  list: read.input(schema.outboxListInput).query(({ ctx, input }) => service.list(ctx, input)),
  open: read.input(schema.mailId).mutation(({ ctx, input }) => service.open(ctx, input)),
} satisfies TRPCRouterRecord;
