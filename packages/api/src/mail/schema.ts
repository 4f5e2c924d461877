import { z } from 'zod';

export const outboxListInput = z.object({
  search: z.string().trim().max(320).optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(25),
});
export const mailId = z.object({ mailId: z.uuid() });
