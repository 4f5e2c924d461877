import { purgeExpiredSessions, purgeSpentLinks, queues } from '@goalpost/api';
import type { WorkerDeps } from '../workers.ts';

/** sessions-purge (hourly): drops expired sessions and long-spent reset/invite links. */
export const sessionsPurge = {
  name: queues.sessionsPurge.name,
  payload: queues.sessionsPurge.payload,
  cron: '17 * * * *',
  async handle(deps: WorkerDeps): Promise<string> {
    const em = deps.services.orm.em.fork();
    const now = deps.services.clock.now();
    const sessions = await purgeExpiredSessions(em, now);
    const links = await purgeSpentLinks(em, now);
    return `purged ${sessions} sessions, ${links} links`;
  },
};
