/**
 * Totals a sheet carries are checked, not imported. A total row is one whose label (category, or
 * description beside a blank or known category) is a bare total word (`Total`, `Subtotal`,
 * `Grand total`, `Summe`, `Gesamt`) or names a category seen above (`Total Marketing`,
 * `Marketing total`). A category that merely starts with the word (`Total Rewards`, with no
 * `Rewards` category above) stays a line. A total row matches when each of its cells equals the
 * sum, per period, of one of: the lines since the previous total row (a subtotal), all lines above
 * (a grand total), or the lines of the category it names. A total column is checked per row
 * against the row's periods it covers.
 *
 * Comparisons are exact in minor units. When the summed values carried more decimals than the
 * currency (a cell showing 1,234.57 that holds 1234.5678), each was rounded on reading, so a
 * difference of up to half a minor unit per rounded value is explainable: such a mismatch is still
 * listed, flagged `withinRounding`, and does not block the import. A period where one of the summed
 * cells was rejected is not compared (the rejection already explains it).
 */
import { coordinate } from './cells.ts';
import type { ColumnMapping } from './mapping.ts';
import type { Period } from './periods.ts';

export interface TotalRow {
  row: number;
  label: string;
  amounts: Map<Period, bigint>;
}

export interface TotalMismatch {
  coordinate: string;
  row: number;
  column: number;
  /** `row`: a total row's cell; `column`: a total column's cell. */
  kind: 'row' | 'column';
  label: string;
  /** The period compared (total rows), or null (a total column covering several). */
  period: Period | null;
  expected: bigint;
  found: bigint;
  difference: bigint;
  withinRounding: boolean;
}

export interface TotalsReport {
  rows: TotalRow[];
  columns: { col: number; label: string; periods: Period[] }[];
  mismatches: TotalMismatch[];
}

/** A cell read for totals: its amount, whether it was rounded, or rejected. */
export type TotalCell = { minor: bigint; rounded: boolean } | 'rejected' | undefined;

/** Running sums per period, indexed like `mapping.periods`. */
class Sums {
  readonly sum: bigint[];
  readonly rounded: number[];
  readonly rejected: number[];
  cells = 0;
  constructor(size: number) {
    this.sum = new Array<bigint>(size).fill(0n);
    this.rounded = new Array<number>(size).fill(0);
    this.rejected = new Array<number>(size).fill(0);
  }
  add(i: number, cell: TotalCell) {
    if (cell === undefined) return;
    this.cells += 1;
    if (cell === 'rejected') this.rejected[i]! += 1;
    else {
      this.sum[i]! += cell.minor;
      if (cell.rounded) this.rounded[i]! += 1;
    }
  }
}

const BARE_TOTAL =
  /^(grand |sub-?)?(totals?|sum|summe|gesamt|gesamtsumme|zwischensumme|total général|sous-total|overall total)$/;
const NAMED_TOTAL =
  /^(?:grand |sub-?)?(?:total|sum|summe|gesamt)(?: of| for)? (.+)$|^(.+?) (?:total|sum|summe|gesamt)$/;

/** Beyond this many categories, totals naming a category are no longer matched (memory stays bounded). */
const MAX_TRACKED_CATEGORIES = 1_000;

const normal = (text: string) => text.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');

export class TotalsCheck {
  private readonly all: Sums;
  private block: Sums;
  private readonly categories = new Map<string, Sums>();
  private totalRowsSeen = 0;
  private lastCategory = { text: '', key: '' };
  readonly report: TotalsReport;
  private readonly sheet: string;
  private readonly mapping: ColumnMapping;
  /** For each total column, the indexes of the periods it sums. */
  private readonly covers: number[][];

  constructor(sheet: string, mapping: ColumnMapping) {
    this.sheet = sheet;
    this.mapping = mapping;
    this.all = new Sums(mapping.periods.length);
    this.block = new Sums(mapping.periods.length);
    const index = new Map(mapping.periods.map((p, i) => [p.period, i]));
    this.covers = mapping.totalColumns.map((t) => t.periods.flatMap((p) => (index.has(p) ? [index.get(p)!] : [])));
    this.report = {
      rows: [],
      columns: mapping.totalColumns.map((t) => ({ col: t.col, label: t.label, periods: t.periods })),
      mismatches: [],
    };
  }

