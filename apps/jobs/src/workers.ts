import { consumerList, jobTrace, newTraceId, type Services, subscription, systemContext } from '@goalpost/api';
import type { PgBoss } from 'pg-boss';
import type { QueueHandler } from './handler.ts';
import { budgetImportCommit } from './queues/budget-import-commit.ts';
import { budgetImportParse } from './queues/budget-import-parse.ts';
import { housekeeping } from './queues/housekeeping.ts';
import { mailDeliver } from './queues/mail-deliver.ts';
import { mailSweep } from './queues/mail-sweep.ts';
import { notificationsDigest } from './queues/notifications-digest.ts';
import { outboxRelay } from './queues/outbox-relay.ts';
import { passwordResetRequest } from './queues/password-reset-request.ts';
import { remindersDue } from './queues/reminders-due.ts';
import { usersBulkRegister } from './queues/users-bulk-register.ts';
import { startRelay } from './relay.ts';

/** Every queue's handler. A queue defined in packages/api/src/queues.ts without one here fails the jobs test. */
export const handlers: QueueHandler[] = [
  mailDeliver,
  usersBulkRegister,
  budgetImportParse,
  budgetImportCommit,
  passwordResetRequest,
  housekeeping,
  mailSweep,
  outboxRelay,
  remindersDue,
  notificationsDigest,
];

export interface RunningWorkers {
  /** Stops the relay and the bus consumers (pg-boss's own workers stop with pg-boss). */
  stop(): Promise<void>;
}

/**
 * Registers one worker per queue and the schedules, the event bus's consumer groups
 * (packages/api/src/consumers.ts) and the outbox relay. Each job runs on a fresh context carrying
 * the trace id of the request that queued it, and logs one line with its outcome and duration.
 * pg-boss runs a schedule once per tick however many workers are running.
 */
export async function startWorkers(boss: PgBoss, services: Services): Promise<RunningWorkers> {
  for (const { queue, handle } of handlers) {
    if (queue.cron) await boss.schedule(queue.name, queue.cron, {}, { tz: 'UTC' });
    const retryLimit = queue.options.retryLimit ?? 0;
    await boss.work(
      queue.name,
      { pollingIntervalSeconds: 1, localConcurrency: queue.concurrency ?? 1 },
      async ([job]) => {
        if (!job) return;
        const started = performance.now();
        const traceId = jobTrace(job.data) ?? newTraceId();
        const log = services.log.child({ queue: queue.name, jobId: job.id, traceId, retry: job.retryCount });
        try {
          const payload = queue.payload.parse(job.data);
          const outcome = await handle(systemContext(services, traceId), payload, {
            last: job.retryCount >= retryLimit,
          });
          log.info({ outcome, ms: Math.round(performance.now() - started) }, 'job done');
          return outcome;
        } catch (error) {
          log.error({ err: error, ms: Math.round(performance.now() - started) }, 'job failed');
          throw error;
        }
      },
    );
  }
  // Consumers first: with pg-boss, a group's subscription must exist before the relay publishes.
  for (const consumer of consumerList) await services.bus.subscribe(subscription(services, consumer));
  const relay = startRelay(services);
  return {
    async stop() {
      await relay.stop();
      await services.bus.close();
    },
  };
}
