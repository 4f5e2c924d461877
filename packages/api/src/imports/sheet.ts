/**
 * Reads the rows of one sheet, whatever the file format, into budget lines: it buffers the first
 * rows to find the header and propose a mapping (mapping.ts), then streams the rest row by row,
 * handing each line to `onLine` as soon as it is known, so memory does not grow with the sheet
 * unless the caller keeps the lines.
 *
 * Row rules: rows above the header row are ignored; a row with nothing in the mapped columns is a
 * spacer; a total row is checked (totals.ts) and not imported; every other row is a line. A line
 * with no category but a description takes the category of the line above (a category merged
 * down a group of lines, or written once above them); a row whose category stands alone (no
 * description, no amounts) and whose next line takes its category that way is a heading, not a
 * line. Amounts go through the money module; a cell that cannot be read is rejected with its
 * coordinate and the rule, and the rest of the line is kept.
 *
 * Deterministic: the same rows and options give the same lines, rejections and report, so a job
 * that dies mid-parse simply parses again.
 */
import {
  type AmountReading,
  type CellValue,
  cellText,
  columnLetter,
  coordinate,
  isBlank,
  type RejectionRule,
  readAmount,
  type SheetRow,
} from './cells.ts';
import { ImportRefused } from './limits.ts';
import {
  type ColumnMapping,
  HEADER_SEARCH_ROWS,
  type MappingOptions,
  type Problem,
  proposeMapping,
} from './mapping.ts';
import type { Period } from './periods.ts';
import { type TotalCell, TotalsCheck, type TotalsReport } from './totals.ts';

export interface ParsedLine {
  /** The sheet row (1-based), or the line's position in a JSON document. */
  row: number;
  category: string;
  description: string | null;
  notes: string | null;
  /** Amounts in minor units by period (first of month); an empty cell has no entry. */
  amounts: Map<Period, bigint>;
}

export interface RejectedCell {
  /** `Sheet1!D14`, or a JSON path for JSON files. */
  coordinate: string;
  row: number;
  /** Column letter (`D`), or the JSON field. */
  column: string;
  rule: RejectionRule;
  /** The cell's content as the sheet holds it. */
  value: string;
  message: string;
}

export interface ImportProgress {
  rowsRead: number;
  /** From the sheet's declared size where the format has one; null when unknown. */
  rowsTotal: number | null;
}

export interface ImportStats {
  /** Rows below the header with something in a mapped column (lines, total rows, rejected rows). */
  rows: number;
  lines: number;
  /** Amount cells imported. */
  cells: number;
  rejectedCells: number;
  blankRows: number;
  totalRows: number;
  headings: number;
}

/** Everything about a parse but the lines themselves. */
export interface ImportReport {
  sheet: string;
  headerRow: number | null;
  /** The header row's labelled columns, as the sheet shows them (periods as read); empty for JSON. */
  headers: { col: number; label: string }[];
  mapping: ColumnMapping | null;
  /** False when the mapping came from `options.mapping`. */
  proposed: boolean;
  totals: TotalsReport;
  rejected: RejectedCell[];
  problems: Problem[];
  warnings: string[];
  stats: ImportStats;
}

export interface SheetReadOptions extends MappingOptions {
  currency: string;
  maxRows: number;
  maxRejectedListed: number;
  progressEvery: number;
  onProgress?: (progress: ImportProgress) => void;
}

export interface SheetSource {
  /** The name coordinates use. */
  name: string;
  rows: AsyncIterable<SheetRow>;
  rowsTotal: number | null;
}

export type LineSink = (line: ParsedLine) => void | Promise<void>;

const MAX_CATEGORY = 200;
const MAX_DESCRIPTION = 500;

