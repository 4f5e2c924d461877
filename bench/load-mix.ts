/**
 * The load generator of `npm run bench:load`: the brief's mix of 10 reads to 1 write, sent by many
 * virtual users (each its own session cookie) as real tRPC HTTP requests in the superjson wire
 * format the web client sends (queries as GET with the input in the query string, mutations as
 * POST with a JSON body and the Origin header), over keep-alive connections (undici).
 *
 * The mix, per 33 operations (30 reads, 3 writes):
 *   auth.me 9 (the session check a page load makes), budgets.get 9 (opening a budget),
 *   goals.list 6, notifications.list 6 (the bell), budgets.save 2 (one cell edited in the grid,
 *   as the grid saves it), comments.reply 1 (a comment added to the budget's thread).
 * The operations follow a fixed interleaved order (smooth weighted round robin), so every
 * procedure runs within any 33 operations; each goes to a virtual user picked at random.
 *
 * Two modes:
 *   - rate: an open model. Operations start on a fixed schedule whatever the answers, and
 *     latency counts from the scheduled start, so a slow server cannot slow the schedule and hide
 *     its queueing (no coordinated omission);
 *   - open throttle: `concurrency` loops, each sending the next operation when its last one
 *     answered, for the most operations per second the server gives at this mix.
 * An answer other than 200 is an error (a save's CONFLICT included), as is an auth.me that does
 * not name the user (a session that did not count).
 */

import superjson from 'superjson';
import { Pool } from 'undici';
import { percentile } from './harness.ts';
import type { VirtualUser } from './load-seed.ts';

export const PROCEDURES = [
  'auth.me',
  'goals.list',
  'budgets.get',
  'notifications.list',
  'budgets.save',
  'comments.reply',
] as const;
export type Procedure = (typeof PROCEDURES)[number];

export const WEIGHTS: Record<Procedure, number> = {
  'auth.me': 9,
  'goals.list': 6,
  'budgets.get': 9,
  'notifications.list': 6,
  'budgets.save': 2,
  'comments.reply': 1,
};
export const WRITES: Procedure[] = ['budgets.save', 'comments.reply'];

/** One cycle of the mix in a smooth weighted round-robin order (nginx's): writes spread among reads. */
export function mixCycle(weights: Record<Procedure, number> = WEIGHTS): Procedure[] {
  const total = PROCEDURES.reduce((sum, p) => sum + weights[p], 0);
  const current = new Map<Procedure, number>(PROCEDURES.map((p) => [p, 0]));
  const order: Procedure[] = [];
  for (let k = 0; k < total; k++) {
    for (const p of PROCEDURES) current.set(p, current.get(p)! + weights[p]);
    const next = PROCEDURES.reduce((best, p) => (current.get(p)! > current.get(best)! ? p : best));
    current.set(next, current.get(next)! - total);
    order.push(next);
  }
  return order;
}

export interface ProcedureStats {
  count: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface LoadResult {
  mode: string;
  seconds: number;
  ops: number;
  opsPerSecond: number;
  errors: number;
  /** A few error answers, to say what went wrong. */
  errorSamples: string[];
  all: ProcedureStats;
  byProcedure: Record<Procedure, ProcedureStats>;
}

interface Recorder {
  latencies: Map<Procedure, number[]>;
  errors: Map<Procedure, number>;
  errorSamples: string[];
}

const newRecorder = (): Recorder => ({
  latencies: new Map(PROCEDURES.map((p) => [p, []])),
  errors: new Map(PROCEDURES.map((p) => [p, 0])),
  errorSamples: [],
});

function stats(latencies: number[], errors: number): ProcedureStats {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    count: sorted.length,
    errors,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
}

function summarise(mode: string, recorder: Recorder, seconds: number): LoadResult {
  const byProcedure = Object.fromEntries(
    PROCEDURES.map((p) => [p, stats(recorder.latencies.get(p)!, recorder.errors.get(p)!)]),
  ) as Record<Procedure, ProcedureStats>;
  const errors = [...recorder.errors.values()].reduce((a, b) => a + b, 0);
  const all = stats([...recorder.latencies.values()].flat(), errors);
  const ops = all.count + errors;
  return {
    mode,
    seconds,
    ops,
    opsPerSecond: ops / seconds,
    errors,
    errorSamples: recorder.errorSamples,
    all,
    byProcedure,
  };
}

/** Per virtual user: its cookie and where its next cell edit goes. */
interface UserState {
  vu: VirtualUser;
  headers: Record<string, string>;
  nextCell: number;
}

/** Sends the mix's operations for the virtual users to the server at `url`. */
export class LoadGenerator {
  readonly #pool: Pool;
  readonly #users: UserState[];
  readonly #cycle = mixCycle();
  #position = 0;
  #comment = 0;

