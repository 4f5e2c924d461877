import type { TRPCRouterRecord } from '@trpc/server';
import { authedProcedure, permittedProcedure } from '../trpc.ts';
import * as schema from './schema.ts';
import * as service from './service.ts';

/** Who may share an object is decided per object by the policy (the `share` action). */
export const sharingRouter = {
  list: authedProcedure.input(schema.subjectInput).query(({ ctx, input }) => service.list(ctx, input)),
  grant: authedProcedure.input(schema.grantInput).mutation(({ ctx, input }) => service.grant(ctx, input)),
  update: authedProcedure.input(schema.updateInput).mutation(({ ctx, input }) => service.update(ctx, input)),
  revoke: authedProcedure.input(schema.grantId).mutation(({ ctx, input }) => service.revoke(ctx, input)),
  searchUsers: authedProcedure
    .input(schema.searchUsersInput)
    .query(({ ctx, input }) => service.searchUsers(ctx, input)),
  sharedWithMe: authedProcedure
    .input(schema.sharedWithMeInput)
    .query(({ ctx, input }) => service.sharedWithMe(ctx, input)),
  whoHasAccess: permittedProcedure('review-access')
    .input(schema.subjectInput)
    .query(({ ctx, input }) => service.whoHasAccess(ctx, input)),
} satisfies TRPCRouterRecord;
