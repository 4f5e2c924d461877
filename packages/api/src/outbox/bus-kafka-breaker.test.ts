/**
 * The Kafka publish circuit breaker, at the kafkajs boundary (no broker can run on these machines;
 * bus-kafka.test.ts explains the stand-in). The producer's `sendBatch` fails as it does when the
 * brokers are down; after enough failures the circuit opens and publishes fail at once without
 * reaching kafkajs (the outbox relay leaves the events unpublished for its next run). When the
 * brokers are back the circuit lets a trial through and closes, and the events are sent. The
 * breaker here has a short reset time; states are read from the metrics registry.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Admin, Producer, ProducerBatch } from 'kafkajs';
import { expect, it } from 'vitest';
import { createLogger } from '../platform/logger.ts';
import { metricsRegistry } from '../platform/metrics.ts';
import type { BusEvent } from './bus.ts';
import { type KafkaClient, kafkaEventBus } from './bus-kafka.ts';

class BrokersThatGoDown {
  down = false;
  sendCalls = 0;
  sent: string[] = [];
  admin(): Admin {
    return { connect: async () => {}, disconnect: async () => {}, createTopics: async () => true } as unknown as Admin;
  }
  producer(): Producer {
    return {
      connect: async () => {},
      disconnect: async () => {},
      sendBatch: async (batch: ProducerBatch) => {
        this.sendCalls += 1;
        if (this.down) throw new Error('KafkaJSNumberOfRetriesExceeded: Connection error: connect ECONNREFUSED');
        for (const t of batch.topicMessages ?? []) for (const m of t.messages) this.sent.push(String(m.key));
        return [];
      },
    } as unknown as Producer;
  }
}

async function circuit(): Promise<number | undefined> {
  const values = (await metricsRegistry.getSingleMetric('goalpost_circuit_state')?.get())?.values ?? [];
  return values.find((v) => v.labels.breaker === 'kafka')?.value;
}

const event = (key: string): BusEvent => ({
  id: crypto.randomUUID(),
  seq: 1,
  org: crypto.randomUUID(),
  topic: 'workflow',
  type: 'budget.submitted',
  key,
  payload: {},
  traceId: null,
  createdAt: new Date(),
});

it('opens while the brokers are down, fails publishes fast without calling kafkajs, and closes once they are back', async () => {
  const kafka = new BrokersThatGoDown();
  const bus = kafkaEventBus(kafka as unknown as KafkaClient, {
    log: createLogger('silent'),
    breaker: { volumeThreshold: 2, resetTimeoutMs: 300 },
  });
  const em = null as unknown as EntityManager; // the Kafka bus does not write to the database
  const publish = (key: string) =>
    bus.publish(em, [event(key)]).then(
      () => 'published',
      (error: Error & { code?: string }) => error.code ?? 'failed',
    );

  kafka.down = true;
  const whileDown = [await publish('a'), await publish('b'), await publish('c'), await publish('d')];
  const callsWhileDown = kafka.sendCalls;
  const stateWhileDown = await circuit();

  kafka.down = false;
  const deadline = Date.now() + 10_000;
  while ((await circuit()) !== 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const afterwards = [await publish('c'), await publish('d')];
  await bus.close();

  expect({
    whileDown,
    callsWhileDown,
    stateWhileDown,
    afterwards,
    stateAfterwards: await circuit(),
    sent: kafka.sent,
  }).toEqual({
    whileDown: ['failed', 'failed', 'CIRCUIT_OPEN', 'CIRCUIT_OPEN'],
    callsWhileDown: 2,
    stateWhileDown: 2,
    afterwards: ['published', 'published'],
    stateAfterwards: 0,
    sent: ['c', 'd'],
  });
});
