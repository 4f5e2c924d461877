/**
 * What a grid cell holds, and how typed or pasted input becomes it. An amount cell holds minor
 * units (bigint), nothing (null), or — when the input could not be read as an amount — the text
 * the person typed, kept visible with the reason, never reported as a value. The grid is told how
 * to read amounts (`parseAmount`, `fromRaw`) by the page, which knows the currency and locale.
 */
import type { ClipboardCell } from './clipboard.ts';
import { type NumberLocale, plainDecimal } from './number-formats.ts';

/** A value as the page sees it: minor units for amounts, text for text columns, null for empty. */
export type CellValue = string | bigint | null;

/** What an amount cell holds: bigint when read, a string when refused (the text stays visible). */
export type StoredValue = bigint | string | null;

export type AmountReading = { minor: bigint } | { error: string };

export interface AmountReader {
  /** Reads text shown or typed in `locale`, e.g. `(1.234,50 €)` in de-DE. */
  parseAmount: (text: string, locale: NumberLocale) => AmountReading;
  /** Reads a raw spreadsheet value (`-1234.5678`), rounding it to the currency's scale. */
  fromRaw: (decimal: string) => AmountReading;
  /** Text for an amount where text is wanted (copying, editing, a text column). */
  amountText: (minor: bigint) => string;
  /** The user's locale, for typed text and for sources that state none (Google Sheets, plain TSV). */
  userLocale: NumberLocale;
}

export interface Entry {
  value: StoredValue;
  /** Why the input was refused; set only when `value` is the refused text. */
  refused?: string;
}

/** Cell input the grid may receive: typed text, a clipboard cell, or a stored value (undo, fill). */
export type CellInput = StoredValue | ClipboardCell | undefined | number;

export function enterAmount(input: CellInput, reader: AmountReader): Entry {
  if (input === null || input === undefined) return { value: null };
  if (typeof input === 'bigint') return { value: input };
  if (typeof input === 'number') {
    const decimal = plainDecimal(String(input));
    return decimal === null
      ? { value: String(input), refused: `“${input}” is not an amount.` }
      : fromReading(decimal, reader.fromRaw(decimal));
  }
  if (typeof input === 'string') return readText(input, reader.userLocale, reader);
  switch (input.kind) {
    case 'empty':
      return { value: null };
    case 'text':
      return readText(input.text, input.locale ?? reader.userLocale, reader);
    case 'number':
      return fromReading(input.text || input.value, reader.fromRaw(input.value));
    case 'percent':
      return { value: input.text, refused: `“${input.text}” is a percentage, not an amount.` };
    case 'date':
      return { value: input.text, refused: `“${input.text}” is a date, not an amount.` };
    case 'boolean':
      return { value: input.text, refused: `“${input.text}” is a true/false value, not an amount.` };
    case 'error':
      return {
        value: input.text,
        refused: `The copied cell shows the spreadsheet error ${input.text}, not an amount.`,
      };
  }
}

function readText(text: string, locale: NumberLocale, reader: AmountReader): Entry {
  const trimmed = text.trim();
  if (trimmed === '') return { value: null };
  if (trimmed.startsWith('=')) {
    return { value: text, refused: 'Formulas are not calculated here: enter the amount itself.' };
  }
  return fromReading(text, reader.parseAmount(trimmed, locale));
}

function fromReading(text: string, reading: AmountReading): Entry {
  return 'minor' in reading ? { value: reading.minor } : { value: text, refused: reading.error };
}

/** Text cells keep what was typed or shown; an empty text is no value. */
export function enterText(input: CellInput, reader: AmountReader): Entry {
  if (input === null || input === undefined) return { value: null };
  if (typeof input === 'bigint') return { value: reader.amountText(input) };
  if (typeof input === 'number') return { value: String(input) };
  if (typeof input === 'string') return { value: input === '' ? null : input };
  return { value: input.kind === 'empty' || input.text === '' ? null : input.text };
}

export function sameValue(a: unknown, b: unknown): boolean {
  return (a ?? null) === (b ?? null);
}
