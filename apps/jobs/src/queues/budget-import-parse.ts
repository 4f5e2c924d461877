import { parseImportJob, queues } from '@goalpost/api';
import { handler } from '../handler.ts';

/** budget-import-parse: reads a budget import's file and stores the dry run. */
export const budgetImportParse = handler(queues.budgetImportParse, (ctx, payload, attempt) =>
  parseImportJob(ctx, payload, attempt),
);
