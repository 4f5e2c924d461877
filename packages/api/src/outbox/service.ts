/**
 * The transactional outbox: a domain change that others must hear about (a workflow transition, a
 * comment, a share, a finished import) writes its event here, in the same transaction as the
 * change, so the event exists exactly when the change does. The relay in apps/jobs publishes
 * unpublished events to the bus (Kafka or pg-boss) and stamps them; consumers turn them into
 * notifications. Events of one key (a budget id) are published in the order they were written.
 */
import { randomUUID } from 'node:crypto';
import { insertRows, OutboxEvent, query } from '@goalpost/db';
import type { BaseContext, ServiceContext } from '../context.ts';

/** Event families; each is a topic on the bus. */
export const TOPICS = ['workflow', 'comments', 'sharing', 'imports', 'reminders', 'messages'] as const;
export type Topic = (typeof TOPICS)[number];

export interface DomainEvent {
  topic: Topic;
  /** What happened, e.g. 'budget.submitted', 'comment.added'. */
  type: string;
  /** Orders the events of one subject (use the budget id where there is one). */
  key: string;
  payload: Record<string, unknown>;
}

/** Adds the event to `ctx.em`'s unit of work; call inside the transaction that makes the change. */
export function emit(ctx: ServiceContext, event: DomainEvent): OutboxEvent {
  return ctx.em.create(OutboxEvent, {
    id: randomUUID(),
    org: ctx.services.orgId,
    topic: event.topic,
    key: event.key,
    type: event.type,
    payload: { ...event.payload, actorId: ctx.actor?.id ?? null },
    traceId: ctx.traceId,
    createdAt: ctx.services.clock.now(),
  });
}

/**
 * Writes many events in one statement, in `ctx.em`'s transaction, for producers of thousands at a
 * time (the reminder scheduler); each event's payload carries its own actorId. Same rows as `emit`.
 */
export async function emitMany(ctx: BaseContext, events: (DomainEvent & { org?: string })[]): Promise<void> {
  const createdAt = ctx.services.clock.now().toISOString();
  await insertRows(
    ctx.em,
    'outbox_events',
    {
      id: 'uuid',
      org_id: 'uuid',
      topic: 'text',
      key: 'text',
      type: 'text',
      payload: 'jsonb',
      trace_id: 'text',
      created_at: 'timestamptz',
    },
    events.map((e) => ({
      id: randomUUID(),
      org_id: e.org ?? ctx.services.orgId,
      topic: e.topic,
      key: e.key,
      type: e.type,
      payload: { actorId: ctx.actor?.id ?? null, ...e.payload },
      trace_id: ctx.traceId,
      created_at: createdAt,
    })),
  );
}

/**
 * How long a published event is kept: long enough to look into a recent delivery, short enough
 * that the table stays the size of a week's writes (at the brief's ~40 writes a second, about
 * 24 million rows). Consumers and dead letters carry their own copy of what they need.
 */
export const OUTBOX_RETENTION_DAYS = 7;

/**
 * Deletes events published more than OUTBOX_RETENTION_DAYS ago, in batches of `batch` (so no
 * statement holds many row locks or a long transaction); run hourly by the housekeeping job.
 * Unpublished events are never deleted, however old.
 */
export async function purgePublishedEvents({ em, services }: BaseContext, batch = 10_000): Promise<number> {
  const before = new Date(services.clock.now().getTime() - OUTBOX_RETENTION_DAYS * 86_400_000);
  let total = 0;
  for (;;) {
    const rows = await query<{ n: number }>(
      em,
      `with gone as (
         delete from outbox_events where id in (
           select id from outbox_events where published_at < $1 order by published_at limit $2)
         returning 1)
       select count(*)::int as n from gone`,
      [before, batch],
    );
    const n = rows[0]?.n ?? 0;
    total += n;
    if (n < batch) return total;
  }
}
