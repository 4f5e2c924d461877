/**
 * The Kafka bus at the kafkajs boundary. No broker can run on these machines (see the README's
 * "Running with Kafka" for a real one), so `Kafka` here is a small in-memory stand-in that keeps
 * kafkajs's contract where the bus depends on it: topics with partitions chosen by key, offsets
 * committed per consumer group, `eachMessage` called one message at a time per partition, and a
 * group rejoin (rebalance) that hands a partition's uncommitted messages to the consumer again.
 * Everything on our side is real: the relay reads PostgreSQL, and the consumer writes
 * notifications with the real notifications consumer.
 *
 * Checked: the relay sends each event to its family's topic with the budget id as key and the
 * trace id in headers; the consumer commits a message's offset only after the handler is done
 * with it, never while it is failing; and a message processed but not committed before a
 * rebalance is delivered again and still notifies once. A message from another producer that
 * carries only a W3C `traceparent` header is handled in that trace.
 */

import { startTestApp, type TestApp } from '@goalpost/testing';
import type { Admin, Consumer, EachMessagePayload, IHeaders, KafkaMessage, Producer, ProducerBatch } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { consumers } from '../consumers.ts';
import { approvalCast, type Cast } from '../notifications/approval-cast.ts';
import { type Subscription, toWire } from './bus.ts';
import { type KafkaClient, kafkaEventBus } from './bus-kafka.ts';
import { defineConsumer, subscription } from './consume.ts';
import { drainOutbox } from './relay.ts';

interface Stored {
  key: string;
  value: string;
  headers: IHeaders;
}

/** The in-memory stand-in for kafkajs's `Kafka` described above. */
class FakeKafka {
  readonly topics = new Map<string, Stored[][]>();
  readonly sends: { topic: string; key: string; headers: Record<string, string> }[] = [];
  readonly committed = new Map<string, number>(); // `${group}|${topic}|${partition}` → next offset
  readonly log: string[] = [];
  readonly consumers: FakeConsumer[] = [];
  failNextCommit = false;

  admin(): Admin {
    return {
      connect: async () => {},
      disconnect: async () => {},
      createTopics: async ({ topics }: { topics: { topic: string; numPartitions?: number }[] }) => {
        for (const { topic, numPartitions = 1 } of topics) {
          if (!this.topics.has(topic))
            this.topics.set(
              topic,
              Array.from({ length: numPartitions }, () => []),
            );
        }
        return true;
      },
    } as unknown as Admin;
  }

  producer(): Producer {
    return {
      connect: async () => {},
      disconnect: async () => {},
      sendBatch: async (batch: ProducerBatch) => {
        for (const { topic, messages } of batch.topicMessages ?? []) {
          const partitions = this.topics.get(topic);
          if (!partitions) throw new Error(`Unknown topic ${topic}`);
          for (const m of messages) {
            const key = String(m.key);
            const partition = [...key].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % partitions.length;
            partitions[partition]!.push({ key, value: String(m.value), headers: m.headers ?? {} });
            this.sends.push({
              topic,
              key,
              headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, String(v)])),
            });
          }
        }
        return [];
      },
    } as unknown as Producer;
  }

  consumer({ groupId }: { groupId: string }): Consumer {
    const c = new FakeConsumer(this, groupId);
    this.consumers.push(c);
    return c as unknown as Consumer;
  }

  /** Delivers every message not yet delivered to each consumer, in order per partition. */
  async deliver() {
    for (const c of this.consumers) await c.deliver();
  }

  /** Every consumer rejoins its group: delivery restarts at the committed offsets. */
  async rebalance() {
    for (const c of this.consumers) c.rejoin();
  }
}

