/**
 * Finding the header row and proposing which column is what. The proposal is plain data (see
 * `ColumnMapping`): the preview shows it, the person may correct it, and the corrected mapping is
 * passed back as `options.mapping` to read the same stored file again; it is then checked by the
 * same rules as a proposal (granularity, duplicates, range), never trusted blindly.
 *
 * The header row is the row, among the first 30, with the most period headers (the earliest on a
 * tie). Rows just above it form the header band: a year there (`2027`, `FY27`, typically merged
 * across the months below it, so stored in its first cell only and carried right here) completes
 * headers without a year. Columns left of the periods that hold text are the category, then the
 * description, unless their headers name them (`Category`, `Line item`, `Account`; `Description`,
 * `Details`; `Notes`, `Comment`, in English, German and French). A header `Total`, `Sum`,
 * `Full year`, a year alone (`2027`, `FY27`), or a quarter among months (`Q1 2027` after Jan–Mar
 * 2027 in a monthly budget) is a total column: checked against the lines, never imported.
 */
import { type CellValue, cellText, columnLetter, isBlank, type SheetRow } from './cells.ts';
import {
  addMonths,
  fiscalPeriod,
  type Granularity,
  type HeaderReading,
  isDateSerial,
  type Period,
  type PeriodContext,
  period,
  periodLabel,
  periodParts,
  readHeaderDate,
  readHeaderText,
  serialToDate,
} from './periods.ts';

export interface PeriodColumn {
  col: number;
  period: Period;
  /** The header as the sheet shows it. */
  label: string;
  granularity: Granularity;
}

export interface TotalColumn {
  col: number;
  label: string;
  /** The periods it sums: all of them for `Total`, three months for a quarter among months. */
  periods: Period[];
}

/** Which column is what (columns are 1-based: A is 1). */
export interface ColumnMapping {
  category: number;
  description: number | null;
  notes: number | null;
  periods: PeriodColumn[];
  totalColumns: TotalColumn[];
  /** Labelled columns that are not imported, so the preview can say so. */
  ignored: { col: number; label: string }[];
}

/** A correction from the preview: columns by number, periods as first-of-month dates. */
export interface MappingOverride {
  category: number;
  description?: number | null;
  notes?: number | null;
  periods: { col: number; period: Period }[];
  totalColumns?: { col: number; periods?: Period[] }[];
}

export type ProblemCode =
  | 'empty'
  | 'no-header'
  | 'no-periods'
  | 'no-category'
  | 'year-missing'
  | 'granularity'
  | 'quarter-misaligned'
  | 'duplicate-period'
  | 'out-of-range'
  | 'mapping-invalid'
  | 'no-lines'
  | 'currency';

/** Something about the file as a whole that blocks the import until the file or mapping changes. */
export interface Problem {
  code: ProblemCode;
  message: string;
}

export interface MappingOptions extends PeriodContext {
  granularity: Granularity;
  /** For headers naming months without a year and no year above them. */
  year?: number;
  /** The budget's first and last periods; columns outside are a problem. */
  periodRange?: { first: Period; last: Period };
  headerRow?: number;
  mapping?: MappingOverride;
}

export interface MappingOutcome {
  headerRow: number | null;
  mapping: ColumnMapping | null;
  proposed: boolean;
  problems: Problem[];
  warnings: string[];
}

/** Rows searched for the header. */
export const HEADER_SEARCH_ROWS = 30;

const CATEGORY_WORDS = [
  'category',
  'categories',
  'line',
  'line item',
  'budget line',
  'item',
  'account',
  'cost centre',
  'cost center',
  'cost type',
  'expense',
  'kategorie',
  'konto',
  'position',
  'kostenart',
  'catégorie',
  'categorie',
  'poste',
  'compte',
];
const DESCRIPTION_WORDS = ['description', 'details', 'detail', 'beschreibung', 'bezeichnung', 'libellé', 'libelle'];
const NOTES_WORDS = ['notes', 'note', 'comment', 'comments', 'remarks', 'notizen', 'bemerkung', 'commentaire'];
const TOTAL_HEADER =
  /^(grand |sub-?)?(totals?|sum|summe|gesamt|gesamtsumme|total général|year|year total|annual|annual total|full year|fy total|jahr|année)$/;

function label(text: string): string {
  return text.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ').replace(/[:.]$/, '');
}

