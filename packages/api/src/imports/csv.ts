/**
 * CSV as spreadsheets write it: comma, semicolon (Excel in locales with a decimal comma) or tab
 * separated; UTF-8 with or without a byte-order mark, UTF-16 with one (Excel's "Unicode text"),
 * and Windows-1252 (Excel's "CSV" on Western Windows), detected because it is not valid UTF-8 and
 * converted, so `€` (0x80) and `é` (0xE9) arrive intact. Records stream out of csv-parse; row
 * numbers count records as a spreadsheet shows them (a quoted value spanning lines is one row).
 */
import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import type { CellValue, SheetRow } from './cells.ts';
import { ImportRefused } from './limits.ts';

export type Delimiter = ',' | ';' | '\t';

export interface CsvText {
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
  /** Bytes to skip: the byte-order mark. */
  offset: number;
}

export function detectEncoding(bytes: Uint8Array): CsvText {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', offset: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', offset: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', offset: 2 };
  return { encoding: isUtf8(bytes) ? 'utf-8' : 'windows-1252', offset: 0 };
}

const CHUNK = 256 * 1024;

/** The text in slices, decoded as it goes (a character split across slices is kept whole). */
function* decodeChunks(bytes: Uint8Array, text: CsvText): Generator<string> {
  const decoder = new TextDecoder(text.encoding);
  for (let at = text.offset; at < bytes.length; at += CHUNK) {
    const part = decoder.decode(bytes.subarray(at, at + CHUNK), { stream: true });
    if (part) yield part;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * The separator is the candidate that splits the first lines into the same number of fields most
 * often: in `Miete;1234,56;99,5` the semicolons are steady and the decimal commas are not.
 */
export function detectDelimiter(sample: string): Delimiter {
  const lines = sample
    .split(/\r?\n/)
    .slice(0, 50)
    .map((line) => line.replace(/"[^"]*"/g, '""'))
    .filter((line) => line.trim() !== '');
  let best: { delimiter: Delimiter; score: number; fields: number } = { delimiter: ',', score: -1, fields: 0 };
  for (const delimiter of [',', ';', '\t'] as const) {
    const counts = lines.map((line) => line.split(delimiter).length - 1).filter((n) => n > 0);
    if (counts.length === 0) continue;
    const frequency = new Map<number, number>();
    for (const n of counts) frequency.set(n, (frequency.get(n) ?? 0) + 1);
    const [fields, steady] = [...frequency].reduce((a, b) => (b[1] > a[1] || (b[1] === a[1] && b[0] > a[0]) ? b : a));
    if (steady > best.score || (steady === best.score && fields > best.fields)) {
      best = { delimiter, score: steady, fields };
    }
  }
  return best.delimiter;
}

export interface CsvSheet {
  text: CsvText;
  delimiter: Delimiter;
  rows: AsyncIterable<SheetRow>;
  /** Line breaks in the file: an upper bound of its rows, for progress. */
  rowsTotal: number;
}

export function readCsv(bytes: Uint8Array, options: { delimiter?: Delimiter } = {}): CsvSheet {
  const text = detectEncoding(bytes);
  const sample = new TextDecoder(text.encoding).decode(bytes.subarray(text.offset, text.offset + 64 * 1024));
  const delimiter = options.delimiter ?? detectDelimiter(sample);
  let rowsTotal = 1;
  for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) rowsTotal += 1;
  return { text, delimiter, rows: csvRows(bytes, text, delimiter), rowsTotal };
}

async function* csvRows(bytes: Uint8Array, text: CsvText, delimiter: Delimiter): AsyncGenerator<SheetRow> {
  const parser = Readable.from(decodeChunks(bytes, text)).pipe(
    parse({ delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, info: true }),
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { records: number } }>) {
      const cells: (CellValue | undefined)[] = [undefined];
      for (const value of record) cells.push(value === '' ? undefined : { type: 'text', text: value });
      yield { row: info.records, cells };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      throw new ImportRefused(
        'corrupt',
        `The CSV file cannot be read: ${error.message.replace(/\.?$/, '.')} Check its quotes, or save it again from the spreadsheet.`,
        { cause: error },
      );
    }
    throw error;
  } finally {
    parser.destroy();
  }
}
