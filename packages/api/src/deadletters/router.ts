import type { TRPCRouterRecord } from '@trpc/server';
import { permittedProcedure } from '../trpc.ts';
import * as schema from './schema.ts';
import * as service from './service.ts';

const manage = permittedProcedure('manage-dead-letters');

/** Events a consumer gave up on (Admin → Dead letters), and retrying them. */
export const deadLettersRouter = {
  list: manage.input(schema.listInput).query(({ ctx, input }) => service.list(ctx, input)),
  retry: manage.input(schema.deadLetterId).mutation(({ ctx, input }) => service.retry(ctx, input)),
} satisfies TRPCRouterRecord;
