/**
 * The event bus between the outbox relay and the consumers: `publish` and `subscribe`, nothing
 * more. Two implementations sit behind it and nothing else knows which one runs:
 *   - pg-boss (bus-pgboss.ts), the embedded default: a queue per consumer group and topic, ordered
 *     per key (pg-boss's key_strict_fifo policy), written in the relay's own transaction;
 *   - Kafka (bus-kafka.ts) when KAFKA_BROKERS is set: a topic per event family, the key as the
 *     message key (so one key's events share a partition and stay in order), the trace id in a
 *     header, one consumer group per subscription, offsets committed only after handling.
 * Delivery is at-least-once on both; consumers are idempotent (a notification is unique per
 * recipient and event), and a consumer's retries and dead-lettering live in consume.ts, the same
 * for both buses.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Topic } from './service.ts';

/** An outbox event as it travels on the bus. */
export interface BusEvent {
  id: string;
  /** Write order (outbox_events.seq): one key's events arrive in this order. */
  seq: number;
  org: string;
  topic: Topic;
  type: string;
  key: string;
  payload: Record<string, unknown>;
  traceId: string | null;
  /** The sender's W3C traceparent, when the bus carried one (Kafka's header). */
  traceparent?: string;
  createdAt: Date;
}

/** One event handed to a consumer, with how many times it has been tried (1 the first time). */
export interface Delivery {
  event: BusEvent;
  attempt: number;
}

export type Outcome = { ok: true } | { ok: false; error: unknown };

/** A consumer group: its name, the topics it reads, and its handler (see consume.ts). */
export interface Subscription {
  group: string;
  topics: readonly Topic[];
  /**
   * Handles deliveries (of distinct keys) and says, per delivery, whether it is done. A failed
   * delivery is handed over again later, after a backoff; the bus does not move on to later
   * events of its key until it is done.
   */
  handle(deliveries: Delivery[]): Promise<Outcome[]>;
}

export interface EventBus {
  readonly kind: 'pg-boss' | 'kafka';
  /**
   * Publishes events claimed by the relay inside `em`'s open transaction, in `seq` order per key.
   * pg-boss writes them in that transaction (they exist exactly when the relay's claim commits);
   * Kafka sends them before the relay commits, so a relay that dies in between sends them again
   * (consumers are idempotent).
   */
  publish(em: EntityManager, events: BusEvent[]): Promise<void>;
  /** Starts consuming for a group in this process. Several processes may subscribe the same group. */
  subscribe(subscription: Subscription): Promise<void>;
  /** Stops consuming and publishing (graceful: work in hand finishes). */
  close(): Promise<void>;
}

/** The event as JSON on the wire (both buses carry the same document). */
export function toWire(event: BusEvent): Record<string, unknown> {
  return { ...event, createdAt: event.createdAt.toISOString() };
}

export function fromWire(data: Record<string, unknown>): BusEvent {
  const { id, seq, org, topic, type, key, payload, traceId, createdAt } = data;
  if (typeof id !== 'string' || typeof topic !== 'string' || typeof type !== 'string' || typeof key !== 'string') {
    throw new Error('Not a bus event: id, topic, type and key are required.');
  }
  return {
    id,
    seq: Number(seq),
    org: String(org),
    topic: topic as Topic,
    type,
    key,
    payload: (payload ?? {}) as Record<string, unknown>,
    traceId: typeof traceId === 'string' ? traceId : null,
    createdAt: new Date(String(createdAt)),
  };
}