export async function readSheet(
  source: SheetSource,
  options: SheetReadOptions,
  onLine: LineSink,
): Promise<ImportReport> {
  const iterator = source.rows[Symbol.asyncIterator]();
  const buffered: SheetRow[] = [];
  const want = Math.max(HEADER_SEARCH_ROWS, options.headerRow ?? 0) + 20;
  let exhausted = false;
  while ((buffered.at(-1)?.row ?? 0) < want) {
    const next = await iterator.next();
    if (next.done) {
      exhausted = true;
      break;
    }
    buffered.push(next.value);
  }
  const proposal = proposeMapping(buffered, options);
  const report: ImportReport = {
    sheet: source.name,
    headerRow: proposal.headerRow,
    headers: headerLabels(buffered, proposal.headerRow, proposal.mapping),
    mapping: proposal.mapping,
    proposed: proposal.proposed,
    totals: { rows: [], columns: [], mismatches: [] },
    rejected: [],
    problems: [...proposal.problems],
    warnings: [...proposal.warnings],
    stats: { rows: 0, lines: 0, cells: 0, rejectedCells: 0, blankRows: 0, totalRows: 0, headings: 0 },
  };
  const { mapping, headerRow } = proposal;
  if (!mapping || headerRow === null) {
    if (!exhausted) await iterator.return?.();
    return report;
  }

  const reader = new LineReader(source, options, mapping, report, onLine);
  let lastProgress = 0;
  const progress = (row: number) => {
    if (options.onProgress && row - lastProgress >= options.progressEvery) {
      lastProgress = row;
      options.onProgress({ rowsRead: row, rowsTotal: source.rowsTotal });
    }
  };
  reader.lastRow = headerRow;
  try {
    for (const row of buffered) {
      if (row.row > headerRow) await reader.row(row);
      progress(row.row);
    }
    if (!exhausted) {
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        await reader.row(next.value);
        progress(next.value.row);
      }
    }
  } catch (error) {
    // Stop the source (an xlsx part being inflated) before reporting why.
    await iterator.return?.();
    throw error;
  }
  await reader.finish();
  options.onProgress?.({ rowsRead: reader.lastRow, rowsTotal: source.rowsTotal });
  return report;
}

type Line = ParsedLine & { headingCandidate: boolean };

class LineReader {
  private readonly totals: TotalsCheck;
  private lastCategory: string | null = null;
  private pending: Line | null = null;
  private readonly seen = new Map<string, number>();
  private readonly repeats: number[] = [];
  lastRow = 0;
  private readonly source: SheetSource;
  private readonly options: SheetReadOptions;
  private readonly mapping: ColumnMapping;
  private readonly report: ImportReport;
  private readonly onLine: LineSink;

  constructor(
    source: SheetSource,
    options: SheetReadOptions,
    mapping: ColumnMapping,
    report: ImportReport,
    onLine: LineSink,
  ) {
    this.source = source;
    this.options = options;
    this.mapping = mapping;
    this.report = report;
    this.onLine = onLine;
    this.totals = new TotalsCheck(source.name, mapping);
    report.totals = this.totals.report;
  }

  async row({ row, cells }: SheetRow) {
    // xlsx files leave empty rows out altogether: a gap in the numbering is spacer rows too.
    if (this.lastRow > 0 && row > this.lastRow + 1) this.report.stats.blankRows += row - this.lastRow - 1;
    this.lastRow = row;
    const { mapping, report } = this;
    const category = text(cells[mapping.category]);
    const description = mapping.description ? text(cells[mapping.description]) : '';
    const notes = mapping.notes ? text(cells[mapping.notes]) : '';
    const used =
      category !== '' ||
      description !== '' ||
      mapping.periods.some((p) => !isBlank(cells[p.col])) ||
      mapping.totalColumns.some((t) => !isBlank(cells[t.col]));
    if (!used) {
      report.stats.blankRows += 1;
      return;
    }
    report.stats.rows += 1;
    if (report.stats.rows > this.options.maxRows) {
      throw new ImportRefused(
        'too-many-rows',
        `The sheet has more than ${this.options.maxRows.toLocaleString('en')} rows; the limit is ${this.options.maxRows.toLocaleString('en')}. Split it into smaller files.`,
      );
    }

    const amounts = new Map<Period, bigint>();
    const forTotals: TotalCell[] = new Array(mapping.periods.length);
    let rejectedHere = 0;
    for (let i = 0; i < mapping.periods.length; i++) {
      const p = mapping.periods[i]!;
      const read = this.amount(row, p.col, cells[p.col]);
      if (read.kind === 'amount') {
        amounts.set(p.period, read.minor);
        forTotals[i] = read;
      } else if (read.kind === 'refused') {
        forTotals[i] = 'rejected';
        rejectedHere += 1;
      }
    }
    const totalCells: TotalCell[] = new Array(mapping.totalColumns.length);
    let totalValues = 0;
    for (let t = 0; t < mapping.totalColumns.length; t++) {
      const col = mapping.totalColumns[t]!.col;
      const read = this.amount(row, col, cells[col]);
      if (read.kind === 'amount') totalCells[t] = read;
      else if (read.kind === 'refused') totalCells[t] = 'rejected';
      if (read.kind !== 'empty') totalValues += 1;
    }

    const total = this.totals.totalLabel(category, description);
    if (total) {
      await this.flush();
      report.stats.totalRows += 1;
      this.totals.addTotalRow(row, total, forTotals, totalCells);
      return;
    }

    let lineCategory = category;
    const inherited = category === '' && description !== '' && this.lastCategory !== null;
    if (inherited) lineCategory = this.lastCategory!;
    if (lineCategory === '') {
      this.reject(
        row,
        mapping.category,
        'category-missing',
        cells[mapping.category],
        description === ''
          ? 'This row has amounts but no category and no description. Give it a category, or clear the row.'
          : 'This row has no category, and no line above it has one to take. Give it a category.',
      );
      return;
    }
    if (lineCategory.length > MAX_CATEGORY) {
      this.reject(
        row,
        mapping.category,
        'too-long',
        cells[mapping.category],
        `A category may have at most ${MAX_CATEGORY} characters; this one has ${lineCategory.length}.`,
      );
      return;
    }
    if (description.length > MAX_DESCRIPTION) {
      this.reject(
        row,
        mapping.description!,
        'too-long',
        cells[mapping.description!],
        `A description may have at most ${MAX_DESCRIPTION} characters; this one has ${description.length}.`,
      );
      return;
    }
    if (!inherited) this.lastCategory = lineCategory;
    const line: Line = {
      row,
      category: lineCategory,
      description: description || null,
      notes: notes || null,
      amounts,
      headingCandidate:
        !inherited &&
        description === '' &&
        notes === '' &&
        amounts.size === 0 &&
        rejectedHere === 0 &&
        totalValues === 0,
    };
    const label = description ? `${lineCategory} – ${description}` : lineCategory;
    this.totals.addLine(row, lineCategory, label, forTotals, totalCells);

    if (this.pending) {
      const heading = this.pending;
      this.pending = null;
      if (inherited && heading.category === lineCategory) report.stats.headings += 1;
      else await this.emit(heading);
    }
    if (line.headingCandidate) this.pending = line;
    else await this.emit(line);
  }