class FakeConsumer {
  readonly events = { GROUP_JOIN: 'consumer.group_join' };
  private topics: string[] = [];
  private eachMessage: ((p: EachMessagePayload) => Promise<void>) | null = null;
  private readonly position = new Map<string, number>();
  private readonly joinListeners: ((e: { payload: { memberId: string } }) => void)[] = [];
  private generation = 0;
  private readonly kafka: FakeKafka;
  private readonly group: string;
  constructor(kafka: FakeKafka, group: string) {
    this.kafka = kafka;
    this.group = group;
  }
  on(event: string, listener: (e: { payload: { memberId: string } }) => void) {
    if (event === this.events.GROUP_JOIN) this.joinListeners.push(listener);
    return () => {};
  }
  async connect() {}
  async disconnect() {}
  async subscribe({ topics }: { topics: string[] }) {
    this.topics.push(...topics);
  }
  async run({
    eachMessage,
    autoCommit,
  }: {
    eachMessage: (p: EachMessagePayload) => Promise<void>;
    autoCommit?: boolean;
  }) {
    if (autoCommit !== false) throw new Error('The bus must commit by hand.');
    this.eachMessage = eachMessage;
    this.rejoin();
  }
  async commitOffsets(offsets: { topic: string; partition: number; offset: string }[]) {
    if (this.kafka.failNextCommit) {
      this.kafka.failNextCommit = false;
      throw new Error('The group is rebalancing');
    }
    for (const o of offsets) {
      this.kafka.committed.set(`${this.group}|${o.topic}|${o.partition}`, Number(o.offset));
      this.kafka.log.push(`commit ${o.topic}/${o.partition}@${o.offset}`);
    }
  }
  rejoin() {
    this.generation++;
    this.position.clear();
    for (const l of this.joinListeners) l({ payload: { memberId: `${this.group}-${this.generation}` } });
  }
  async deliver() {
    if (!this.eachMessage) return;
    for (const topic of this.topics) {
      const partitions = this.kafka.topics.get(topic) ?? [];
      for (const [partition, messages] of partitions.entries()) {
        const at = `${topic}|${partition}`;
        let offset = this.position.get(at) ?? this.kafka.committed.get(`${this.group}|${at}`) ?? 0;
        const generation = this.generation;
        while (offset < messages.length && generation === this.generation) {
          const m = messages[offset]!;
          const message = {
            key: Buffer.from(m.key),
            value: Buffer.from(m.value),
            headers: m.headers,
            offset: String(offset),
          };
          try {
            await this.eachMessage({
              topic,
              partition,
              message: message as unknown as KafkaMessage,
              heartbeat: async () => {},
              pause: () => () => {},
            });
          } catch (error) {
            // kafkajs stops the partition and rejoins the group; the test rejoins by hand.
            this.kafka.log.push(`error ${(error as Error).message}`);
            break;
          }
          offset++;
          this.position.set(at, offset);
        }
      }
    }
  }
}

let t: TestApp;
let cast: Cast;
beforeAll(async () => {
  // No jobs here: the Kafka bus and its consumer below are the only ones.
  t = await startTestApp({ JOBS_IN_PROCESS: 'false', RATE_LIMIT_LOGIN_PER_ACCOUNT: '100' });
  cast = await approvalCast(t, 'kafka.test');
  // The cast's shares wrote events: publish them to a bus nobody reads, so each test sees its own.
  await drainOutbox({
    ...t.app.services,
    bus: kafkaEventBus(new FakeKafka() as unknown as KafkaClient, { log: t.app.services.log }),
  });
}, 120_000);
afterAll(() => t?.close());

/** The real notifications consumer, with each call to it written to the log. */
function logged(kafka: FakeKafka, inner: Subscription, failFirstAttemptOf?: string): Subscription {
  return {
    ...inner,
    async handle(deliveries) {
      const [d] = deliveries;
      const label = `${d?.event.type} #${d?.attempt}`;
      if (d && d.event.payload.message === failFirstAttemptOf && d.attempt === 1) {
        kafka.log.push(`failed ${label}`);
        return [{ ok: false, error: new Error('first attempt fails') }];
      }
      const outcomes = await inner.handle(deliveries);
      kafka.log.push(`handled ${label}`);
      return outcomes;
    },
  };
}

async function notifiedOf(message: string) {
  return t.sql<{ recipient_id: string }>('select recipient_id from notifications where body = ?', [message]);
}