/** A header cell read as a period, a year-less period part or a year; null otherwise. */
export function readHeaderCell(cell: CellValue | undefined, ctx: PeriodContext): HeaderReading | null {
  if (!cell) return null;
  if (cell.type === 'date') return readHeaderDate(cell.date);
  if (cell.type === 'text') return readHeaderText(cell.text, ctx);
  if (cell.type === 'number' && Number.isInteger(cell.value) && cell.value >= 1900 && cell.value <= 2200) {
    return { kind: 'year', year: cell.value, fiscal: false };
  }
  return null;
}

/**
 * Date serials (numbers) count as headers only in a run that steps forward by a month or a quarter:
 * 46388, 46419, 46447… A row of amounts such as 45000, 52000 is not mistaken for dates.
 */
function serialHeaders(row: SheetRow, ctx: PeriodContext): Map<number, HeaderReading> {
  const found = new Map<number, HeaderReading>();
  const serials: { col: number; value: number }[] = [];
  row.cells.forEach((cell, col) => {
    if (cell?.type === 'number' && isDateSerial(cell.value)) serials.push({ col, value: cell.value });
  });
  if (serials.length < 2) return found;
  const stepping = serials.every((s, i) => {
    const previous = serials[i - 1];
    if (!previous) return true;
    const gap = s.value - previous.value;
    return gap >= 28 && gap <= 92;
  });
  if (!stepping) return found;
  for (const s of serials) found.set(s.col, readHeaderDate(serialToDate(s.value, ctx.date1904)));
  return found;
}

function rowReadings(row: SheetRow, ctx: PeriodContext): Map<number, HeaderReading> {
  const readings = serialHeaders(row, ctx);
  row.cells.forEach((cell, col) => {
    if (readings.has(col)) return;
    const reading = readHeaderCell(cell, ctx);
    if (reading) readings.set(col, reading);
  });
  return readings;
}

const isPeriodish = (r: HeaderReading) => r.kind !== 'year';

/** The header row: the most period headers among the first rows, the earliest on a tie. */
export function findHeaderRow(rows: SheetRow[], ctx: PeriodContext): SheetRow | null {
  let best: SheetRow | null = null;
  let bestCount = 0;
  for (const row of rows.slice(0, HEADER_SEARCH_ROWS)) {
    const count = [...rowReadings(row, ctx).values()].filter(isPeriodish).length;
    if (count > bestCount) [best, bestCount] = [row, count];
  }
  return best;
}

/** Years in the band above the header row, per column, carried right across blank (merged) cells. */
function bandYears(rows: SheetRow[], header: SheetRow, ctx: PeriodContext): Map<number, HeaderReading> {
  const above = rows.filter((r) => r.row < header.row && r.row >= header.row - 3);
  const years = new Map<number, HeaderReading>();
  const width = Math.max(header.cells.length, ...above.map((r) => r.cells.length));
  // The nearest row above wins: walk from the farthest to the nearest, overwriting.
  for (const row of above) {
    if (row.cells.every(isBlank)) continue;
    let carried: HeaderReading | null = null;
    for (let col = 1; col < width; col++) {
      const cell = row.cells[col];
      if (!isBlank(cell)) {
        const reading = readHeaderCell(cell, ctx);
        carried = reading?.kind === 'year' ? reading : null;
      }
      if (carried) years.set(col, carried);
    }
  }
  return years;
}

interface Resolved {
  col: number;
  label: string;
  period: Period;
  granularity: Granularity;
}

function headerLabel(cell: CellValue | undefined, resolved?: { period: Period; granularity: Granularity }): string {
  if (resolved && (cell?.type === 'date' || cell?.type === 'number')) {
    return periodLabel(resolved.period, resolved.granularity);
  }
  return cellText(cell).trim();
}

