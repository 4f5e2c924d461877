import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdStamp, uuidKey } from './columns.ts';
import { tenant } from './organisation.ts';
import { User } from './user.ts';

/**
 * The families people choose channels for (Account → Notifications). An event's family decides
 * which preference applies to the notification it makes.
 */
export const NOTIFICATION_FAMILIES = [
  'workflow',
  'mentions',
  'comments',
  'sharing',
  'imports',
  'reminders',
  'messages',
] as const;
export type NotificationFamily = (typeof NOTIFICATION_FAMILIES)[number];

/** Mail for a family: none, one mail per notification, or one summary each morning. */
export const EMAIL_CHANNELS = ['off', 'instant', 'digest'] as const;
export type EmailChannel = (typeof EMAIL_CHANNELS)[number];

/**
 * One event told to one person. (recipient, event) is unique so a redelivered event notifies once.
 * The row is written even when the person reads this family only by mail (in_app false): it is
 * the record that the event was handled for them, which is what makes delivery idempotent.
 */
export const Notification = defineEntity({
  name: 'Notification',
  tableName: 'notifications',
  properties: {
    id: uuidKey(),
    org: tenant,
    recipient: () => p.manyToOne(User).deleteRule('cascade'),
    eventId: p.uuid(),
    kind: p.string().length(60),
    family: p.enum(NOTIFICATION_FAMILIES),
    title: p.string().length(300),
    body: p.text().nullable(),
    link: p.string().length(500).nullable(),
    /** Who caused it (null for the system: reminders, escalations). */
    actor: () => p.manyToOne(User).nullable().deleteRule('set null'),
    /** Shown in the bell. */
    inApp: p.boolean().default(true),
    email: p.enum(EMAIL_CHANNELS).default('off'),
    /** When a digest mail included it (email = 'digest'). */
    digestedAt: p.datetime().nullable(),
    readAt: p.datetime().nullable(),
    createdAt: createdStamp(),
  },
  uniques: [{ name: 'notifications_recipient_event_unique', properties: ['recipient', 'eventId'] }],
  indexes: [
    // The bell: newest first.
    { name: 'notifications_recipient_created_idx', properties: ['recipient', 'createdAt'] },
    // The unread count.
    { name: 'notifications_unread_idx', properties: ['recipient'], where: 'read_at is null and in_app' },
    // The morning digest finds what it has not mailed yet.
    { name: 'notifications_digest_idx', properties: ['recipient'], where: "email = 'digest' and digested_at is null" },
  ],
});
export type Notification = InferEntity<typeof Notification>;

/** A person's channels for one family; a family without a row uses the defaults (notifications/preferences.ts). */
export const NotificationPreference = defineEntity({
  name: 'NotificationPreference',
  tableName: 'notification_preferences',
  properties: {
    user: () => p.manyToOne(User).primary().deleteRule('cascade'),
    family: p.enum(NOTIFICATION_FAMILIES).primary(),
    org: tenant,
    inApp: p.boolean(),
    email: p.enum(EMAIL_CHANNELS),
  },
});
export type NotificationPreference = InferEntity<typeof NotificationPreference>;

/**
 * One digest mail per person per local day: the row is written in the transaction that mails the
 * digest, so several digest jobs (or a rerun) cannot mail it twice.
 */
export const NotificationDigest = defineEntity({
  name: 'NotificationDigest',
  tableName: 'notification_digests',
  properties: {
    user: () => p.manyToOne(User).primary().deleteRule('cascade'),
    localDate: p.date().primary(),
    org: tenant,
    count: p.integer(),
    sentAt: p.datetime(),
  },
});
export type NotificationDigest = InferEntity<typeof NotificationDigest>;

/**
 * An event a consumer gave up on after its retries (a poison event). Admins see these under
 * Admin → Dead letters and retry them once the cause is fixed. One row per consumer and event.
 */
export const DeadLetter = defineEntity({
  name: 'DeadLetter',
  tableName: 'dead_letters',
  properties: {
    id: uuidKey(),
    org: tenant,
    /** The consumer group that failed (e.g. 'notifications'). */
    consumer: p.string().length(60),
    eventId: p.uuid(),
    topic: p.string().length(100),
    type: p.string().length(100),
    key: p.string().length(100),
    payload: p.json<Record<string, unknown>>(),
    traceId: p.string().length(64).nullable(),
    /** When the event was written to the outbox. */
    occurredAt: p.datetime(),
    error: p.text(),
    attempts: p.integer(),
    createdAt: createdStamp(),
    lastFailedAt: p.datetime(),
    retriedAt: p.datetime().nullable(),
    retriedBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    resolvedAt: p.datetime().nullable(),
  },
  uniques: [{ name: 'dead_letters_consumer_event_unique', properties: ['consumer', 'eventId'] }],
  indexes: [{ name: 'dead_letters_org_created_idx', properties: ['org', 'createdAt'] }],
});
export type DeadLetter = InferEntity<typeof DeadLetter>;
