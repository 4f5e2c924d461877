import { z } from 'zod';

export const listInput = z.object({
  /** Open: not retried successfully yet. */
  status: z.enum(['open', 'resolved', 'all']).default('open'),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(25),
});
export const deadLetterId = z.object({ deadLetterId: z.uuid() });
