import { queues, requeueStuckMail } from '@goalpost/api';
import type { WorkerDeps } from '../workers.ts';

/** mail-sweep (every 5 minutes, SMTP only): re-queues mails left queued by a crash. */
export const mailSweep = {
  name: queues.mailSweep.name,
  payload: queues.mailSweep.payload,
  cron: '*/5 * * * *',
  async handle(deps: WorkerDeps): Promise<string> {
    if (!deps.transport) return 'skipped: no SMTP transport configured';
    return `re-queued ${await requeueStuckMail(deps.services)} mails`;
  },
};