export function proposeMapping(rows: SheetRow[], options: MappingOptions): MappingOutcome {
  const problems: Problem[] = [];
  const warnings: string[] = [];
  const ctx: PeriodContext = options;
  const nonBlank = rows.filter((r) => !r.cells.every(isBlank));
  if (nonBlank.length === 0) {
    return outcome(null, null, [{ code: 'empty', message: 'The sheet is empty.' }]);
  }
  const header =
    options.headerRow !== undefined
      ? (rows.find((r) => r.row === options.headerRow) ?? { row: options.headerRow, cells: [] })
      : findHeaderRow(rows, ctx);
  if (!header) {
    return outcome(null, null, [
      {
        code: 'no-header',
        message: `No header row with periods was found in the first ${HEADER_SEARCH_ROWS} rows. Put the periods in one row, as Jan 2027, 2027-01, 01/2027, Q1 2027 or FY27 M01 (or as dates), or choose the header row and columns in the preview.`,
      },
    ]);
  }
  if (options.mapping) return checkOverride(rows, header, options.mapping, options);

  const readings = rowReadings(header, ctx);
  const band = bandYears(rows, header, ctx);
  const resolved: Resolved[] = [];
  const totalColumns: TotalColumn[] = [];
  const yearTotals: { col: number; label: string; year: number; fiscal: boolean }[] = [];
  const unresolved: number[] = [];
  let optionYear = options.year;
  let previousOptionMonth = 0;
  for (const [col, reading] of [...readings].sort(([a], [b]) => a - b)) {
    const cell = header.cells[col];
    const above = band.get(col);
    const bandYear = above?.kind === 'year' ? above : null;
    let found: { period: Period; granularity: Granularity } | null = null;
    switch (reading.kind) {
      case 'period':
        found = { period: period(reading.year, reading.month), granularity: reading.granularity };
        break;
      case 'month':
        if (bandYear?.fiscal) {
          const s = options.fiscalYearStartMonth;
          const year = s === 1 || reading.month < s ? bandYear.year : bandYear.year - 1;
          found = { period: period(year, reading.month), granularity: 'monthly' };
        } else if (bandYear) {
          found = { period: period(bandYear.year, reading.month), granularity: 'monthly' };
        } else if (optionYear !== undefined) {
          // Months listed without a year run on: Jul…Dec then Jan is the next year.
          if (reading.month < previousOptionMonth) optionYear += 1;
          previousOptionMonth = reading.month;
          found = { period: period(optionYear, reading.month), granularity: 'monthly' };
        }
        break;
      case 'fiscal-month': {
        const fy = bandYear?.year ?? options.year;
        if (fy !== undefined) {
          found = { period: fiscalPeriod(fy, reading.month, options.fiscalYearStartMonth), granularity: 'monthly' };
        }
        break;
      }
      case 'quarter': {
        const first = (reading.quarter - 1) * 3 + 1;
        if (bandYear?.fiscal) {
          found = {
            period: fiscalPeriod(bandYear.year, first, options.fiscalYearStartMonth),
            granularity: 'quarterly',
          };
        } else if (bandYear || options.year !== undefined) {
          found = { period: period(bandYear?.year ?? options.year!, first), granularity: 'quarterly' };
        }
        break;
      }
      case 'year':
        yearTotals.push({ col, label: headerLabel(cell), year: reading.year, fiscal: reading.fiscal });
        continue;
    }
    if (found) resolved.push({ col, label: headerLabel(cell, found), ...found });
    else unresolved.push(col);
  }
  if (unresolved.length) {
    problems.push({
      code: 'year-missing',
      message: `The headers of ${columnList(unresolved)} (${unresolved.map((c) => cellText(header.cells[c])).join(', ')}) name no year. Add the year to the headers (Jan 2027) or above them, or choose the year for the import.`,
    });
  }

  // Periods of the budget's granularity are imported; a coarser period among finer ones is a total.
  const periods: PeriodColumn[] = [];
  const wrongGranularity: Resolved[] = [];
  const monthly = resolved.filter((r) => r.granularity === 'monthly');
  const quarterly = resolved.filter((r) => r.granularity === 'quarterly');
  const ignored: { col: number; label: string }[] = [];
  if (options.granularity === 'monthly') {
    periods.push(...monthly);
    const months = new Set(monthly.map((m) => m.period));
    for (const q of quarterly) {
      const covered = [0, 1, 2].map((i) => addMonths(q.period, i)).filter((p) => months.has(p));
      if (covered.length) totalColumns.push({ col: q.col, label: q.label, periods: covered });
      else wrongGranularity.push(q);
    }
  } else {
    periods.push(...quarterly);
    if (quarterly.length) {
      for (const m of monthly) ignored.push({ col: m.col, label: m.label });
      if (monthly.length) {
        warnings.push(
          `The monthly columns ${columnList(monthly.map((m) => m.col))} are not imported: this budget is quarterly and the quarter columns are read instead.`,
        );
      }
    } else {
      wrongGranularity.push(...monthly);
    }
  }
  if (wrongGranularity.length) {
    const kind = wrongGranularity[0]!.granularity === 'monthly' ? 'months' : 'quarters';
    problems.push({
      code: 'granularity',
      message: `The file's periods are ${kind} (${wrongGranularity
        .slice(0, 3)
        .map((r) => r.label)
        .join(', ')}${wrongGranularity.length > 3 ? ', …' : ''}), but the budget is ${options.granularity}. ${
        options.granularity === 'monthly'
          ? 'Import into a quarterly budget, or give the file one column per month.'
          : 'Sum the months into quarters in the file, or import into a monthly budget.'
      }`,
    });
  }

  for (const y of yearTotals) {
    const covered = periods
      .map((p) => p.period)
      .filter((p) => (y.fiscal ? fiscalYearOf(p, options.fiscalYearStartMonth) : periodParts(p).year) === y.year);
    if (covered.length) totalColumns.push({ col: y.col, label: y.label, periods: covered });
    else ignored.push({ col: y.col, label: y.label });
  }

  // The remaining labelled columns: totals, category, description, notes, or not imported.
  const taken = new Set([...readings.keys()]);
  let category: number | null = null;
  let description: number | null = null;
  let notes: number | null = null;
  const unlabelledLeft: number[] = [];
  const firstPeriodCol = Math.min(...periods.map((p) => p.col), Number.POSITIVE_INFINITY);
  const width = Math.max(header.cells.length, ...rows.map((r) => r.cells.length));
  for (let col = 1; col < width; col++) {
    if (taken.has(col)) continue;
    const text = label(cellText(header.cells[col]));
    const covered = text === '' ? null : totalCovers(text, periods, options);
    if (covered) {
      totalColumns.push({ col, label: cellText(header.cells[col]).trim(), periods: covered });
    } else if (category === null && CATEGORY_WORDS.includes(text)) category = col;
    else if (description === null && DESCRIPTION_WORDS.includes(text)) description = col;
    else if (notes === null && NOTES_WORDS.includes(text)) notes = col;
    else if (col < firstPeriodCol) unlabelledLeft.push(col);
    else if (text !== '') ignored.push({ col, label: cellText(header.cells[col]).trim() });
  }
  // Unnamed columns left of the periods that hold text below the header: category, then description.
  const sample = rows.filter((r) => r.row > header.row).slice(0, 20);
  const holdsText = (col: number) =>
    sample.some((r) => {
      const cell = r.cells[col];
      return cell?.type === 'text' && cell.text.trim() !== '';
    });
  for (const col of unlabelledLeft) {
    const text = cellText(header.cells[col]).trim();
    if (!holdsText(col)) {
      if (text) ignored.push({ col, label: text });
    } else if (category === null) category = col;
    else if (description === null) description = col;
    else if (text) ignored.push({ col, label: text });
  }
  ignored.sort((a, b) => a.col - b.col);
  totalColumns.sort((a, b) => a.col - b.col);

  if (periods.length === 0 && !problems.length) {
    problems.push({
      code: 'no-periods',
      message: `Row ${header.row} has no period of this ${options.granularity} budget. Choose the period columns in the preview.`,
    });
  }
  if (category === null) {
    problems.push({
      code: 'no-category',
      message:
        'No column holds the line categories. Name its header "Category" or choose the category column in the preview.',
    });
    return outcome(header.row, null, problems, warnings);
  }
  const mapping: ColumnMapping = { category, description, notes, periods, totalColumns, ignored };
  problems.push(...checkPeriods(periods, options));
  return outcome(header.row, mapping, problems, warnings);
}

