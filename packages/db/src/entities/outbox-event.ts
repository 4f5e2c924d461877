import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdStamp, uuidKey } from './columns.ts';
import { tenant } from './organisation.ts';

/**
 * The transactional outbox: domain changes write an event here in the same transaction, and the
 * relay in apps/jobs publishes it to the bus (Kafka or pg-boss) and stamps published_at. A
 * statement trigger (see the migration) wakes the relay with NOTIFY when rows are committed.
 */
export const OutboxEvent = defineEntity({
  name: 'OutboxEvent',
  tableName: 'outbox_events',
  properties: {
    id: uuidKey(),
    org: tenant,
    /**
     * Write order, from a sequence. The relay publishes each key's events in this order and claims
     * rows by state (published or not), never by a high-water mark: a row that took a lower number
     * but committed late is still unpublished, so it is still found.
     */
    seq: p.bigint('number').autoincrement(),
    topic: p.string().length(100),
    /** Partition key: events of one key are delivered in order. */
    key: p.string().length(100),
    type: p.string().length(100),
    payload: p.json<Record<string, unknown>>(),
    traceId: p.string().length(64).nullable(),
    createdAt: createdStamp(),
    publishedAt: p.datetime().nullable(),
    attempts: p.integer().default(0),
  },
  indexes: [
    // The relay reads unpublished events in write order; the partial index stays small.
    { name: 'outbox_events_unpublished_idx', properties: ['seq'], where: 'published_at is null' },
    // Housekeeping deletes events published more than a week ago (OUTBOX_RETENTION_DAYS), oldest first.
    { name: 'outbox_events_published_idx', properties: ['publishedAt'], where: 'published_at is not null' },
  ],
  // Wakes the outbox relay when events commit (NOTIFY is delivered at commit, once per transaction
  // for the same payload), so events leave within moments rather than at the next sweep.
  triggers: [
    {
      name: 'outbox_events_notify',
      timing: 'after',
      events: ['insert'],
      forEach: 'statement',
      body: "perform pg_notify('outbox_events', ''); return null;",
    },
  ],
});
export type OutboxEvent = InferEntity<typeof OutboxEvent>;
