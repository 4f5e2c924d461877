/**
 * Every queue, defined once: name, payload, retry policy, schedule. The API sends with these
 * (`services.jobs.send(queues.mailDeliver, { mailId })`); apps/jobs/src/queues/<name>.ts handles
 * each; apps/jobs creates them all from `queueList` before anything sends.
 */
import { z } from 'zod';
import { defineQueue } from './platform/jobs.ts';

export const queues = {
  /** Sends one mail over SMTP. SMTP hiccups heal: retried with backoff (30 s, 60 s, 120 s, 240 s). */
  mailDeliver: defineQueue({
    name: 'mail-deliver',
    payload: z.object({ mailId: z.uuid() }),
    options: { retryLimit: 4, retryDelay: 30, retryBackoff: true, expireInSeconds: 120 },
    // SMTP round trips dominate: several at once per worker.
    concurrency: 5,
  }),
  /**
   * Commits a checked CSV of users in one transaction. A worker that dies mid-commit stops its
   * heartbeat; the job is retried and, the transaction having rolled back, starts clean. Transient
   * database errors are retried the same way.
   */
  usersBulkRegister: defineQueue({
    name: 'users-bulk-register',
    // `existing`: the admin's choice for people already registered (leave them, or update them from the file).
    payload: z.object({ importId: z.uuid(), existing: z.enum(['skip', 'update']).default('skip') }),
    options: { retryLimit: 3, retryDelay: 10, retryBackoff: true, expireInSeconds: 900, heartbeatSeconds: 30 },
  }),
  /**
   * Reads a budget import's file (downloading a Google sheet first), stages its lines and writes
   * the dry-run report. A parse is pure, so a retried one starts again from the top; Google's 429
   * and 5xx answers are retried here with backoff (10 s, 20 s, 40 s, 80 s) after the client's own
   * quick retries. A file that cannot be read fails at once with the reason.
   */
  budgetImportParse: defineQueue({
    name: 'budget-import-parse',
    payload: z.object({ importId: z.uuid() }),
    options: { retryLimit: 4, retryDelay: 10, retryBackoff: true, expireInSeconds: 900, heartbeatSeconds: 30 },
  }),
  /**
   * Writes a reviewed budget import in one transaction, all of it or nothing. A worker killed
   * mid-commit stops its heartbeat, its transaction rolls back, and the retry starts clean; a
   * duplicated job finds the import done and does nothing.
   */
  budgetImportCommit: defineQueue({
    name: 'budget-import-commit',
    payload: z.object({ importId: z.uuid() }),
    // A short heartbeat: a dead worker's commit is handed out again within seconds, not minutes.
    options: { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 1800, heartbeatSeconds: 10 },
  }),
  /** Looks an address up and mails a reset link, off the request so timing reveals nothing. */
  passwordResetRequest: defineQueue({
    name: 'password-reset-request',
    payload: z.object({ email: z.string() }),
    options: { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 60 },
  }),
  /** Hourly clean-up; it runs again at its next tick, so no retries. */
  housekeeping: defineQueue({
    name: 'housekeeping',
    payload: z.object({}),
    options: { retryLimit: 0, expireInSeconds: 600 },
    cron: '17 * * * *',
  }),
  /** Every 5 minutes: hands mails whose delivery job was lost (expired, failed mid-send) over again. */
  mailSweep: defineQueue({
    name: 'mail-sweep',
    payload: z.object({}),
    options: { retryLimit: 0, expireInSeconds: 300 },
    cron: '*/5 * * * *',
  }),
  /**
   * Every minute: the outbox relay's sweep. The relay normally runs the moment events commit
   * (woken by the outbox trigger's NOTIFY); this catches anything a lost connection missed.
   */
  outboxRelay: defineQueue({
    name: 'outbox-relay',
    payload: z.object({}),
    options: { retryLimit: 0, expireInSeconds: 300 },
    cron: '* * * * *',
  }),
  /** Every minute: fires due reminders, each occurrence once (reminders/scheduler.ts). */
  remindersDue: defineQueue({
    name: 'reminders-due',
    payload: z.object({}),
    options: { retryLimit: 0, expireInSeconds: 300 },
    cron: '* * * * *',
  }),
  /** Hourly: mails each person's daily digest in their morning (notifications/digest.ts). */
  notificationsDigest: defineQueue({
    name: 'notifications-digest',
    payload: z.object({}),
    options: { retryLimit: 0, expireInSeconds: 1800 },
    cron: '0 * * * *',
  }),
} as const;

export const queueList = Object.values(queues);
