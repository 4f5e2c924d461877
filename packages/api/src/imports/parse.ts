/**
 * The entry points: an upload (or a Google Sheets download) in, a checked and mapped result out.
 *
 * `parseImport(source, options)` keeps the lines in memory and returns them with the report:
 *
 *   {
 *     format: 'xlsx' | 'csv' | 'json' | 'rows',
 *     sheet: 'Budget',                       // the sheet read (a CSV is named after its file)
 *     sheets: [{ name, hidden }],            // every sheet, for the preview's chooser
 *     headerRow: 3,                          // null for JSON
 *     mapping: {                             // null for JSON, or when no mapping could be made
 *       category: 1, description: 2, notes: null,          // 1-based columns (A is 1)
 *       periods: [{ col: 3, period: '2027-01-01', label: 'Jan 2027', granularity: 'monthly' }],
 *       totalColumns: [{ col: 15, label: 'Total', periods: ['2027-01-01', …] }],
 *       ignored: [{ col: 16, label: 'Owner' }],
 *     },
 *     proposed: true,                        // false when options.mapping was used
 *     lines: [{ row: 4, category, description, notes, amounts: Map<'2027-01-01', 123456n> }],
 *     totals: { rows: [{ row, label, amounts }], columns: [...], mismatches: [{ coordinate,
 *               row, column, kind, label, period, expected, found, difference, withinRounding }] },
 *     rejected: [{ coordinate: 'Budget!D14', row: 14, column: 'D', rule: 'amount', value: 'n/a',
 *                  message: '"n/a" is text, not an amount.' }],
 *     problems: [{ code: 'granularity', message }],   // block the import until fixed
 *     warnings: ['…'],                                // worth showing, block nothing
 *     stats: { rows, lines, cells, rejectedCells, blankRows, totalRows, headings },
 *     ok: true,    // no problem, no rejected cell, no total mismatch beyond rounding, some lines
 *   }
 *
 * `streamImport(source, options, onLine)` returns the same without `lines`, handing each line to
 * `onLine` as it is read (awaited when it returns a promise), so a commit can write in chunks with
 * memory flat however large the sheet. Both are pure: the same bytes and options give the same
 * result, so a parse job that dies can run again from the start.
 *
 * A file that cannot be read at all (too large, a zip bomb, encrypted, not a spreadsheet, damaged)
 * throws `ImportRefused` with a code and a message for the person; nothing is returned.
 */
import type { SheetRow } from './cells.ts';
import { type Delimiter, readCsv } from './csv.ts';
import { readJson } from './json.ts';
import { type ImportLimits, ImportRefused, readableSize, withLimits } from './limits.ts';
import type { MappingOverride } from './mapping.ts';
import type { Granularity, Period } from './periods.ts';
import {
  type ImportProgress,
  type ImportReport,
  type LineSink,
  type ParsedLine,
  readSheet,
  type SheetReadOptions,
} from './sheet.ts';
import { sniffFormat } from './sniff.ts';
import { openWorkbook, type WorkbookSheet } from './xlsx.ts';

export interface ParseOptions {
  /** The budget's currency (ISO 4217). */
  currency: string;
  /** The budget's granularity; the file's periods must fit it. */
  granularity: Granularity;
  /** The locale amounts typed as text are read in (`de-DE` reads 1.234,56), and month names. */
  locale: string;
  /** 1-12, default 1: the month fiscal years start in, for `FY27 M01` and `FY27 Q1` headers. */
  fiscalYearStartMonth?: number;
  /** The year of month headers that name none (`January`), when no year stands above them. */
  year?: number;
  /** xlsx: the sheet to read; default the first visible sheet with content. */
  sheet?: string;
  /** Skip header detection: the header is this row. */
  headerRow?: number;
  /** Skip the proposal: use this mapping (checked by the same rules). */
  mapping?: MappingOverride;
  /** The budget's first and last periods. */
  periodRange?: { first: Period; last: Period };
  /** CSV: skip separator detection. */
  delimiter?: Delimiter;
  limits?: Partial<ImportLimits>;
  /** Rows between progress reports (default 1000). */
  progressEvery?: number;
  onProgress?: (progress: ImportProgress) => void;
}

export type ImportSource =
  /** An upload, or a sheet downloaded through its export link. */
  | { kind: 'file'; bytes: Uint8Array; name?: string; contentType?: string }
  /** Rows already typed, as the Google Sheets API gives them (google.ts). */
  | { kind: 'rows'; sheet: string; sheets: WorkbookSheet[]; rows: Iterable<SheetRow> | AsyncIterable<SheetRow> };

export interface ImportOutcome extends ImportReport {
  format: 'xlsx' | 'csv' | 'json' | 'rows';
  sheets: WorkbookSheet[];
  ok: boolean;
}

export interface ParsedImport extends ImportOutcome {
  lines: ParsedLine[];
}

