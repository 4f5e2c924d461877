import { z } from 'zod';

/**
 * The queues the API hands work to. Names and payloads live here so the API (which sends) and
 * apps/jobs (which handles) share one contract; apps/jobs/src/queues/ holds one handler per queue.
 */
export const queues = {
  mailDeliver: { name: 'mail-deliver', payload: z.object({ mailId: z.uuid() }) },
  usersBulkRegister: { name: 'users-bulk-register', payload: z.object({ importId: z.uuid() }) },
  passwordResetRequest: { name: 'password-reset-request', payload: z.object({ email: z.string() }) },
  housekeeping: { name: 'housekeeping', payload: z.object({}) },
  mailSweep: { name: 'mail-sweep', payload: z.object({}) },
} as const;

export type QueueName = (typeof queues)[keyof typeof queues]['name'];

export interface Job {
  data: Record<string, unknown>;
  /** A job id: sending the same id again while that job exists adds nothing (deduplication). */
  id?: string;
}

export interface JobQueue {
  send(queue: QueueName, payload: Record<string, unknown>): Promise<void>;
  sendMany(queue: QueueName, jobs: Job[]): Promise<void>;
}