/** Checks shared by proposals and overrides: no period twice, quarters aligned, inside the budget. */
function checkPeriods(periods: PeriodColumn[], options: MappingOptions): Problem[] {
  const problems: Problem[] = [];
  const byPeriod = new Map<Period, number[]>();
  for (const p of periods) byPeriod.set(p.period, [...(byPeriod.get(p.period) ?? []), p.col]);
  for (const [p, cols] of byPeriod) {
    if (cols.length > 1) {
      problems.push({
        code: 'duplicate-period',
        message: `${columnList(cols)} each hold ${periodLabel(p, options.granularity)}. Keep one column per period.`,
      });
    }
  }
  if (options.granularity === 'quarterly') {
    const start = options.fiscalYearStartMonth;
    const misaligned = periods.filter((p) => (periodParts(p.period).month - start + 12) % 3 !== 0);
    if (misaligned.length) {
      const starts = [0, 3, 6, 9].map((i) => periodLabel(period(2000, ((start - 1 + i) % 12) + 1)).slice(0, 3));
      problems.push({
        code: 'quarter-misaligned',
        message: `${columnList(misaligned.map((p) => p.col))} (${misaligned.map((p) => p.label).join(', ')}) ${misaligned.length === 1 ? 'does' : 'do'} not line up with this budget's quarters, which start in ${starts.join(', ')}.`,
      });
    }
  }
  if (options.periodRange) {
    const { first, last } = options.periodRange;
    const outside = periods.filter((p) => p.period < first || p.period > last);
    if (outside.length) {
      problems.push({
        code: 'out-of-range',
        message: `${columnList(outside.map((p) => p.col))} (${outside.map((p) => p.label).join(', ')}) ${outside.length === 1 ? 'falls' : 'fall'} outside the budget's periods (${periodLabel(first)} to ${periodLabel(last)}). Remove them from the mapping or the file.`,
      });
    }
  }
  return problems;
}