  /** Whether a row with these labels is a total row, and the category it sums if it names one. */
  totalLabel(category: string, description: string): { label: string; category: string | null } | null {
    if (category === '' && description === '') return null;
    const c = this.key(category);
    if (c && BARE_TOTAL.test(c)) return { label: category.trim(), category: null };
    if (c && /total|sum|gesamt/.test(c)) {
      const named = NAMED_TOTAL.exec(c);
      const target = named?.[1] ?? named?.[2];
      if (target && this.categories.has(target)) return { label: category.trim(), category: target };
    }
    if (description !== '' && /total|sum|gesamt/i.test(description)) {
      const d = normal(description);
      if (BARE_TOTAL.test(d) && (!c || this.categories.has(c))) {
        return { label: (category.trim() ? `${category.trim()} ` : '') + description.trim(), category: c || null };
      }
    }
    return null;
  }

  /**
   * A line: counted into every sum, then its total columns are checked. `cells` is indexed like
   * `mapping.periods`, `totals` like `mapping.totalColumns`.
   */
  addLine(row: number, category: string, label: string, cells: TotalCell[], totals: TotalCell[]) {
    const key = this.key(category);
    let own = this.categories.get(key);
    if (!own && this.categories.size < MAX_TRACKED_CATEGORIES) {
      own = new Sums(this.mapping.periods.length);
      this.categories.set(key, own);
    }
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i];
      if (cell === undefined) continue;
      this.all.add(i, cell);
      this.block.add(i, cell);
      own?.add(i, cell);
    }
    this.checkColumns(row, label, cells, totals);
  }

  /** A total row: each period compared with the candidate sums, then its own total columns. */
  addTotalRow(row: number, found: { label: string; category: string | null }, cells: TotalCell[], totals: TotalCell[]) {
    const amounts = new Map<Period, bigint>();
    cells.forEach((cell, i) => {
      if (cell && cell !== 'rejected') amounts.set(this.mapping.periods[i]!.period, cell.minor);
    });
    this.report.rows.push({ row, label: found.label, amounts });
    const grand = /^grand|^overall|^gesamt/.test(normal(found.label));
    const named = found.category ? this.categories.get(found.category) : undefined;
    // What the total is expected to be, first; the others it may also match.
    const candidates = named
      ? [named, this.all]
      : grand || this.totalRowsSeen === 0 || this.block.cells === 0
        ? [this.all, this.block]
        : [this.block, this.all];
    cells.forEach((cell, i) => {
      if (!cell || cell === 'rejected') return;
      if (candidates.some((c) => c.rejected[i]! > 0)) return;
      if (candidates.some((c) => c.sum[i] === cell.minor)) return;
      const primary = candidates[0]!;
      const p = this.mapping.periods[i]!;
      this.mismatch(
        'row',
        row,
        p.col,
        found.label,
        p.period,
        primary.sum[i]!,
        cell.minor,
        primary.rounded[i]! + (cell.rounded ? 1 : 0),
      );
    });
    this.checkColumns(row, found.label, cells, totals);
    this.totalRowsSeen += 1;
    this.block = new Sums(this.mapping.periods.length);
  }

  private key(category: string): string {
    if (category !== this.lastCategory.text) this.lastCategory = { text: category, key: normal(category) };
    return this.lastCategory.key;
  }

  private checkColumns(row: number, label: string, cells: TotalCell[], totals: TotalCell[]) {
    this.mapping.totalColumns.forEach((column, t) => {
      const cell = totals[t];
      if (!cell || cell === 'rejected') return;
      let expected = 0n;
      let rounded = cell.rounded ? 1 : 0;
      for (const i of this.covers[t]!) {
        const summand = cells[i];
        if (summand === 'rejected') return;
        if (summand) {
          expected += summand.minor;
          if (summand.rounded) rounded += 1;
        }
      }
      if (expected !== cell.minor) this.mismatch('column', row, column.col, label, null, expected, cell.minor, rounded);
    });
  }

  private mismatch(
    kind: 'row' | 'column',
    row: number,
    column: number,
    label: string,
    p: Period | null,
    expected: bigint,
    found: bigint,
    roundedValues: number,
  ) {
    const difference = found - expected;
    const magnitude = difference < 0n ? -difference : difference;
    this.report.mismatches.push({
      coordinate: coordinate(this.sheet, row, column),
      row,
      column,
      kind,
      label,
      period: p,
      expected,
      found,
      difference,
      withinRounding: magnitude * 2n <= BigInt(roundedValues),
    });
  }
}
