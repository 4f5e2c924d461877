import type { PgBoss } from 'pg-boss';
import type { Logger } from '../platform/logger.ts';
import type { Settings } from '../settings.ts';
import type { EventBus } from './bus.ts';
import { kafkaEventBus } from './bus-kafka.ts';
import { bossEventBus } from './bus-pgboss.ts';

/**
 * The bus this deployment uses: Kafka when KAFKA_BROKERS is set, else pg-boss (the embedded default).
 * kafkajs is loaded only when it is the bus, so a deployment without Kafka does not carry it.
 */
export async function createEventBus(options: { settings: Settings; boss: PgBoss; log: Logger }): Promise<EventBus> {
  const { settings, boss, log } = options;
  if (settings.kafkaBrokers.length > 0) {
    const { Kafka, logLevel } = await import('kafkajs');
    const kafka = new Kafka({ clientId: 'goalpost', brokers: settings.kafkaBrokers, logLevel: logLevel.WARN });
    return kafkaEventBus(kafka, { log });
  }
  return bossEventBus(boss, { schema: 'pgboss' });
}
