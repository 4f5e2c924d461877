/**
 * Dead letters: events a consumer failed on MAX_ATTEMPTS times (outbox/consume.ts). An admin sees
 * them with the error and retries one once its cause is fixed: the same consumer handles the
 * event again, right away, in one transaction. It is idempotent, so a retry after a partial
 * success notifies nobody twice. A success resolves the dead letter; a failure keeps it open with
 * the new error.
 */
import { DeadLetter, User } from '@goalpost/db';
import { TRPCError } from '@trpc/server';
import type { z } from 'zod';
import { consumerList } from '../consumers.ts';
import type { ActorContext } from '../context.ts';
import { processInTransaction } from '../outbox/consume.ts';
import type { Topic } from '../outbox/service.ts';
import type * as schema from './schema.ts';

function view(d: DeadLetter) {
  return {
    id: d.id,
    consumer: d.consumer,
    eventId: d.eventId,
    topic: d.topic,
    type: d.type,
    key: d.key,
    payload: d.payload,
    traceId: d.traceId ?? null,
    occurredAt: d.occurredAt,
    error: d.error,
    attempts: d.attempts,
    createdAt: d.createdAt,
    lastFailedAt: d.lastFailedAt,
    retriedAt: d.retriedAt ?? null,
    resolvedAt: d.resolvedAt ?? null,
  };
}

export async function list(ctx: ActorContext, input: z.infer<typeof schema.listInput>) {
  const status =
    input.status === 'open' ? { resolvedAt: null } : input.status === 'resolved' ? { resolvedAt: { $ne: null } } : {};
  const [items, total] = await ctx.em.findAndCount(
    DeadLetter,
    { org: ctx.services.orgId, ...status },
    {
      orderBy: { lastFailedAt: 'desc', id: 'desc' },
      limit: input.pageSize,
      offset: (input.page - 1) * input.pageSize,
    },
  );
  return { items: items.map(view), total, page: input.page, pageSize: input.pageSize };
}

export async function retry(ctx: ActorContext, { deadLetterId }: z.infer<typeof schema.deadLetterId>) {
  const letter = await ctx.em.findOne(DeadLetter, { id: deadLetterId, org: ctx.services.orgId });
  if (!letter) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such dead letter. Reload the list.' });
  if (letter.resolvedAt) {
    throw new TRPCError({ code: 'CONFLICT', message: 'This event was already handled. Reload the list.' });
  }
  const consumer = consumerList.find((c) => c.group === letter.consumer);
  if (!consumer) {
    throw new TRPCError({
      code: 'CONFLICT',
      message: `No consumer called "${letter.consumer}" runs any more, so this event cannot be retried.`,
    });
  }
  const now = ctx.services.clock.now();
  letter.retriedAt = now;
  letter.retriedBy = ctx.em.getReference(User, ctx.actor.id);
  try {
    await processInTransaction(
      ctx.services,
      consumer,
      [
        {
          id: letter.eventId,
          seq: 0,
          org: ctx.services.orgId,
          topic: letter.topic as Topic,
          type: letter.type,
          key: letter.key,
          payload: letter.payload,
          traceId: letter.traceId ?? null,
          createdAt: letter.occurredAt,
        },
      ],
      ctx.actor,
    );
    letter.resolvedAt = now;
  } catch (error) {
    letter.error = String((error as Error)?.stack ?? error).slice(0, 4000);
    letter.lastFailedAt = now;
    letter.attempts += 1;
  }
  await ctx.em.flush();
  return view(letter);
}