  constructor(url: string, virtualUsers: VirtualUser[], connections: number) {
    if (!virtualUsers.length) throw new Error('No virtual users to send the load as.');
    this.#pool = new Pool(url, { connections, keepAliveTimeout: 60_000 });
    this.#users = virtualUsers.map((vu) => ({
      vu,
      headers: { origin: url, cookie: `goalpost_session=${vu.token}` },
      nextCell: 0,
    }));
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }

  /** The next operation of the mix, for a virtual user picked at random. */
  #next(): { procedure: Procedure; user: UserState } {
    const procedure = this.#cycle[this.#position++ % this.#cycle.length]!;
    return { procedure, user: this.#users[Math.floor(Math.random() * this.#users.length)]! };
  }

  async #query(user: UserState, path: string, input?: unknown): Promise<{ status: number; body: string }> {
    const search =
      input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;
    const res = await this.#pool.request({ method: 'GET', path: `/trpc/${path}${search}`, headers: user.headers });
    return { status: res.statusCode, body: await res.body.text() };
  }

  async #mutation(user: UserState, path: string, input: unknown): Promise<{ status: number; body: string }> {
    const res = await this.#pool.request({
      method: 'POST',
      path: `/trpc/${path}`,
      headers: { ...user.headers, 'content-type': 'application/json' },
      body: JSON.stringify(superjson.serialize(input)),
    });
    return { status: res.statusCode, body: await res.body.text() };
  }

  /** Sends one operation; resolves to null when it succeeded, else what went wrong. */
  async send(procedure: Procedure, user: UserState): Promise<string | null> {
    const { vu } = user;
    let answer: { status: number; body: string };
    switch (procedure) {
      case 'auth.me':
        answer = await this.#query(user, 'auth.me');
        if (answer.status === 200 && !answer.body.includes('"email"')) return 'auth.me: the session did not count';
        break;
      case 'goals.list':
        answer = await this.#query(user, 'goals.list', { page: 1, pageSize: 25 });
        break;
      case 'budgets.get':
        answer = await this.#query(user, 'budgets.get', { budgetId: vu.budgetId });
        break;
      case 'notifications.list':
        answer = await this.#query(user, 'notifications.list', { page: 1, pageSize: 20 });
        break;
      case 'budgets.save': {
        // Edits walk the first line's cells, so one person's concurrent edits touch different cells.
        const cell = vu.cells[user.nextCell++ % vu.cells.length]!;
        const to = cell.value + 100n;
        answer = await this.#mutation(user, 'budgets.save', {
          budgetId: vu.budgetId,
          versionNumber: vu.versionNumber,
          cells: [{ lineKey: vu.lineKey, period: cell.period, from: cell.value, to }],
        });
        if (answer.status === 200) cell.value = to;
        break;
      }
      case 'comments.reply':
        answer = await this.#mutation(user, 'comments.reply', {
          threadId: vu.threadId,
          body: `Checked against the invoices (${++this.#comment}).`,
          mentions: [],
        });
        break;
    }
    return answer.status === 200 ? null : `${procedure}: ${answer.status} ${answer.body.slice(0, 300)}`;
  }

  async #timed(recorder: Recorder, startedAt: number): Promise<void> {
    const { procedure, user } = this.#next();
    let problem: string | null;
    try {
      problem = await this.send(procedure, user);
    } catch (error) {
      problem = `${procedure}: ${(error as Error).message}`;
    }
    if (problem) {
      recorder.errors.set(procedure, recorder.errors.get(procedure)! + 1);
      if (recorder.errorSamples.length < 5) recorder.errorSamples.push(problem);
    } else {
      recorder.latencies.get(procedure)!.push(performance.now() - startedAt);
    }
  }

  /** `rate` operations a second for `seconds`, on schedule whatever the answers. */
  async rate(rate: number, seconds: number): Promise<LoadResult> {
    const recorder = newRecorder();
    const interval = 1000 / rate;
    const total = Math.round(rate * seconds);
    const pending = new Set<Promise<void>>();
    const started = performance.now();
    let sent = 0;
    while (sent < total) {
      const now = performance.now();
      // Every operation whose time has come starts now, timed from when it was due.
      while (sent < total && started + sent * interval <= now) {
        const op = this.#timed(recorder, started + sent * interval);
        pending.add(op);
        void op.finally(() => pending.delete(op));
        sent++;
      }
      await new Promise((r) => setTimeout(r, Math.max(0, Math.min(interval, started + sent * interval - now))));
    }
    await Promise.all(pending);
    return summarise(`${rate} ops/s`, recorder, Math.max(seconds, (performance.now() - started) / 1000));
  }

  /** `concurrency` loops back to back for `seconds`: the most the server gives at this mix. */
  async openThrottle(concurrency: number, seconds: number): Promise<LoadResult> {
    const recorder = newRecorder();
    const started = performance.now();
    const end = started + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < end) await this.#timed(recorder, performance.now());
      }),
    );
    return summarise(`open, ${concurrency} in flight`, recorder, (performance.now() - started) / 1000);
  }
}

/** Requests a second that `url` (the bare node:http server) answers to the same client, `concurrency` in flight. */
export async function bareThroughput(url: string, concurrency: number, seconds: number): Promise<number> {
  const pool = new Pool(new URL(url).origin, { connections: concurrency });
  const path = new URL(url).pathname;
  let answered = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < end) {
          const res = await pool.request({ method: 'GET', path });
          await res.body.text();
          if (res.statusCode === 200) answered++;
        }
      }),
    );
  } finally {
    await pool.close();
  }
  return answered / ((performance.now() - started) / 1000);
}
