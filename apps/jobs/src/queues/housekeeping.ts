import {
  expireStaleImports,
  failAbandonedImports,
  purgeExpiredSessions,
  purgeSpentLinks,
  queues,
  tidyBudgetImports,
} from '@goalpost/api';
import { handler } from '../handler.ts';

/**
 * housekeeping (hourly): drops expired sessions and long-spent reset/invite links, lets go of
 * uploads checked but never committed within a day, and closes imports whose job was lost.
 */
export const housekeeping = handler(queues.housekeeping, async (ctx) => {
  const sessions = await purgeExpiredSessions(ctx);
  const links = await purgeSpentLinks(ctx);
  const imports = await expireStaleImports(ctx);
  const abandoned = await failAbandonedImports(ctx);
  const budgets = await tidyBudgetImports(ctx);
  return `purged ${sessions} sessions, ${links} links; expired ${imports} uploads and ${budgets.expired} budget dry runs; closed ${abandoned + budgets.abandoned} abandoned imports`;
});
