import { commitUserImport, queues } from '@goalpost/api';
import { handler } from '../handler.ts';

/** users-bulk-register: commits a checked CSV of users, all rows or none. */
export const usersBulkRegister = handler(queues.usersBulkRegister, (ctx, payload, attempt) =>
  commitUserImport(ctx, payload, attempt),
);
