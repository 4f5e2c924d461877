import { queues, sendPasswordResetLink } from '@goalpost/api';
import { handler } from '../handler.ts';

/**
 * password-reset-request: looks the address up and mails a link if it has an active account.
 * Done here rather than in the request, so the answer takes the same time either way.
 */
export const passwordResetRequest = handler(queues.passwordResetRequest, (ctx, payload) =>
  sendPasswordResetLink(ctx, payload),
);