export async function parseImport(source: ImportSource, options: ParseOptions): Promise<ParsedImport> {
  const lines: ParsedLine[] = [];
  const outcome = await streamImport(source, options, (line) => {
    lines.push(line);
  });
  return { ...outcome, lines };
}

export async function streamImport(
  source: ImportSource,
  options: ParseOptions,
  onLine: LineSink,
): Promise<ImportOutcome> {
  const limits = withLimits(options.limits);
  const sheetOptions: SheetReadOptions = {
    ...options,
    fiscalYearStartMonth: options.fiscalYearStartMonth ?? 1,
    maxRows: limits.maxRows,
    maxRejectedListed: limits.maxRejectedListed,
    progressEvery: options.progressEvery ?? 1000,
  };

  if (source.kind === 'rows') {
    const rows = toAsync(source.rows);
    const report = await readSheet({ name: source.sheet, rows, rowsTotal: null }, sheetOptions, onLine);
    return finish('rows', source.sheets, report);
  }

  const { bytes } = source;
  if (bytes.length > limits.maxBytes) {
    throw new ImportRefused(
      'too-large',
      `The file is ${readableSize(bytes.length)}; the limit is ${readableSize(limits.maxBytes)}. Split it, or remove what the budget does not need.`,
    );
  }
  const format = sniffFormat(bytes, source);
  const baseName = (source.name ?? '').replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '') || 'Sheet1';

  if (format === 'json') {
    const report = await readJson(bytes, baseName, sheetOptions, onLine);
    return finish('json', [], report);
  }
  if (format === 'csv') {
    const csv = readCsv(bytes, { delimiter: options.delimiter });
    const report = await readSheet({ name: baseName, rows: csv.rows, rowsTotal: csv.rowsTotal }, sheetOptions, onLine);
    if (csv.text.encoding === 'windows-1252') {
      report.warnings.push(
        'The file is not UTF-8; it was read as Windows-1252 (Western European), as Excel writes it.',
      );
    }
    return finish('csv', [{ name: baseName, hidden: false }], report);
  }

  const workbook = await openWorkbook(bytes, limits);
  if (workbook.sheets.length === 0) throw new ImportRefused('no-sheet', 'The workbook has no worksheets.');
  const list = () => workbook.sheets.map((s) => `"${s.name}"${s.hidden ? ' (hidden)' : ''}`).join(', ');
  let candidates: WorkbookSheet[];
  if (options.sheet !== undefined) {
    const wanted = options.sheet;
    const chosen =
      workbook.sheets.find((s) => s.name === wanted) ??
      workbook.sheets.find((s) => s.name.toLowerCase() === wanted.toLowerCase());
    if (!chosen) throw new ImportRefused('no-sheet', `The workbook has no sheet "${wanted}". Its sheets: ${list()}.`);
    candidates = [chosen];
  } else {
    const visible = workbook.sheets.filter((s) => !s.hidden);
    candidates = visible.length ? visible : workbook.sheets;
  }
  const skipped: string[] = [];
  for (const [i, sheet] of candidates.entries()) {
    const { rows, rowsTotal } = await workbook.sheet(sheet.name);
    const report = await readSheet({ name: sheet.name, rows, rowsTotal }, sheetOptions, onLine);
    const empty = report.problems.some((p) => p.code === 'empty');
    if (empty && i < candidates.length - 1) {
      skipped.push(sheet.name);
      continue;
    }
    if (skipped.length && !empty) {
      report.warnings.push(
        `${skipped.map((s) => `"${s}"`).join(', ')} ${skipped.length === 1 ? 'is' : 'are'} empty; "${sheet.name}" was read instead.`,
      );
    }
    if (empty && candidates.length > 1) {
      report.problems = [{ code: 'empty', message: `Every sheet of the workbook is empty (${list()}).` }];
    }
    if (sheet.hidden) report.warnings.push(`"${sheet.name}" is a hidden sheet.`);
    return finish('xlsx', workbook.sheets, report);
  }
  throw new ImportRefused('no-sheet', 'The workbook has no worksheets.');
}

function finish(format: ImportOutcome['format'], sheets: WorkbookSheet[], report: ImportReport): ImportOutcome {
  if (report.problems.length === 0 && report.stats.lines === 0) {
    report.problems.push({
      code: 'no-lines',
      message: `There are no lines below the header${report.headerRow ? ` (row ${report.headerRow})` : ''}.`,
    });
  }
  const ok =
    report.problems.length === 0 &&
    report.stats.rejectedCells === 0 &&
    report.totals.mismatches.every((m) => m.withinRounding);
  return { format, sheets, ...report, ok };
}

async function* toAsync(rows: Iterable<SheetRow> | AsyncIterable<SheetRow>): AsyncGenerator<SheetRow> {
  yield* rows;
}
