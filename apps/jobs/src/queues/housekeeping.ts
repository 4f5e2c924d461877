import {
  expireStaleImports,
  failAbandonedImports,
  purgeExpiredSessions,
  purgePublishedEvents,
  purgeSpentLinks,
  queues,
} from '@goalpost/api';
import { handler } from '../handler.ts';

/**
 * housekeeping (hourly): drops expired sessions and long-spent reset/invite links, lets go of
 * uploads checked but never committed within a day, closes imports whose job was lost, and
 * deletes outbox events published more than a week ago.
 */
export const housekeeping = handler(queues.housekeeping, async (ctx) => {
  const sessions = await purgeExpiredSessions(ctx);
  const links = await purgeSpentLinks(ctx);
  const imports = await expireStaleImports(ctx);
  const abandoned = await failAbandonedImports(ctx);
  const events = await purgePublishedEvents(ctx);
  return `purged ${sessions} sessions, ${links} links, ${events} published events; expired ${imports} uploads; closed ${abandoned} abandoned imports`;
});
