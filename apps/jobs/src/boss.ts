import { type Clock, queueList } from '@goalpost/api';
import { getConstructionPlans, PgBoss } from 'pg-boss';

const SCHEMA = 'pgboss';

/**
 * pg-boss on the app's own database (schema `pgboss`), on the app's clock. Every queue is created
 * here from its definition (packages/api/src/queues.ts) before anything sends to it, as pg-boss 12
 * requires.
 */
export async function startBoss(
  connectionString: string,
  options: { clock: Clock; max?: number; superviseIntervalSeconds?: number; onError?: (error: unknown) => void },
): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString,
    schema: SCHEMA,
    max: options.max ?? 10,
    application_name: 'goalpost-jobs',
    clock: options.clock.timers,
    ...(options.superviseIntervalSeconds ? { superviseIntervalSeconds: options.superviseIntervalSeconds } : {}),
  });
  boss.on('error', options.onError ?? ((error) => console.error(error)));
  await boss.start();
  for (const queue of queueList) await boss.createQueue(queue.name, queue.options);
  return boss;
}

/** The SQL that creates pg-boss's schema as this release's pg-boss makes it (a restore needs it). */
export function bossSchemaPlans(): string {
  return getConstructionPlans(SCHEMA);
}
