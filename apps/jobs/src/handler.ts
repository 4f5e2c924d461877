import type { QueueDefinition, ServiceContext } from '@goalpost/api';
import type { z } from 'zod';

/** What a handler learns about its job beyond the payload. */
export interface JobAttempt {
  /** No retry follows if this attempt fails. */
  last: boolean;
}

/** A queue's handler: the work for one job, given a context and the payload its definition parsed. */
export interface QueueHandler<P extends z.ZodType = z.ZodType> {
  queue: QueueDefinition<P>;
  handle(ctx: ServiceContext, payload: z.output<P>, attempt: JobAttempt): Promise<string>;
}

export function handler<P extends z.ZodType>(
  queue: QueueDefinition<P>,
  handle: QueueHandler<P>['handle'],
): QueueHandler<P> {
  return { queue, handle };
}
