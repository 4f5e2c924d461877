import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdStamp, uuidKey } from './columns.ts';
import { tenant } from './organisation.ts';
import { User } from './user.ts';

/** An in-app notification. (recipient, event) is unique so a redelivered event notifies once. */
export const Notification = defineEntity({
  name: 'Notification',
  tableName: 'notifications',
  properties: {
    id: uuidKey(),
    org: tenant,
    recipient: () => p.manyToOne(User).deleteRule('cascade'),
    eventId: p.uuid(),
    kind: p.string().length(60),
    title: p.string().length(300),
    body: p.text().nullable(),
    link: p.string().length(500).nullable(),
    readAt: p.datetime().nullable(),
    createdAt: createdStamp(),
  },
  uniques: [{ name: 'notifications_recipient_event_unique', properties: ['recipient', 'eventId'] }],
  // The bell: unread first, newest first.
  indexes: [{ name: 'notifications_recipient_created_idx', properties: ['recipient', 'createdAt'] }],
});
export type Notification = InferEntity<typeof Notification>;
