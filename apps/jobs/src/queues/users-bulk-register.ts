import { commitUserImport, queues } from '@goalpost/api';
import type { WorkerDeps } from '../workers.ts';

/** users-bulk-register: commits a checked CSV of users, all rows or none. */
export const usersBulkRegister = {
  name: queues.usersBulkRegister.name,
  payload: queues.usersBulkRegister.payload,
  async handle(deps: WorkerDeps, data: unknown): Promise<string> {
    const { importId } = queues.usersBulkRegister.payload.parse(data);
    return commitUserImport(deps.services, importId);
  },
};
