import { drainOutbox, queues } from '@goalpost/api';
import { handler } from '../handler.ts';

/** outbox-relay (every minute): publishes outbox events the relay's wake-up missed (relay.ts runs it at once otherwise). */
export const outboxRelay = handler(
  queues.outboxRelay,
  async (ctx) => `published ${await drainOutbox(ctx.services)} events`,
);
