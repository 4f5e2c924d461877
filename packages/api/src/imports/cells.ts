/**
 * The cells every source is reduced to, so that one reader (sheet.ts) maps and checks them however
 * they arrived. CSV gives text only; xlsx and the Google Sheets API give typed values. Formula
 * cells arrive as their cached result (the formula text is kept for reports); a formula without a
 * usable result (an error such as #DIV/0!, or a file saved without computed values) is its own kind.
 */
import { currencyDigits, fromDecimalString, maxMinor, parseAmount } from '../money/index.ts';

export type CellValue =
  | { type: 'text'; text: string }
  | { type: 'number'; value: number }
  | { type: 'date'; date: Date }
  | { type: 'boolean'; value: boolean }
  /** A cell holding an error value: `#N/A`, `#REF!`. */
  | { type: 'error'; error: string }
  /** A formula whose cached result is missing or an error. */
  | { type: 'formula-error'; formula: string };

/** One row of a sheet: `cells[col]` with 1-based columns (index 0 unused); holes are empty cells. */
export interface SheetRow {
  row: number;
  cells: (CellValue | undefined)[];
}

export function isBlank(cell: CellValue | undefined): boolean {
  return cell === undefined || (cell.type === 'text' && cell.text.trim() === '');
}

/** The cell as a person would type it back: what reports and labels show. */
export function cellText(cell: CellValue | undefined): string {
  if (!cell) return '';
  switch (cell.type) {
    case 'text':
      return cell.text;
    case 'number':
      return String(cell.value);
    case 'date':
      return cell.date.toISOString().slice(0, 10);
    case 'boolean':
      return cell.value ? 'TRUE' : 'FALSE';
    case 'error':
      return cell.error;
    case 'formula-error':
      return `=${cell.formula}`;
  }
}

/** `D` for 4, `AA` for 27. */
export function columnLetter(col: number): string {
  let letters = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** `Sheet1!D14`, `'Budget 2027'!D14`: Excel's own spelling, quoting names that need it. */
export function coordinate(sheet: string, row: number, col: number): string {
  const name = /^[A-Za-z_][A-Za-z0-9_.]*$/.test(sheet) ? sheet : `'${sheet.replaceAll("'", "''")}'`;
  return `${name}!${columnLetter(col)}${row}`;
}

export type AmountReading =
  | { kind: 'empty' }
  /** `rounded`: the value had more decimals than the currency and was rounded (totals allow for it). */
  | { kind: 'amount'; minor: bigint; rounded: boolean }
  | { kind: 'refused'; rule: RejectionRule; message: string };

export type RejectionRule =
  | 'amount'
  | 'wrong-type'
  | 'error-value'
  | 'formula-result'
  | 'category-missing'
  | 'too-long'
  | 'period'
  | 'json-schema'
  | 'json-precision';

/**
 * A cell's amount in minor units. Text is read as a person typed it, in the file's locale (the
 * money module refuses junk and extra decimals); a stored number is rounded half away from zero to
 * the currency's digits, as a cell showing 1,234.57 may hold 1234.5678.
 */
export function readAmount(cell: CellValue | undefined, opts: { currency: string; locale: string }): AmountReading {
  if (isBlank(cell) || !cell) return { kind: 'empty' };
  switch (cell.type) {
    case 'text': {
      const read = parseAmount(cell.text, opts);
      if (!read.ok) return { kind: 'refused', rule: 'amount', message: read.reason };
      if (read.kind === 'empty') return { kind: 'empty' };
      return { kind: 'amount', minor: read.minor, rounded: false };
    }
    case 'number':
      return numberAmount(cell.value, opts.currency);
    case 'date':
      return {
        kind: 'refused',
        rule: 'wrong-type',
        message: `This cell holds a date (${cellText(cell)}), not an amount.`,
      };
    case 'boolean':
      return { kind: 'refused', rule: 'wrong-type', message: `This cell holds ${cellText(cell)}, not an amount.` };
    case 'error':
      return {
        kind: 'refused',
        rule: 'error-value',
        message: `The cell shows the error ${cell.error}; fix it in the sheet, or clear the cell.`,
      };
    case 'formula-error':
      return {
        kind: 'refused',
        rule: 'formula-result',
        message:
          'The formula has no usable result: it is an error (such as #DIV/0! or #REF!), or the file was saved without computed values. Fix the formula, or open and save the file in Excel, then upload it again.',
      };
  }
}

const scales = new Map<string, { scale: number; limit: number }>();

/**
 * A JS number from a spreadsheet or JSON, as its shortest decimal spelling read by the money
 * module (never `Math.round(value * 100)` alone, which turns 1.005 into 100). The fast path takes
 * only values that are exactly a whole number of minor units: when `m = round(value × 10^digits)`
 * gives `value` back as `m / 10^digits`, the decimal of m minor units is the one number with that
 * many decimals that spells `value`, so the result is the same as the slow path's.
 */
export function numberAmount(value: number, currency: string): AmountReading {
  if (!Number.isFinite(value)) {
    return { kind: 'refused', rule: 'amount', message: `${value} is not an amount.` };
  }
  let known = scales.get(currency);
  if (!known) {
    known = { scale: 10 ** currencyDigits(currency), limit: Number(maxMinor(currency)) };
    scales.set(currency, known);
  }
  const minor = Math.round(value * known.scale);
  // Below 1e11 a double is finer than 1e-4, so no two spellings with the currency's decimals share it.
  if (Math.abs(value) < 1e11 && minor / known.scale === value && Math.abs(minor) <= known.limit) {
    return { kind: 'amount', minor: BigInt(minor), rounded: false };
  }
  const decimal = String(value);
  const read = fromDecimalString(decimal, currency);
  if (!read.ok) return { kind: 'refused', rule: 'amount', message: read.reason };
  if (read.kind === 'empty') return { kind: 'empty' };
  return { kind: 'amount', minor: read.minor, rounded: decimalPlaces(decimal) > currencyDigits(currency) };
}

/** Decimal places of a plain or exponent spelling: `1.5e-7` has 8. */
export function decimalPlaces(decimal: string): number {
  const match = /^-?\d*(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(decimal);
  if (!match) return 0;
  return Math.max(0, (match[1]?.length ?? 0) - Number(match[2] ?? 0));
}
