import { MAIL_STATUSES } from '@goalpost/db';
import { z } from 'zod';

/** Whether the single-use link a mail carries still works, and if not, why. */
export const LINK_STATES = ['live', 'used', 'superseded', 'expired'] as const;
export type LinkState = (typeof LINK_STATES)[number];

export const MAIL_KINDS = ['invite', 'password-reset'] as const;

export const outboxListInput = z.object({
  search: z.string().trim().max(320).optional(),
  kind: z.enum(MAIL_KINDS).optional(),
  status: z.enum(MAIL_STATUSES).optional(),
  link: z.enum(LINK_STATES).optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(25),
});
export const mailId = z.object({ mailId: z.uuid() });
