import {
  expireStaleImports,
  failAbandonedImports,
  purgeExpiredSessions,
  purgePublishedEvents,
  purgeSpentLinks,
  queues,
  tidyBudgetImports,
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
  const budgets = await tidyBudgetImports(ctx);
  const events = await purgePublishedEvents(ctx);
  return `purged ${sessions} sessions, ${links} links, ${events} published events; expired ${imports} uploads and ${budgets.expired} budget dry runs; closed ${abandoned + budgets.abandoned} abandoned imports`;
});
