import { type JobQueue, type QueueName, queues } from '@goalpost/api';
import { PgBoss, type QueueOptions } from 'pg-boss';

/**
 * pg-boss on the app's own database (schema `pgboss`). Every queue is created here with its
 * retry policy before anything sends to it, as pg-boss 12 requires.
 */
export const queueOptions: Record<QueueName, QueueOptions> = {
  // SMTP hiccups heal: retry with backoff (30 s, 60 s, 120 s, 240 s), then the mail is marked failed.
  [queues.mailDeliver.name]: { retryLimit: 4, retryDelay: 30, retryBackoff: true, expireInSeconds: 120 },
  // The commit is one transaction; validation failures do not throw. A worker that dies mid-commit stops its heartbeat; the job is retried within a minute and,
  // the transaction having rolled back, starts clean.
  [queues.usersBulkRegister.name]: {
    retryLimit: 2,
    retryDelay: 10,
    retryBackoff: true,
    expireInSeconds: 900,
    heartbeatSeconds: 30,
  },
  [queues.passwordResetRequest.name]: { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 60 },
  // Housekeeping runs again at its next tick; no retries needed.
  [queues.housekeeping.name]: { retryLimit: 0, retryDelay: 0, retryBackoff: false, expireInSeconds: 600 },
  [queues.mailSweep.name]: { retryLimit: 0, retryDelay: 0, retryBackoff: false, expireInSeconds: 300 },
};

export async function startBoss(connectionString: string, options: { max?: number } = {}): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString,
    schema: 'pgboss',
    max: options.max ?? 4,
    application_name: 'goalpost-jobs',
  });
  boss.on('error', (error) =>
    console.error(JSON.stringify({ level: 'error', msg: 'pg-boss error', error: String(error) })),
  );
  await boss.start();
  for (const [name, opts] of Object.entries(queueOptions)) await boss.createQueue(name, opts);
  return boss;
}

/** The API's view of the queues. */
export function bossJobQueue(boss: PgBoss): JobQueue {
  return {
    async send(queue, payload) {
      await boss.send(queue, payload);
    },
    async sendMany(queue, jobs) {
      for (let i = 0; i < jobs.length; i += 1000) {
        await boss.insert(queue, jobs.slice(i, i + 1000));
      }
    },
  };
}
