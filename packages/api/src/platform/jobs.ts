import { z } from 'zod';

/**
 * The queues the API hands work to. Names and payloads live here so the API (which sends) and
 * apps/jobs (which handles) share one contract; apps/jobs/src/queues/ holds one handler per queue.
 */
export const queues = {
  mailDeliver: { name: 'mail-deliver', payload: z.object({ mailId: z.uuid() }) },
  usersBulkRegister: { name: 'users-bulk-register', payload: z.object({ importId: z.uuid() }) },
  housekeeping: { name: 'housekeeping', payload: z.object({}) },
  mailSweep: { name: 'mail-sweep', payload: z.object({}) },
} as const;

export type QueueName = (typeof queues)[keyof typeof queues]['name'];

export interface JobQueue {
  send(queue: QueueName, payload: Record<string, unknown>): Promise<void>;
  sendMany(queue: QueueName, payloads: Record<string, unknown>[]): Promise<void>;
}
