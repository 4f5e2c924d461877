/**
 * What a paste from Excel, Google Sheets or LibreOffice Calc carries, cell by cell. Spreadsheets
 * put two flavours on the clipboard: text/html, which holds the raw values (see clipboard-html.ts),
 * and text/plain, tab-separated displayed text. HTML wins when it holds a table; otherwise the TSV
 * is read by the rules Excel writes it with.
 *
 * The result says what each cell *is* (a raw number, a date, text shown in some locale); turning
 * that into an amount is the grid's job, through the money functions it is given.
 */
import { readHtmlClipboard } from './clipboard-html.ts';
import type { NumberLocale } from './number-formats.ts';

export type ClipboardCell =
  | { kind: 'empty' }
  /** Text as the source shows it; `locale` when the source states its separators, else the user's apply. */
  | { kind: 'text'; text: string; locale?: NumberLocale }
  /** A raw number (`-1234.5678`: `.` point, no grouping, no exponent) and the text shown for it. */
  | { kind: 'number'; value: string; text: string }
  /** A number formatted as a percentage: `value` is the fraction (`0.0425` for 4.25%). */
  | { kind: 'percent'; value: string; text: string }
  | { kind: 'date'; text: string }
  | { kind: 'boolean'; text: string }
  /** A cell showing a spreadsheet error such as `#DIV/0!`. */
  | { kind: 'error'; text: string };

export interface ClipboardContent {
  text?: string | undefined;
  html?: string | undefined;
}

/** The pasted block as rows of equal length (short rows padded with empty cells); [] when empty. */
export function readClipboard({ text, html }: ClipboardContent): ClipboardCell[][] {
  const fromHtml = html ? readHtmlClipboard(html) : null;
  const rows: ClipboardCell[][] =
    fromHtml ??
    parseTsv(text ?? '').map((row) =>
      row.map((field) => (field === '' ? { kind: 'empty' } : { kind: 'text', text: field })),
    );
  const width = Math.max(0, ...rows.map((row) => row.length));
  return rows.map((row) =>
    row.length === width ? row : [...row, ...Array(width - row.length).fill({ kind: 'empty' })],
  );
}

/**
 * Tab-separated text as Excel and Google Sheets write it: rows end with CRLF, LF or CR, and one row
 * end after the last row does not start another; a trailing tab leaves an empty last cell; a field
 * is quoted only when it starts with `"` (then `""` is a quote, and tabs and line breaks are text).
 * `foo"bar` is literal, and so is a field whose opening quote never closes properly.
 */
export function parseTsv(text: string): string[][] {
  const rows: string[][] = [];
  if (text === '') return rows;
  let row: string[] = [];
  let i = 0;
  for (;;) {
    let field: string | null = null;
    if (text[i] === '"') {
      const quoted = readQuoted(text, i);
      if (quoted) {
        field = quoted.field;
        i = quoted.end;
      }
    }
    if (field === null) {
      let end = i;
      while (end < text.length && text[end] !== '\t' && text[end] !== '\n' && text[end] !== '\r') end++;
      field = text.slice(i, end);
      i = end;
    }
    row.push(field);
    if (i >= text.length) {
      rows.push(row);
      return rows;
    }
    if (text[i] === '\t') {
      i++;
      continue;
    }
    i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
    rows.push(row);
    row = [];
    if (i >= text.length) return rows;
  }
}

function readQuoted(text: string, start: number): { field: string; end: number } | null {
  let field = '';
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      if (text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      const next = text[i + 1];
      // A closing quote must end the field; anything else means the quote was part of the text.
      return next === undefined || next === '\t' || next === '\n' || next === '\r' ? { field, end: i + 1 } : null;
    }
    field += ch;
    i++;
  }
  return null;
}
