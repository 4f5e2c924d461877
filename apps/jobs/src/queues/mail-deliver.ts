import { deliverMail, queues } from '@goalpost/api';
import type { WorkerDeps } from '../workers.ts';

/** mail-deliver: sends one queued mail over SMTP (only sent to when SMTP_URL is set). */
export const mailDeliver = {
  name: queues.mailDeliver.name,
  payload: queues.mailDeliver.payload,
  async handle(deps: WorkerDeps, data: unknown): Promise<string> {
    const { mailId } = queues.mailDeliver.payload.parse(data);
    if (!deps.transport) return 'skipped: no SMTP transport configured';
    return deliverMail(
      deps.services.orm.em.fork(),
      deps.transport,
      deps.services.clock,
      deps.services.settings.mailFrom,
      mailId,
    );
  },
};
