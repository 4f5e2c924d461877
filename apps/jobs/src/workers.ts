import type { MailTransport, Services } from '@goalpost/api';
import type { PgBoss } from 'pg-boss';
import { housekeeping } from './queues/housekeeping.ts';
import { mailDeliver } from './queues/mail-deliver.ts';
import { mailSweep } from './queues/mail-sweep.ts';
import { passwordResetRequest } from './queues/password-reset-request.ts';
import { usersBulkRegister } from './queues/users-bulk-register.ts';

export interface WorkerDeps {
  services: Services;
  /** Null when no SMTP_URL is set: mail is captured in the app instead. */
  transport: MailTransport | null;
}

export const handlers = [mailDeliver, usersBulkRegister, passwordResetRequest, housekeeping, mailSweep];
const scheduled = [housekeeping, mailSweep];

/**
 * Registers one worker per queue and the schedules; each job logs one line with its outcome and
 * duration. pg-boss runs a schedule once per tick however many workers are running.
 */
export async function startWorkers(boss: PgBoss, deps: WorkerDeps): Promise<void> {
  for (const job of scheduled) await boss.schedule(job.name, job.cron, {}, { tz: 'UTC' });
  for (const handler of handlers) {
    // SMTP round trips dominate mail delivery: several at once per worker.
    const localConcurrency = handler === mailDeliver ? 5 : 1;
    await boss.work(handler.name, { pollingIntervalSeconds: 1, localConcurrency }, async ([job]) => {
      if (!job) return;
      const started = performance.now();
      const log = deps.services.log.child({
        queue: handler.name,
        jobId: job.id,
        traceId: job.id,
        retry: job.retryCount,
      });
      try {
        const outcome = await handler.handle(deps, job.data);
        log.info({ outcome, ms: Math.round(performance.now() - started) }, 'job done');
        return outcome;
      } catch (error) {
        log.error({ error: String(error), ms: Math.round(performance.now() - started) }, 'job failed');
        throw error;
      }
    });
  }
}
