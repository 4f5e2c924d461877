/**
 * What an import would change in an existing budget, before anything is written. Lines are matched
 * by category and description (trimmed, spacing and case ignored); lines sharing both are paired
 * in order, the first with the first. A matched line's cells are compared period by period, an
 * empty cell being different from zero. Importing the file a budget was built from gives an empty
 * diff. In `merge` mode the file only adds and overwrites: budget lines and cells it does not
 * mention are kept, so they are not reported as removed.
 */
import type { Period } from './periods.ts';
import type { ParsedLine } from './sheet.ts';

export interface ExistingLine {
  /** The budget line's stable key, handed back so a commit can address the row. */
  key?: string;
  category: string;
  description?: string | null;
  notes?: string | null;
  amounts: Map<Period, bigint>;
}

export interface CellChange {
  period: Period;
  before: bigint | null;
  after: bigint | null;
}

export interface ChangedLine {
  key?: string;
  before: ExistingLine;
  after: ParsedLine;
  /** Label fields whose spelling changed (matching ignores case and spacing). */
  fields: ('category' | 'description' | 'notes')[];
  cells: CellChange[];
}

export interface BudgetDiff {
  added: ParsedLine[];
  removed: ExistingLine[];
  changed: ChangedLine[];
  unchanged: number;
  cells: { added: number; changed: number; removed: number };
  empty: boolean;
}

const matchKey = (category: string, description: string | null | undefined) =>
  `${category.trim().replace(/\s+/g, ' ').toLowerCase()}\u0000${(description ?? '').trim().replace(/\s+/g, ' ').toLowerCase()}`;

export function diffAgainst(
  existing: { lines: Iterable<ExistingLine> },
  parsed: { lines: Iterable<ParsedLine> },
  options: { mode?: 'replace' | 'merge' } = {},
): BudgetDiff {
  const merge = options.mode === 'merge';
  const waiting = new Map<string, ExistingLine[]>();
  const order: ExistingLine[] = [];
  for (const line of existing.lines) {
    const key = matchKey(line.category, line.description);
    const queue = waiting.get(key);
    if (queue) queue.push(line);
    else waiting.set(key, [line]);
    order.push(line);
  }
  const matched = new Set<ExistingLine>();
  const diff: BudgetDiff = {
    added: [],
    removed: [],
    changed: [],
    unchanged: 0,
    cells: { added: 0, changed: 0, removed: 0 },
    empty: true,
  };
  for (const line of parsed.lines) {
    const before = waiting.get(matchKey(line.category, line.description))?.shift();
    if (!before) {
      diff.added.push(line);
      diff.cells.added += line.amounts.size;
      continue;
    }
    matched.add(before);
    const cells: CellChange[] = [];
    for (const [period, after] of line.amounts) {
      const old = before.amounts.get(period);
      if (old === undefined) cells.push({ period, before: null, after });
      else if (old !== after) cells.push({ period, before: old, after });
    }
    if (!merge) {
      for (const [period, old] of before.amounts) {
        if (!line.amounts.has(period)) cells.push({ period, before: old, after: null });
      }
    }
    cells.sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
    const fields: ChangedLine['fields'] = [];
    if (before.category !== line.category) fields.push('category');
    if ((before.description ?? null) !== line.description) fields.push('description');
    // Notes are compared only when the caller passed them, and in merge mode only when the file has some.
    if ('notes' in before && (!merge || line.notes !== null) && (before.notes ?? null) !== line.notes) {
      fields.push('notes');
    }
    if (cells.length === 0 && fields.length === 0) {
      diff.unchanged += 1;
      continue;
    }
    for (const cell of cells) {
      if (cell.before === null) diff.cells.added += 1;
      else if (cell.after === null) diff.cells.removed += 1;
      else diff.cells.changed += 1;
    }
    diff.changed.push({ ...(before.key ? { key: before.key } : {}), before, after: line, fields, cells });
  }
  if (!merge) {
    for (const line of order) {
      if (matched.has(line)) continue;
      diff.removed.push(line);
      diff.cells.removed += line.amounts.size;
    }
  }
  diff.empty = diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
  return diff;
}