function checkOverride(
  rows: SheetRow[],
  header: SheetRow,
  override: MappingOverride,
  options: MappingOptions,
): MappingOutcome {
  const text = (col: number) => cellText(header.cells[col]).trim();
  const periods: PeriodColumn[] = override.periods.map((p) => ({
    col: p.col,
    period: p.period,
    label: text(p.col) || periodLabel(p.period, options.granularity),
    granularity: options.granularity,
  }));
  const all = new Set(periods.map((p) => p.period));
  const totalColumns: TotalColumn[] = (override.totalColumns ?? []).map((t) => ({
    col: t.col,
    label: text(t.col) || 'Total',
    periods: t.periods ?? [...all],
  }));
  const mapping: ColumnMapping = {
    category: override.category,
    description: override.description ?? null,
    notes: override.notes ?? null,
    periods,
    totalColumns,
    ignored: [],
  };
  const problems = checkPeriods(periods, options);
  const used = [
    mapping.category,
    mapping.description,
    mapping.notes,
    ...periods.map((p) => p.col),
    ...totalColumns.map((t) => t.col),
  ].filter((c): c is number => c !== null);
  const twice = used.filter((c, i) => used.indexOf(c) !== i);
  if (twice.length) {
    problems.push({
      code: 'mapping-invalid',
      message: `${columnList([...new Set(twice)])} ${twice.length === 1 ? 'is' : 'are'} given more than one role in the mapping.`,
    });
  }
  const unknown = totalColumns.flatMap((t) => t.periods.filter((p) => !all.has(p)));
  if (unknown.length) {
    problems.push({
      code: 'mapping-invalid',
      message: `A total column sums ${unknown.map((p) => periodLabel(p)).join(', ')}, which no period column holds.`,
    });
  }
  if (periods.length === 0) {
    problems.push({ code: 'no-periods', message: 'The mapping has no period column.' });
  }
  const width = Math.max(header.cells.length, ...rows.map((r) => r.cells.length));
  for (let col = 1; col < width; col++) {
    if (!used.includes(col) && text(col)) mapping.ignored.push({ col, label: text(col) });
  }
  return outcome(header.row, mapping, problems, [], false);
}

const NAMED_TOTAL =
  /^(?:grand |sub-?)?(?:total|sum|summe|gesamt)(?: of| for)? (.+)$|^(.+?) (?:total|sum|summe|gesamt)$/;

/** The periods a total header sums: all for `Total`, a year's for `Total 2027`, a quarter's for `Q1 total`. */
function totalCovers(text: string, periods: PeriodColumn[], options: MappingOptions): Period[] | null {
  if (TOTAL_HEADER.test(text)) return periods.map((p) => p.period);
  const named = NAMED_TOTAL.exec(text);
  const rest = named?.[1] ?? named?.[2];
  if (!rest) return null;
  const reading = readHeaderText(rest, options);
  if (reading?.kind === 'year') {
    const start = options.fiscalYearStartMonth;
    return periods
      .map((p) => p.period)
      .filter((p) => (reading.fiscal ? fiscalYearOf(p, start) : periodParts(p).year) === reading.year);
  }
  if (reading?.kind === 'period' && reading.granularity === 'quarterly') {
    const first = period(reading.year, reading.month);
    const months = new Set([0, 1, 2].map((i) => addMonths(first, i)));
    return periods.map((p) => p.period).filter((p) => months.has(p));
  }
  return null;
}

function fiscalYearOf(p: Period, startMonth: number): number {
  const { year, month } = periodParts(p);
  return startMonth === 1 || month < startMonth ? year : year + 1;
}

/** "column D", "columns D, E and F". */
export function columnList(cols: number[]): string {
  const letters = cols.map(columnLetter);
  if (letters.length === 1) return `column ${letters[0]}`;
  return `columns ${letters.slice(0, -1).join(', ')} and ${letters.at(-1)}`;
}

function outcome(
  headerRow: number | null,
  mapping: ColumnMapping | null,
  problems: Problem[],
  warnings: string[] = [],
  proposed = true,
): MappingOutcome {
  return { headerRow, mapping, proposed, problems, warnings };
}
