/**
 * The event bus on Kafka (kafkajs), used when KAFKA_BROKERS is set. One topic per event family
 * (`goalpost.workflow`, `goalpost.comments`, …); the outbox key (a budget id) is the message key,
 * so one budget's events land on one partition and are read in order; the trace id travels in
 * the `trace-id` and W3C `traceparent` headers. The producer is idempotent with one request in
 * flight, so a retried send neither duplicates nor reorders a partition.
 *
 * Each subscription is a consumer group (`goalpost.<group>`). Offsets are committed by hand, one
 * message at a time, only after the handler has finished with it: a consumer that dies or loses
 * its partitions in a rebalance before committing has the message delivered again to whoever owns
 * the partition next, and the idempotent consumer turns that into no second notification. A
 * failing message is retried in place with backoff (holding back its partition, which is what
 * keeps a budget's events in order) until the consumer succeeds or dead-letters it (consume.ts).
 *
 * Tested at the kafkajs boundary with a fake `Kafka` (bus-kafka.test.ts); the README's "Running
 * with Kafka" starts a real broker from docker/compose.yaml.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Admin, Consumer, IHeaders, Kafka, KafkaMessage, Producer, ProducerBatch } from 'kafkajs';
import { type BreakerOptions, circuitBreaker } from '../platform/breaker.ts';
import type { Logger } from '../platform/logger.ts';
import { traceparentFor } from '../platform/trace.ts';
import { type BusEvent, type EventBus, fromWire, type Subscription, toWire } from './bus.ts';
import { TOPICS } from './service.ts';

/** The part of kafkajs's `Kafka` the bus uses (so a test can hand in a fake). */
export type KafkaClient = Pick<Kafka, 'producer' | 'consumer' | 'admin'>;

export interface KafkaBusOptions {
  log: Logger;
  /** Prefix of every topic and consumer group. */
  prefix?: string;
  /** Partitions of topics the bus creates (existing topics are left as they are). */
  partitions?: number;
  /** Waits between attempts of a failing message; a test passes its own. */
  sleep?: (ms: number) => Promise<void>;
  /** The publish circuit breaker's settings (platform/breaker.ts defaults otherwise). */
  breaker?: BreakerOptions;
}

const HEADER_TRACE = 'trace-id';

export function kafkaTopic(prefix: string, topic: string): string {
  return `${prefix}${topic}`;
}

function headers(event: BusEvent): IHeaders {
  const h: IHeaders = { 'event-id': event.id, 'event-type': event.type };
  if (event.traceId) {
    h[HEADER_TRACE] = event.traceId;
    // The relay's span when it has one in this trace, else a parent id made up from the event.
    h.traceparent = traceparentFor(event.traceId, event.id.replaceAll('-', '').slice(0, 16));
  }
  return h;
}

function eventOf(message: KafkaMessage): BusEvent {
  const event = fromWire(JSON.parse(message.value?.toString('utf8') ?? 'null') as Record<string, unknown>);
  const trace = message.headers?.[HEADER_TRACE];
  const traceparent = message.headers?.traceparent;
  // The consumer's span continues the producer's (consume.ts).
  return {
    ...event,
    ...(trace ? { traceId: trace.toString() } : {}),
    ...(traceparent ? { traceparent: traceparent.toString() } : {}),
  };
}

export function kafkaEventBus(kafka: KafkaClient, options: KafkaBusOptions): EventBus {
  const prefix = options.prefix ?? 'goalpost.';
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const consumers: Consumer[] = [];
  let producer: Promise<Producer> | null = null;
  let topicsReady: Promise<void> | null = null;
  // A broker that is down or unreachable makes publishes fail at once while the circuit is open;
  // the relay leaves the events unpublished and its next run (or sweep) sends them.
  const publishing = circuitBreaker(
    'kafka',
    async (batch: ProducerBatch) => {
      const p = await connectedProducer();
      await p.sendBatch(batch);
    },
    { ...options.breaker, log: options.log },
  );

  const ensureTopics = () => {
    topicsReady ??= (async () => {
      const admin: Admin = kafka.admin();
      await admin.connect();
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: TOPICS.map((t) => ({ topic: kafkaTopic(prefix, t), numPartitions: options.partitions ?? 6 })),
        });
      } finally {
        await admin.disconnect();
      }
    })().catch((error) => {
      topicsReady = null;
      throw error;
    });
    return topicsReady;
  };
  const connectedProducer = () => {
    producer ??= (async () => {
      await ensureTopics();
      const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await p.connect();
      return p;
    })().catch((error) => {
      producer = null;
      throw error;
    });
    return producer;
  };

  return {
    kind: 'kafka',
    async publish(_em: EntityManager, events: BusEvent[]) {
      if (events.length === 0) return;
      const byTopic = new Map<string, BusEvent[]>();
      for (const e of events) byTopic.set(e.topic, [...(byTopic.get(e.topic) ?? []), e]);
      await publishing.fire({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, list]) => ({
          topic: kafkaTopic(prefix, topic),
          messages: list.map((e) => ({ key: e.key, value: JSON.stringify(toWire(e)), headers: headers(e) })),
        })),
      });
    },
    async subscribe(subscription: Subscription) {
      await ensureTopics();
      const consumer = kafka.consumer({ groupId: `${prefix}${subscription.group}` });
      consumers.push(consumer);
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) =>
        options.log.info({ group: subscription.group, memberId: payload.memberId }, 'kafka consumer joined its group'),
      );
      await consumer.connect();
      await consumer.subscribe({ topics: subscription.topics.map((t) => kafkaTopic(prefix, t)), fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        partitionsConsumedConcurrently: 4,
        eachMessage: async ({ topic, partition, message, heartbeat }) => {
          const event = eventOf(message);
          for (let attempt = 1; ; attempt++) {
            const [outcome] = await subscription.handle([{ event, attempt }]);
            if (outcome?.ok) break;
            options.log.warn(
              { group: subscription.group, eventId: event.id, traceId: event.traceId, attempt },
              'event handling failed; retrying',
            );
            await sleep(Math.min(1000 * 2 ** (attempt - 1), 60_000));
            await heartbeat();
          }
          await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
        },
      });
    },
    async close() {
      publishing.shutdown();
      for (const c of consumers.splice(0)) await c.disconnect().catch(() => {});
      const p = producer;
      producer = null;
      await (await p?.catch(() => null))?.disconnect();
    },
  };
}
