import { EMAIL_CHANNELS, NOTIFICATION_FAMILIES } from '@goalpost/db';
import { z } from 'zod';
import { isTimeZone } from '../reminders/schedule.ts';

export const listInput = z.object({
  unreadOnly: z.boolean().default(false),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(100).default(20),
});

export const markReadInput = z.object({
  notificationIds: z.array(z.uuid()).min(1, 'Say which notifications to mark read.').max(500),
});

export const setPreferencesInput = z.object({
  timeZone: z
    .string()
    .trim()
    .refine(isTimeZone, 'Choose a time zone from the list (an IANA name like Europe/London).')
    .optional(),
  families: z
    .array(z.object({ family: z.enum(NOTIFICATION_FAMILIES), inApp: z.boolean(), email: z.enum(EMAIL_CHANNELS) }))
    .max(NOTIFICATION_FAMILIES.length)
    .optional(),
});

export const sendInput = z.object({
  budgetId: z.uuid(),
  recipientIds: z
    .array(z.uuid())
    .min(1, 'Choose at least one person to send the message to.')
    .max(100, 'Send to at most 100 people at once.'),
  message: z.string().trim().min(1, 'Write a message.').max(2000, 'Use at most 2000 characters.'),
});

export const budgetId = z.object({ budgetId: z.uuid() });
