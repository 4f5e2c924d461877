import { deliverMail, queues } from '@goalpost/api';
import { handler } from '../handler.ts';

/** mail-deliver: sends one queued mail over SMTP (only sent to when SMTP_URL is set). */
export const mailDeliver = handler(queues.mailDeliver, (ctx, payload) => deliverMail(ctx, payload));
