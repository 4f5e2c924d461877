import {
  beginSpan,
  consumerList,
  jobTrace,
  jobTraceparent,
  type Services,
  subscription,
  systemContext,
  within,
} from '@goalpost/api';
import type { PgBoss } from 'pg-boss';
import type { QueueHandler } from './handler.ts';
import { jobSeconds, jobsDone } from './metrics.ts';
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
 * the trace of the request that queued it (a span continuing the sender's `traceparent`), logs one
 * line with its outcome and duration, and is counted and timed for /metrics.
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
        const scope = beginSpan(`job ${queue.name}`, {
          traceparent: jobTraceparent(job.data),
          traceId: jobTrace(job.data),
          kind: 'consumer',
          attributes: { 'messaging.system': 'pg-boss', 'messaging.destination.name': queue.name, 'job.id': job.id },
        });
        const log = services.log.child({
          queue: queue.name,
          jobId: job.id,
          traceId: scope.traceId,
          retry: job.retryCount,
        });
        const finish = (outcome: 'done' | 'failed') => {
          const seconds = (performance.now() - started) / 1000;
          jobsDone.inc({ queue: queue.name, outcome });
          jobSeconds.observe({ queue: queue.name, outcome }, seconds);
          return Math.round(seconds * 1000);
        };
        return within(scope, async () => {
          try {
            const payload = queue.payload.parse(job.data);
            const outcome = await handle(systemContext(services, scope.traceId), payload, {
              last: job.retryCount >= retryLimit,
            });
            log.info({ outcome, ms: finish('done') }, 'job done');
            scope.end();
            return outcome;
          } catch (error) {
            log.error({ err: error, ms: finish('failed') }, 'job failed');
            scope.end(error);
            throw error;
          }
        });
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
