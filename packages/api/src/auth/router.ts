import type { TRPCRouterRecord } from '@trpc/server';
import { authedProcedure, publicProcedure } from '../trpc.ts';
import * as schema from './schema.ts';
import * as service from './service.ts';

export const authRouter = {
  me: publicProcedure.query(({ ctx }) => service.me(ctx)),
  options: publicProcedure.query(({ ctx }) => ({
    signupEnabled: ctx.services.settings.signupEnabled,
    // The password pages state the rules before the first try.
    passwordMinLength: ctx.services.settings.passwordMinLength,
  })),
  login: publicProcedure.input(schema.loginInput).mutation(({ ctx, input }) => service.login(ctx, input)),
  logout: authedProcedure.mutation(({ ctx }) => service.logout(ctx)),
  requestPasswordReset: publicProcedure
    .input(schema.requestPasswordResetInput)
    .mutation(({ ctx, input }) => service.requestPasswordReset(ctx, input)),
  checkToken: publicProcedure.input(schema.checkTokenInput).query(({ ctx, input }) => service.checkToken(ctx, input)),
  resetPassword: publicProcedure
    .input(schema.resetPasswordInput)
    .mutation(({ ctx, input }) => service.resetPassword(ctx, input)),
  acceptInvite: publicProcedure
    .input(schema.acceptInviteInput)
    .mutation(({ ctx, input }) => service.acceptInvite(ctx, input)),
  signUp: publicProcedure.input(schema.signUpInput).mutation(({ ctx, input }) => service.signUp(ctx, input)),
  changePassword: authedProcedure
    .input(schema.changePasswordInput)
    .mutation(({ ctx, input }) => service.changePassword(ctx, input)),
} satisfies TRPCRouterRecord;
