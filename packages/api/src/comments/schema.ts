import { z } from 'zod';
import { isoDate } from '../goals/schema.ts';

/** Cells are commented on budgets and forecasts: `{ type: 'budget', id }`. */
export const subject = z.object({
  type: z.enum(['budget', 'forecast'], { error: 'Comments are on budgets and forecasts: use budget or forecast.' }),
  id: z.uuid(),
});

const body = z.string().trim().min(1, 'Write a comment.').max(5000, 'Use at most 5,000 characters.');
/** Ids of people @mentioned in the comment; each must be able to read the budget or forecast. */
const mentions = z
  .array(z.uuid())
  .max(20, 'Mention at most 20 people in one comment.')
  .refine((ids) => new Set(ids).size === ids.length, 'Mention each person once.')
  .default([]);
/** A budget's revision; left out: the current one. */
const versionNumber = z.number().int().min(1).optional();

export const listInput = z.object({
  subject,
  versionNumber,
  status: z.enum(['open', 'resolved', 'all']).default('open'),
  /** Threads the caller started or wrote in. */
  mine: z.boolean().default(false),
  /** Threads with a comment mentioning the caller. */
  mentioningMe: z.boolean().default(false),
});

export const cellsInput = z.object({ subject, versionNumber });

export const startInput = z.object({ subject, lineKey: z.uuid(), period: isoDate, body, mentions });

export const replyInput = z.object({ threadId: z.uuid(), body, mentions });

export const threadId = z.object({ threadId: z.uuid() });

export const mentionableInput = z.object({
  subject,
  search: z.string().trim().max(100, 'Use at most 100 characters.').default(''),
  limit: z.number().int().min(1).max(20).default(10),
});