it('publishes each event to its family topic with the budget as key and the trace in headers, and commits only after handling', async () => {
  const kafka = new FakeKafka();
  const bus = kafkaEventBus(kafka as unknown as KafkaClient, { log: t.app.services.log, sleep: async () => {} });
  const services = { ...t.app.services, bus };
  await bus.subscribe(logged(kafka, subscription(services, consumers.notifications), 'Second'));
  for (const message of ['First', 'Second']) {
    await cast.owner.tab.trpc.notifications.send.mutate({
      budgetId: cast.budgetId,
      recipientIds: [cast.sam.id],
      message,
    });
  }
  const [trace] = await t.sql<{ trace_id: string }>(
    "select trace_id from outbox_events where payload->>'message' = 'First'",
  );
  const published = await drainOutbox(services);
  await kafka.deliver();
  expect({
    published,
    topics: [...kafka.topics.keys()].sort(),
    sends: kafka.sends.map((s) => ({
      topic: s.topic,
      key: s.key,
      trace: s.headers['trace-id'],
      type: s.headers['event-type'],
    })),
    traceparent: kafka.sends[0]?.headers.traceparent?.split('-')[1],
    log: kafka.log,
    notified: [(await notifiedOf('First')).length, (await notifiedOf('Second')).length],
  }).toEqual({
    published: 2,
    topics: [
      'goalpost.comments',
      'goalpost.imports',
      'goalpost.messages',
      'goalpost.reminders',
      'goalpost.sharing',
      'goalpost.workflow',
    ],
    sends: [
      { topic: 'goalpost.messages', key: cast.budgetId, trace: trace?.trace_id, type: 'message.sent' },
      { topic: 'goalpost.messages', key: cast.budgetId, trace: expect.any(String), type: 'message.sent' },
    ],
    traceparent: trace?.trace_id,
    // The second message fails once: retried in place, and its offset committed only after.
    log: [
      'handled message.sent #1',
      expect.stringMatching(/^commit goalpost\.messages\/\d@1$/),
      'failed message.sent #1',
      'handled message.sent #2',
      expect.stringMatching(/^commit goalpost\.messages\/\d@2$/),
    ],
    notified: [1, 1],
  });
  await bus.close();
});

it('delivers a message again after a rebalance when its offset was not committed, and notifies once', async () => {
  const kafka = new FakeKafka();
  const bus = kafkaEventBus(kafka as unknown as KafkaClient, { log: t.app.services.log, sleep: async () => {} });
  const services = { ...t.app.services, bus };
  await bus.subscribe(logged(kafka, subscription(services, consumers.notifications)));
  await cast.owner.tab.trpc.notifications.send.mutate({
    budgetId: cast.budgetId,
    recipientIds: [cast.adam.id, cast.alice.id],
    message: 'Across a rebalance',
  });
  await drainOutbox(services);
  // Handled, then the commit fails because the group is rebalancing.
  kafka.failNextCommit = true;
  await kafka.deliver();
  const beforeRejoin = [...kafka.log];
  await kafka.rebalance();
  await kafka.deliver();
  const recipients = (await notifiedOf('Across a rebalance')).map((r) => cast.nameOf(r.recipient_id)).sort();
  const mails = await t.sql<{ n: string }>(
    `select count(*) as n from mail_messages where subject like '%sent you a message%' and to_address in (?, ?)`,
    [cast.adam.email, cast.alice.email],
  );
  expect({ beforeRejoin, afterRejoin: kafka.log.slice(beforeRejoin.length), recipients, mails: mails[0]?.n }).toEqual({
    beforeRejoin: ['handled message.sent #1', 'error The group is rebalancing'],
    afterRejoin: ['handled message.sent #1', expect.stringMatching(/^commit goalpost\.messages\/\d@\d$/)],
    recipients: ['Adam Accountant', 'Alice Auditor'],
    mails: '2',
  });
  await bus.close();
});

it('continues the traceparent header of a message that carries no trace-id header', async () => {
  const kafka = new FakeKafka();
  const bus = kafkaEventBus(kafka as unknown as KafkaClient, { log: t.app.services.log, sleep: async () => {} });
  const seen: string[] = [];
  const tracing = defineConsumer({
    group: 'trace-check',
    topics: ['messages'],
    process: async (ctx) => {
      seen.push(ctx.traceId);
    },
  });
  await bus.subscribe(subscription({ ...t.app.services, bus }, tracing));
  const traceId = '0af7651916cd43dd8448eb211c80319c';
  const event = {
    id: '6f1d1c3e-9a4b-4c2d-8e7f-0a1b2c3d4e5f',
    seq: 1,
    org: t.app.services.orgId,
    topic: 'messages' as const,
    type: 'message.sent',
    key: cast.budgetId,
    payload: {},
    traceId: null,
    createdAt: new Date('2027-01-01T00:00:00Z'),
  };
  kafka.topics.get('goalpost.messages')?.[0]?.push({
    key: event.key,
    value: JSON.stringify(toWire(event)),
    headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` },
  });
  await kafka.deliver();
  expect(seen).toEqual([traceId]);
  await bus.close();
});
