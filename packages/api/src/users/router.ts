import type { TRPCRouterRecord } from '@trpc/server';
import { permittedProcedure } from '../trpc.ts';
import { validateUserImport } from './bulk.ts';
import * as schema from './schema.ts';
import * as service from './service.ts';

const manage = permittedProcedure('manage-users');

export const usersRouter = {
  list: manage.input(schema.listInput).query(({ ctx, input }) => service.list(ctx, input)),
  get: manage.input(schema.userId).query(({ ctx, input }) => service.get(ctx, input.userId)),
  create: manage.input(schema.createInput).mutation(({ ctx, input }) => service.create(ctx, input)),
  resendInvite: manage.input(schema.userId).mutation(({ ctx, input }) => service.resendInvite(ctx, input.userId)),
  assignRole: manage.input(schema.roleChangeInput).mutation(({ ctx, input }) => service.assignRole(ctx, input)),
  removeRole: manage.input(schema.roleChangeInput).mutation(({ ctx, input }) => service.removeRole(ctx, input)),
  deactivate: manage.input(schema.userId).mutation(({ ctx, input }) => service.deactivate(ctx, input.userId)),
  reactivate: manage.input(schema.userId).mutation(({ ctx, input }) => service.reactivate(ctx, input.userId)),
  unlock: manage.input(schema.userId).mutation(({ ctx, input }) => service.unlock(ctx, input.userId)),
  bulkValidate: manage
    .input(schema.bulkValidateInput)
    .mutation(({ ctx, input }) => validateUserImport(ctx.em, ctx.services, ctx.actor, input)),
  bulkCommit: manage.input(schema.importId).mutation(({ ctx, input }) => service.commitImport(ctx, input.importId)),
  bulkStatus: manage.input(schema.importId).query(({ ctx, input }) => service.importStatus(ctx, input.importId)),
  bulkErrors: manage.input(schema.bulkErrorsInput).query(({ ctx, input }) => service.importErrors(ctx, input)),
} satisfies TRPCRouterRecord;
