import { expireStaleImports, purgeExpiredSessions, purgeSpentLinks, queues } from '@goalpost/api';
import type { WorkerDeps } from '../workers.ts';

/**
 * housekeeping (hourly): drops expired sessions and long-spent reset/invite links, and lets go of
 * uploads that were checked but never committed within a day.
 */
export const housekeeping = {
  name: queues.housekeeping.name,
  payload: queues.housekeeping.payload,
  cron: '17 * * * *',
  async handle(deps: WorkerDeps): Promise<string> {
    const em = deps.services.orm.em.fork();
    const now = deps.services.clock.now();
    const sessions = await purgeExpiredSessions(em, now);
    const links = await purgeSpentLinks(em, now);
    const imports = await expireStaleImports(em, now);
    return `purged ${sessions} sessions, ${links} links; expired ${imports} uploads`;
  },
};
