import { EMAIL_CHANNELS, NOTIFICATION_FAMILIES } from '@goalpost/db';
import { z } from 'zod';
import { EXAMPLES } from '../goals/schema.ts';
import { isTimeZone } from '../reminders/schedule.ts';
import { flag, timestamp } from '../rest/schema.ts';

export const listInput = z.object({
  unreadOnly: flag.default(false),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(100).default(20),
});

export const markReadInput = z
  .object({
    notificationIds: z.array(z.uuid()).min(1, 'Say which notifications to mark read.').max(500),
  })
  .meta({ examples: [{ notificationIds: ['e4d3c2b1-a098-4f76-8e54-3d2c1b0a9f8e'] }] });

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

// Answers (the REST document describes them; rest/schema.ts for timestamps).

export const notification = z.object({
  id: z.uuid(),
  kind: z.string(),
  family: z.enum(NOTIFICATION_FAMILIES),
  title: z.string(),
  body: z.string().nullable(),
  /** Where the notification leads in the web app (a path, such as /budgets/<id>). */
  link: z.string().nullable(),
  readAt: timestamp.nullable(),
  createdAt: timestamp,
  actor: z.object({ id: z.uuid(), name: z.string() }).nullable(),
});

export const listOutput = z
  .object({
    items: z.array(notification),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
    unread: z.number().int(),
  })
  .meta({
    examples: [
      {
        items: [
          {
            id: 'e4d3c2b1-a098-4f76-8e54-3d2c1b0a9f8e',
            kind: 'workflow.submitted',
            family: 'workflow',
            title: 'Ada Lovelace submitted Fit-out 2027 for approval',
            body: null,
            link: `/budgets/${EXAMPLES.budgetId}`,
            readAt: null,
            createdAt: EXAMPLES.at,
            actor: { id: EXAMPLES.userId, name: 'Ada Lovelace' },
          },
        ],
        total: 1,
        page: 1,
        pageSize: 20,
        unread: 1,
      },
    ],
  });

export const unreadOutput = z.object({ unread: z.number().int() }).meta({ examples: [{ unread: 0 }] });
