import { queues, sendPasswordResetLink } from '@goalpost/api';
import type { WorkerDeps } from '../workers.ts';

/**
 * password-reset-request: looks the address up and mails a link if it has an active account.
 * Done here rather than in the request, so the answer takes the same time either way.
 */
export const passwordResetRequest = {
  name: queues.passwordResetRequest.name,
  payload: queues.passwordResetRequest.payload,
  async handle(deps: WorkerDeps, data: unknown): Promise<string> {
    const { email } = queues.passwordResetRequest.payload.parse(data);
    return sendPasswordResetLink(deps.services, email);
  },
};
