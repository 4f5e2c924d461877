/** Every queue defined in packages/api/src/queues.ts has exactly one handler, and no handler is for an unknown queue. */
import { queueList } from '@goalpost/api';
import { expect, it } from 'vitest';
import { handlers } from './workers.ts';

it('handles every defined queue exactly once', () => {
  expect(handlers.map((h) => h.queue.name).sort()).toEqual(queueList.map((q) => q.name).sort());
});
