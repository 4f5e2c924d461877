import type { TRPCRouterRecord } from '@trpc/server';
import { permittedProcedure } from '../trpc.ts';
import * as bulk from './bulk.ts';
import * as schema from './schema.ts';
import * as service from './service.ts';

const manage = permittedProcedure('manage-users');

export const usersRouter = {
  list: manage.input(schema.listInput).query(({ ctx, input }) => service.list(ctx, input)),
  export: manage.input(schema.exportInput).query(({ ctx, input }) => service.exportList(ctx, input)),
  get: manage.input(schema.userId).query(({ ctx, input }) => service.get(ctx, input)),
  create: manage.input(schema.createInput).mutation(({ ctx, input }) => service.create(ctx, input)),
  update: manage.input(schema.updateInput).mutation(({ ctx, input }) => service.update(ctx, input)),
  resendInvite: manage.input(schema.userId).mutation(({ ctx, input }) => service.resendInvite(ctx, input)),
  inviteLink: manage.input(schema.userId).mutation(({ ctx, input }) => service.inviteLink(ctx, input)),
  sendPasswordReset: manage.input(schema.userId).mutation(({ ctx, input }) => service.sendPasswordReset(ctx, input)),
  assignRole: manage.input(schema.roleChangeInput).mutation(({ ctx, input }) => service.assignRole(ctx, input)),
  removeRole: manage.input(schema.roleChangeInput).mutation(({ ctx, input }) => service.removeRole(ctx, input)),
  deactivate: manage.input(schema.userId).mutation(({ ctx, input }) => service.deactivate(ctx, input)),
  reactivate: manage.input(schema.userId).mutation(({ ctx, input }) => service.reactivate(ctx, input)),
  unlock: manage.input(schema.userId).mutation(({ ctx, input }) => service.unlock(ctx, input)),
  // Many selected people at once (one request, per-person outcomes).
  bulkAssignRole: manage
    .input(schema.manyRoleChangeInput)
    .mutation(({ ctx, input }) => service.bulkAssignRole(ctx, input)),
  bulkRemoveRole: manage
    .input(schema.manyRoleChangeInput)
    .mutation(({ ctx, input }) => service.bulkRemoveRole(ctx, input)),
  bulkDeactivate: manage.input(schema.manyUsersInput).mutation(({ ctx, input }) => service.bulkDeactivate(ctx, input)),
  bulkResendInvite: manage
    .input(schema.manyUsersInput)
    .mutation(({ ctx, input }) => service.bulkResendInvite(ctx, input)),
  // Registration from a CSV file: check, commit with the admin's choices, follow, report, hand out links.
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
  bulkCommit: manage.input(schema.bulkCommitInput).mutation(({ ctx, input }) => bulk.queueCommit(ctx, input)),
  bulkStatus: manage.input(schema.importId).query(({ ctx, input }) => bulk.status(ctx, input)),
  bulkErrors: manage.input(schema.bulkErrorsInput).query(({ ctx, input }) => bulk.errorsPage(ctx, input)),
  bulkExisting: manage.input(schema.bulkExistingInput).query(({ ctx, input }) => bulk.existingPage(ctx, input)),
  bulkInviteLinks: manage.input(schema.importId).mutation(({ ctx, input }) => bulk.inviteLinks(ctx, input)),
} satisfies TRPCRouterRecord;
