import type { TRPCRouterRecord } from '@trpc/server';
import { authedProcedure } from '../trpc.ts';
import * as schema from './schema.ts';
import * as service from './service.ts';

/** The signed-in person's own notifications; `send` and `collaborators` check the budget in the service. */
export const notificationsRouter = {
  list: authedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/notifications',
        tags: ['Notifications'],
        protect: true,
        summary: "List the person's notifications",
        description:
          'Newest first, a page at a time, with the unread count. unreadOnly=true lists only the unread ones (false, the default, lists all).',
      },
    })
    .input(schema.listInput)
    .output(schema.listOutput)
    .query(({ ctx, input }) => service.list(ctx, input)),
  unreadCount: authedProcedure.query(({ ctx }) => service.unreadCount(ctx)),
  markRead: authedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/notifications/read',
        tags: ['Notifications'],
        protect: true,
        summary: 'Mark notifications read',
        description:
          "Marks the listed notifications of the token's person read (others' ids are ignored) and answers the unread count. Needs a write token.",
      },
    })
    .input(schema.markReadInput)
    .output(schema.unreadOutput)
    .mutation(({ ctx, input }) => service.markRead(ctx, input)),
  markAllRead: authedProcedure.mutation(({ ctx }) => service.markAllRead(ctx)),
  /**
   * Live over SSE: the unread count and newest notification now, then again whenever new ones
   * are written for this person by any process (notifications/live.ts).
   */
  onNew: authedProcedure.subscription(async function* ({ ctx, signal }) {
    const updates = ctx.services.live.updates(ctx.actor.id, signal);
    let last = await service.snapshot(ctx);
    yield last;
    for await (const _ of updates) {
      const next = await service.snapshot(ctx);
      // A wake-up that changed nothing here (a catch-up after reconnecting) is not news.
      if (next.unread === last.unread && next.latest?.id === last.latest?.id) continue;
      last = next;
      yield next;
    }
  }),
  preferences: authedProcedure.query(({ ctx }) => service.preferences(ctx)),
  setPreferences: authedProcedure
    .input(schema.setPreferencesInput)
    .mutation(({ ctx, input }) => service.setPreferences(ctx, input)),
  collaborators: authedProcedure.input(schema.budgetId).query(({ ctx, input }) => service.collaborators(ctx, input)),
  send: authedProcedure.input(schema.sendInput).mutation(({ ctx, input }) => service.send(ctx, input)),
} satisfies TRPCRouterRecord;
