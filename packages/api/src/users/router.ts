import type { TRPCRouterRecord } from '@trpc/server';
import { permittedProcedure } from '../trpc.ts';
import * as bulk from './bulk.ts';
import * as schema from './schema.ts';
import * as service from './service.ts';

const manage = permittedProcedure('manage-users');

export const usersRouter = {
  list: manage.input(schema.listInput).query(({ ctx, input }) => service.list(ctx, input)),
  get: manage.input(schema.userId).query(({ ctx, input }) => service.get(ctx, input)),
  create: manage.input(schema.createInput).mutation(({ ctx, input }) => service.create(ctx, input)),
  resendInvite: manage.input(schema.userId).mutation(({ ctx, input }) => service.resendInvite(ctx, input)),
  assignRole: manage.input(schema.roleChangeInput).mutation(({ ctx, input }) => service.assignRole(ctx, input)),
  removeRole: manage.input(schema.roleChangeInput).mutation(({ ctx, input }) => service.removeRole(ctx, input)),
  deactivate: manage.input(schema.userId).mutation(({ ctx, input }) => service.deactivate(ctx, input)),
  reactivate: manage.input(schema.userId).mutation(({ ctx, input }) => service.reactivate(ctx, input)),
  unlock: manage.input(schema.userId).mutation(({ ctx, input }) => service.unlock(ctx, input)),
  setSupervisor: manage
    .input(schema.setSupervisorInput)
    .mutation(({ ctx, input }) => service.setSupervisor(ctx, input)),
  assignAccountant: manage
    .input(schema.accountantInput)
    .mutation(({ ctx, input }) => service.assignAccountant(ctx, input)),
  unassignAccountant: manage
    .input(schema.accountantInput)
    .mutation(({ ctx, input }) => service.unassignAccountant(ctx, input)),
  bulkValidate: manage.input(schema.bulkValidateInput).mutation(({ ctx, input }) => bulk.validate(ctx, input)),
  bulkCommit: manage.input(schema.importId).mutation(({ ctx, input }) => service.commitImport(ctx, input)),
  bulkStatus: manage.input(schema.importId).query(({ ctx, input }) => service.importStatus(ctx, input)),
  bulkErrors: manage.input(schema.bulkErrorsInput).query(({ ctx, input }) => service.importErrors(ctx, input)),
} satisfies TRPCRouterRecord;
