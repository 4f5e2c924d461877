/**
 * Every consumer group of the event bus, defined once: its name, the topics it reads, and what it
 * does with a batch of events. apps/jobs subscribes each on the bus at start; the dead-letter
 * retry (deadletters/service.ts) runs the same `process` for one event.
 */
import { deliverNotifications } from './notifications/deliver.ts';
import { defineConsumer } from './outbox/consume.ts';
import { TOPICS } from './outbox/service.ts';
import { scheduleApprovalReminders } from './reminders/approval.ts';

export const consumers = {
  /** Events → notifications in the app and by mail, for the right people (notifications/recipients.ts). */
  notifications: defineConsumer({ group: 'notifications', topics: TOPICS, process: deliverNotifications }),
  /** Workflow events → the automatic approval reminders of budgets waiting for approval. */
  approvalReminders: defineConsumer({
    group: 'approval-reminders',
    topics: ['workflow'],
    process: scheduleApprovalReminders,
  }),
} as const;

export const consumerList = Object.values(consumers);
