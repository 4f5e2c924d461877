/**
 * Saving a grid without losing a keystroke. Each user action (a typed cell, a paste, a fill, an
 * undo, a row inserted, removed or moved) becomes one batch; batches are sent in order, one request
 * at a time, so a row is added before its cells are written and a removal never overtakes the edits
 * before it. Consecutive cell-only batches are merged while one request is in flight (a cell edited
 * twice keeps its first `from` and its last `to`), so a burst of typing is one save.
 *
 * A batch that fails for a reason that may pass (no network, the server restarting) stays at the
 * head of the queue and is retried with backoff; nothing behind it is sent meanwhile. A CONFLICT
 * answer means the server saved the rest and returns the cells someone else changed: those go to
 * `onConflicts` for the person to decide. Any other refusal stops the queue with its message, the
 * edits kept, until the person retries or discards them.
 */
export interface CellEdit<F extends string = string> {
  lineKey: string;
  period: string;
  /** 'amount' for budgets; 'forecast' | 'actual' for forecasts. */
  field: F;
  from: bigint | null;
  to: bigint | null;
}

export interface LineFieldEdit {
  key: string;
  field: 'category' | 'description' | 'notes';
  from: string | null;
  to: string | null;
}

export interface Batch<F extends string = string> {
  cells: CellEdit<F>[];
  lineFields: LineFieldEdit[];
  added: { key: string; position: number; category: string; description: string | null; notes: string | null }[];
  removed: string[];
  /** The whole order of the lines after a move. */
  order?: string[];
}

export type SaveState =
  | { kind: 'saved' }
  | { kind: 'saving'; waiting: number }
  | { kind: 'retrying'; waiting: number; message: string }
  | { kind: 'stopped'; waiting: number; message: string };

export type SendOutcome =
  | { ok: true }
  | { ok: false; conflict: unknown[] }
  | { ok: false; retry: string }
  | { ok: false; stop: string };

export function emptyBatch<F extends string>(): Batch<F> {
  return { cells: [], lineFields: [], added: [], removed: [] };
}

function cellOnly(batch: Batch): boolean {
  return !batch.added.length && !batch.removed.length && !batch.order;
}

function merge<F extends string>(into: Batch<F>, next: Batch<F>): Batch<F> {
  const cells = new Map(into.cells.map((c) => [`${c.lineKey}|${c.period}|${c.field}`, c]));
  for (const c of next.cells) {
    const key = `${c.lineKey}|${c.period}|${c.field}`;
    const earlier = cells.get(key);
    cells.set(key, earlier ? { ...c, from: earlier.from } : c);
  }
  const fields = new Map(into.lineFields.map((f) => [`${f.key}|${f.field}`, f]));
  for (const f of next.lineFields) {
    const key = `${f.key}|${f.field}`;
    const earlier = fields.get(key);
    fields.set(key, earlier ? { ...f, from: earlier.from } : f);
  }
  return { ...into, cells: [...cells.values()], lineFields: [...fields.values()] };
}

export function batchSize(batch: Batch): number {
  return (
    batch.cells.length + batch.lineFields.length + batch.added.length + batch.removed.length + (batch.order ? 1 : 0)
  );
}

export class SaveQueue<F extends string = string> {
  readonly #send: (batch: Batch<F>) => Promise<SendOutcome>;
  readonly #onState: (state: SaveState) => void;
  readonly #onConflicts: (conflicts: unknown[]) => void;
  #queue: Batch<F>[] = [];
  #busy = false;
  #stopped: string | null = null;
  readonly #later: (fn: () => void, ms: number) => () => void;
  #retryTimer: (() => void) | null = null;
  #failures = 0;

  constructor(options: {
    send: (batch: Batch<F>) => Promise<SendOutcome>;
    onState: (state: SaveState) => void;
    onConflicts: (conflicts: unknown[]) => void;
    /** Runs `fn` after `ms`; returns a cancel. Tests pass their own clock. */
    later?: (fn: () => void, ms: number) => () => void;
  }) {
    this.#send = options.send;
    this.#onState = options.onState;
    this.#onConflicts = options.onConflicts;
    this.#later =
      options.later ??
      ((fn, ms) => {
        const timer = setTimeout(fn, ms);
        return () => clearTimeout(timer);
      });
  }

  /** Edits not yet confirmed by the server (queued or in flight). */
  get waiting(): number {
    return this.#queue.reduce((n, b) => n + batchSize(b), 0);
  }

  push(batch: Batch<F>): void {
    if (!batchSize(batch)) return;
    const last = this.#queue.at(-1);
    // The head is in flight while busy; merge only into a batch not yet sent.
    const mergeable = last && cellOnly(last) && cellOnly(batch) && !(this.#busy && this.#queue.length === 1);
    if (mergeable) this.#queue[this.#queue.length - 1] = merge(last, batch);
    else this.#queue.push(batch);
    void this.#pump();
  }

  /** After a stop: send again what is waiting. */
  retry(): void {
    this.#stopped = null;
    this.#failures = 0;
    void this.#pump();
  }

  /** After a stop: drop what is waiting (the person chose to). */
  discard(): void {
    this.#queue = [];
    this.#stopped = null;
    this.#onState({ kind: 'saved' });
  }

  dispose(): void {
    this.#retryTimer?.();
  }

  async #pump(): Promise<void> {
    if (this.#busy || this.#stopped || this.#retryTimer) {
      this.#report();
      return;
    }
    const head = this.#queue[0];
    if (!head) {
      this.#onState({ kind: 'saved' });
      return;
    }
    this.#busy = true;
    this.#report();
    let outcome: SendOutcome;
    try {
      outcome = await this.#send(head);
    } catch (error) {
      outcome = { ok: false, retry: error instanceof Error ? error.message : String(error) };
    }
    this.#busy = false;
    if (outcome.ok || 'conflict' in outcome) {
      this.#queue.shift();
      this.#failures = 0;
      if (!outcome.ok) this.#onConflicts(outcome.conflict);
    } else if ('retry' in outcome) {
      this.#failures += 1;
      const delay = Math.min(30_000, 500 * 2 ** Math.min(this.#failures, 6));
      this.#onState({ kind: 'retrying', waiting: this.waiting, message: outcome.retry });
      this.#retryTimer = this.#later(() => {
        this.#retryTimer = null;
        void this.#pump();
      }, delay);
      return;
    } else {
      this.#stopped = outcome.stop;
    }
    void this.#pump();
  }

  #report(): void {
    if (this.#stopped) this.#onState({ kind: 'stopped', waiting: this.waiting, message: this.#stopped });
    else if (this.#queue.length) this.#onState({ kind: 'saving', waiting: this.waiting });
  }
}
