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

interface Sum {
  sum: bigint;
  rounded: number;
  rejected: number;
}

class Sums {
  readonly byPeriod = new Map<Period, Sum>();
  add(p: Period, cell: TotalCell) {
    if (cell === undefined) return;
    const entry = this.byPeriod.get(p) ?? { sum: 0n, rounded: 0, rejected: 0 };
    if (cell === 'rejected') entry.rejected += 1;
    else {
      entry.sum += cell.minor;
      if (cell.rounded) entry.rounded += 1;
    }
    this.byPeriod.set(p, entry);
  }
  get(p: Period): Sum {
    return this.byPeriod.get(p) ?? { sum: 0n, rounded: 0, rejected: 0 };
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
  private readonly all = new Sums();
  private block = new Sums();
  private readonly categories = new Map<string, Sums>();
  private totalRowsSeen = 0;
  readonly report: TotalsReport;
  private readonly sheet: string;
  private readonly mapping: ColumnMapping;

  constructor(sheet: string, mapping: ColumnMapping) {
    this.sheet = sheet;
    this.mapping = mapping;
    this.report = {
      rows: [],
      columns: mapping.totalColumns.map((t) => ({ col: t.col, label: t.label, periods: t.periods })),
      mismatches: [],
    };
  }

  /** Whether a row with these labels is a total row, and the category it sums if it names one. */
  totalLabel(category: string, description: string): { label: string; category: string | null } | null {
    const c = normal(category);
    const d = normal(description);
    if (c && BARE_TOTAL.test(c)) return { label: category.trim(), category: null };
    if (c) {
      const named = NAMED_TOTAL.exec(c);
      const target = named?.[1] ?? named?.[2];
      if (target && this.categories.has(target)) return { label: category.trim(), category: target };
    }
    if (d && BARE_TOTAL.test(d) && (!c || this.categories.has(c))) {
      return { label: (category.trim() ? `${category.trim()} ` : '') + description.trim(), category: c || null };
    }
    return null;
  }

  /** A line: counted into every sum, then its total columns are checked. */
  addLine(row: number, category: string, label: string, cells: Map<Period, TotalCell>, totals: Map<number, TotalCell>) {
    const key = normal(category);
    let own = this.categories.get(key);
    if (!own && this.categories.size < MAX_TRACKED_CATEGORIES) {
      own = new Sums();
      this.categories.set(key, own);
    }
    for (const [p, cell] of cells) {
      this.all.add(p, cell);
      this.block.add(p, cell);
      own?.add(p, cell);
    }
    this.checkColumns(row, label, cells, totals);
  }

  /** A total row: each period compared with the candidate sums, then its own total columns. */
  addTotalRow(
    row: number,
    found: { label: string; category: string | null },
    cells: Map<Period, TotalCell>,
    periodCols: Map<Period, number>,
    totals: Map<number, TotalCell>,
  ) {
    const amounts = new Map<Period, bigint>();
    for (const [p, cell] of cells) if (cell && cell !== 'rejected') amounts.set(p, cell.minor);
    this.report.rows.push({ row, label: found.label, amounts });
    const grand = /^grand|^overall|^gesamt/.test(normal(found.label));
    const named = found.category ? this.categories.get(found.category) : undefined;
    const blockHasLines = this.block.byPeriod.size > 0;
    // What the total is expected to be, first; the others it may also match.
    const candidates = named
      ? [named, this.all]
      : grand || this.totalRowsSeen === 0 || !blockHasLines
        ? [this.all, this.block]
        : [this.block, this.all];
    for (const [p, cell] of cells) {
      if (!cell || cell === 'rejected') continue;
      const col = periodCols.get(p)!;
      const sums = candidates.map((c) => c.get(p));
      if (sums.some((s) => s.rejected > 0)) continue;
      const matches = sums.some((s) => s.sum === cell.minor);
      if (matches) continue;
      const primary = sums[0]!;
      this.mismatch('row', row, col, found.label, p, primary.sum, cell.minor, primary.rounded + (cell.rounded ? 1 : 0));
    }
    this.checkColumns(row, found.label, cells, totals);
    this.totalRowsSeen += 1;
    this.block = new Sums();
  }

  private checkColumns(row: number, label: string, cells: Map<Period, TotalCell>, totals: Map<number, TotalCell>) {
    for (const column of this.mapping.totalColumns) {
      const cell = totals.get(column.col);
      if (!cell || cell === 'rejected') continue;
      let expected = 0n;
      let rounded = cell.rounded ? 1 : 0;
      let rejected = false;
      for (const p of column.periods) {
        const summand = cells.get(p);
        if (summand === 'rejected') rejected = true;
        else if (summand) {
          expected += summand.minor;
          if (summand.rounded) rounded += 1;
        }
      }
      if (!rejected && expected !== cell.minor) {
        this.mismatch('column', row, column.col, label, null, expected, cell.minor, rounded);
      }
    }
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