  async finish() {
    await this.flush();
    if (this.repeats.length) {
      const rows = this.repeats.slice(0, 5).join(', ') + (this.repeats.length > 5 ? ', …' : '');
      this.report.warnings.push(
        `${this.repeats.length} line${this.repeats.length === 1 ? ' repeats' : 's repeat'} the category and description of an earlier line (row${this.repeats.length === 1 ? '' : 's'} ${rows}); a later import matches them in order.`,
      );
    }
  }

  private async flush() {
    if (!this.pending) return;
    const line = this.pending;
    this.pending = null;
    await this.emit(line);
  }

  private async emit({ headingCandidate: _, ...line }: Line) {
    const key = `${line.category}\u0000${line.description ?? ''}`;
    if (this.seen.has(key)) this.repeats.push(line.row);
    else this.seen.set(key, line.row);
    this.report.stats.lines += 1;
    this.report.stats.cells += line.amounts.size;
    const pending = this.onLine(line);
    if (pending) await pending;
  }

  private amount(row: number, col: number, cell: CellValue | undefined): AmountReading {
    const read = readAmount(cell, this.options);
    if (read.kind === 'refused') this.reject(row, col, read.rule, cell, read.message);
    return read;
  }

  private reject(row: number, col: number, rule: RejectionRule, cell: CellValue | undefined, message: string) {
    this.report.stats.rejectedCells += 1;
    if (this.report.rejected.length < this.options.maxRejectedListed) {
      this.report.rejected.push({
        coordinate: coordinate(this.source.name, row, col),
        row,
        column: columnLetter(col),
        rule,
        value: cellText(cell),
        message,
      });
    }
  }
}

/** The header row's labelled columns; a period column by the label its reading gave (a date cell as "Jan 2027"). */
function headerLabels(rows: SheetRow[], headerRow: number | null, mapping: ColumnMapping | null) {
  const header = headerRow === null ? undefined : rows.find((r) => r.row === headerRow);
  if (!header) return [];
  const periods = new Map(mapping?.periods.map((p) => [p.col, p.label]));
  const labels: { col: number; label: string }[] = [];
  for (let col = 1; col < header.cells.length; col++) {
    const label = periods.get(col) ?? text(header.cells[col]);
    if (label) labels.push({ col, label });
  }
  return labels;
}

function text(cell: CellValue | undefined): string {
  return cellText(cell).trim();
}
