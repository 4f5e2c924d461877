/**
 * The save queue against a scripted server: order is kept, cell-only bursts merge (first `from`,
 * last `to`), row operations are never merged with other actions, a transient failure retries the
 * same batch (nothing behind it overtakes), a conflict hands its cells over and moves on, and a
 * refusal stops the queue with the edits kept until retried or discarded.
 */
import { describe, expect, it, vi } from 'vitest';
import { type Batch, emptyBatch, SaveQueue, type SaveState, type SendOutcome } from './save-queue.ts';

const cell = (lineKey: string, from: bigint | null, to: bigint | null) => ({
  ...emptyBatch(),
  cells: [{ lineKey, period: '2027-01-01', field: 'amount', from, to }],
});

function harness(answers: SendOutcome[]) {
  const sent: Batch[] = [];
  const retries: { fn: () => void; ms: number }[] = [];
  const states: SaveState['kind'][] = [];
  const conflicts: unknown[][] = [];
  let release: (() => void) | null = null;
  const queue = new SaveQueue({
    send: async (batch) => {
      sent.push(batch);
      await new Promise<void>((r) => {
        release = r;
      });
      return answers.shift() ?? { ok: true };
    },
    onState: (s) => states.push(s.kind),
    onConflicts: (c) => conflicts.push(c),
    later: (fn, ms) => {
      retries.push({ fn, ms });
      return () => {};
    },
  });
  const answer = async () => {
    await vi.waitFor(() => expect(release).not.toBeNull());
    const r = release as unknown as () => void;
    release = null;
    r();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { queue, sent, states, conflicts, answer, retries };
}

describe('SaveQueue', () => {
  it('sends in order, merging a burst of cell edits that waits behind a request in flight', async () => {
    const h = harness([]);
    h.queue.push(cell('a', null, 1n));
    h.queue.push(cell('b', null, 2n));
    h.queue.push(cell('b', 2n, 3n));
    await h.answer();
    await h.answer();
    expect({
      sent: h.sent.map((b) => b.cells.map((c) => [c.lineKey, c.from, c.to])),
      last: h.states.at(-1),
      waiting: h.queue.waiting,
    }).toEqual({
      sent: [[['a', null, 1n]], [['b', null, 3n]]],
      last: 'saved',
      waiting: 0,
    });
  });

  it('never merges a row operation with the edits around it', async () => {
    const h = harness([]);
    h.queue.push(cell('a', null, 1n));
    h.queue.push({ ...emptyBatch(), removed: ['a'] });
    h.queue.push({ ...emptyBatch(), added: [{ key: 'a', position: 0, category: '', description: null, notes: null }] });
    h.queue.push(cell('a', null, 5n));
    for (let i = 0; i < 4; i++) await h.answer();
    expect(h.sent.map((b) => [b.cells.length, b.removed.length, b.added.length])).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [1, 0, 0],
    ]);
  });

  it('retries a failed batch before anything behind it, then hands conflicts over and goes on', async () => {
    const h = harness([
      { ok: false, retry: 'Network down' },
      { ok: false, conflict: [{ lineKey: 'a' }] },
    ]);
    h.queue.push(cell('a', null, 1n));
    await vi.waitFor(() => expect(h.sent).toHaveLength(1));
    h.queue.push(cell('b', null, 2n));
    await h.answer();
    const waited = [h.states.at(-1), h.sent.length, h.retries.map((r) => r.ms)];
    h.retries[0]?.fn();
    await h.answer();
    await h.answer();
    expect({
      waited,
      sent: h.sent.map((b) => b.cells.map((c) => c.lineKey)),
      conflicts: h.conflicts,
      last: h.states.at(-1),
    }).toEqual({
      waited: ['retrying', 1, [1000]],
      sent: [['a'], ['a'], ['b']],
      conflicts: [[{ lineKey: 'a' }]],
      last: 'saved',
    });
  });

  it('stops on a refusal with the edits kept, and sends them when retried', async () => {
    const h = harness([{ ok: false, stop: 'This budget is submitted and cannot be edited.' }]);
    h.queue.push(cell('a', null, 1n));
    await h.answer();
    expect([h.states.at(-1), h.queue.waiting]).toEqual(['stopped', 1]);
    h.queue.retry();
    await h.answer();
    expect([h.states.at(-1), h.queue.waiting, h.sent.length]).toEqual(['saved', 0, 2]);
  });
});
