import type { TRPCRouterRecord } from '@trpc/server';
import { authedProcedure } from '../trpc.ts';
import * as schema from './schema.ts';
import * as service from './service.ts';
import { TRANSITIONS } from './transitions.ts';

/** Who may move which budget is decided per object by the policy, consulted through the transition table. */
export const workflowRouter = {
  /** The transition table itself, for clients that do not import `@goalpost/api/workflow`. */
  transitions: authedProcedure.query(() => TRANSITIONS),
  transition: authedProcedure
    .input(schema.transitionInput)
    .mutation(({ ctx, input }) => service.transition(ctx, input)),
  bulk: authedProcedure.input(schema.bulkInput).mutation(({ ctx, input }) => service.bulk(ctx, input)),
  inbox: authedProcedure.input(schema.inboxInput).query(({ ctx, input }) => service.inbox(ctx, input)),
  history: authedProcedure.input(schema.historyInput).query(({ ctx, input }) => service.history(ctx, input)),
  goalHistory: authedProcedure
    .input(schema.goalHistoryInput)
    .query(({ ctx, input }) => service.goalHistory(ctx, input)),
  delegate: authedProcedure.input(schema.delegateInput).mutation(({ ctx, input }) => service.delegate(ctx, input)),
  delegations: authedProcedure
    .input(schema.delegationsInput)
    .query(({ ctx, input }) => service.delegations(ctx, input)),
  endDelegation: authedProcedure
    .input(schema.delegationId)
    .mutation(({ ctx, input }) => service.endDelegation(ctx, input)),
} satisfies TRPCRouterRecord;
