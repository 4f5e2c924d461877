import { queues, sendDigests } from '@goalpost/api';
import { handler } from '../handler.ts';

/** notifications-digest (hourly): mails the daily digest to everyone whose morning it is. */
export const notificationsDigest = handler(
  queues.notificationsDigest,
  async (ctx) => `mailed ${await sendDigests(ctx)} digests`,
);
