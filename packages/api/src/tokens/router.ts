import type { TRPCRouterRecord } from '@trpc/server';
import { authedProcedure, permittedProcedure } from '../trpc.ts';
import * as schema from './schema.ts';
import * as service from './service.ts';

/**
 * Personal access tokens: a person's own (create, list, revoke) and, for admins, everyone's.
 * Only a browser session reaches these: a token cannot mint or revoke tokens (none is on /api/v1).
 */
export const tokensRouter = {
  create: authedProcedure.input(schema.createInput).mutation(({ ctx, input }) => service.create(ctx, input)),
  list: authedProcedure.query(({ ctx }) => service.listMine(ctx)),
  revoke: authedProcedure.input(schema.tokenId).mutation(({ ctx, input }) => service.revoke(ctx, input)),
  adminList: permittedProcedure('manage-api-tokens')
    .input(schema.adminListInput)
    .query(({ ctx, input }) => service.listAll(ctx, input)),
  adminRevoke: permittedProcedure('manage-api-tokens')
    .input(schema.tokenId)
    .mutation(({ ctx, input }) => service.revokeAny(ctx, input)),
} satisfies TRPCRouterRecord;
