import { queues, requeueStuckMail } from '@goalpost/api';
import { handler } from '../handler.ts';

/** mail-sweep (every 5 minutes, SMTP only): hands mails whose delivery was lost over again. */
export const mailSweep = handler(queues.mailSweep, async (ctx) => {
  if (!ctx.services.mailer) return 'skipped: no SMTP transport configured';
  return `re-queued ${await requeueStuckMail(ctx)} mails`;
});
