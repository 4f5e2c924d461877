import { commitImportJob, queues } from '@goalpost/api';
import { handler } from '../handler.ts';

/** budget-import-commit: writes a reviewed budget import, all of it or nothing. */
export const budgetImportCommit = handler(queues.budgetImportCommit, (ctx, payload, attempt) =>
  commitImportJob(ctx, payload, attempt),
);
