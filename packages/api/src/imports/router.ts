import type { TRPCRouterRecord } from '@trpc/server';
import { authedProcedure } from '../trpc.ts';
import * as schema from './schema.ts';
import * as service from './service.ts';

/**
 * Budget imports (README "Budget imports"). Anyone signed in may import into what they may edit;
 * access to the target is decided per object in policy/ (NOT_FOUND for what they cannot read), and
 * an import is only ever visible to the person who started it.
 *
 * `start` takes an upload as multipart/form-data (`importFormData(file, name, { target, options })`,
 * sent through httpLink, not the batch link) or a Google Sheets link as JSON.
 */
export const importsRouter = {
  start: authedProcedure.input(schema.startInput).mutation(({ ctx, input }) => service.start(ctx, input)),
  get: authedProcedure.input(schema.importId).query(({ ctx, input }) => service.get(ctx, input)),
  list: authedProcedure.input(schema.listInput).query(({ ctx, input }) => service.list(ctx, input)),
  rejected: authedProcedure.input(schema.rejectedInput).query(({ ctx, input }) => service.rejected(ctx, input)),
  report: authedProcedure.input(schema.importId).query(({ ctx, input }) => service.reportCsv(ctx, input)),
  remap: authedProcedure.input(schema.remapInput).mutation(({ ctx, input }) => service.remap(ctx, input)),
  commit: authedProcedure.input(schema.commitInput).mutation(({ ctx, input }) => service.commit(ctx, input)),
  cancel: authedProcedure.input(schema.importId).mutation(({ ctx, input }) => service.cancel(ctx, input)),
} satisfies TRPCRouterRecord;
