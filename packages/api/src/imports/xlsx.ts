/**
 * Reading an .xlsx safely and with flat memory. The zip's central directory is inspected first
 * (yauzl, random access over the upload's bytes): too many entries, declared sizes that unpack
 * past the limit, zip-level encryption, links to other workbooks (`xl/externalLinks/`) are refused
 * before anything is inflated. Then only the parts needed are inflated, each through yauzl, which
 * stops a part the moment it unpacks to more than its declared size (a bomb that lies in its
 * directory): the workbook's relationships and sheet list, the shared strings, the styles, and the
 * one sheet being read, whose rows stream through exceljs's own parsers.
 *
 * Why not `new WorkbookReader(stream)` as is: it reads the zip front to back from local headers
 * (which may disagree with the central directory checked above, and are not size-checked), and
 * when the shared strings come after the worksheets, as LibreOffice and exceljs write them, it
 * spools every sheet to a temporary file first. Feeding the same reader's part parsers from yauzl,
 * in the order we choose, avoids both. Those parsers (`_parseRels`, `_parseWorkbook`,
 * `_parseSharedStrings`, `_parseStyles`, `_parseWorksheet`) are exceljs 4.4.0 internals, pinned
 * exactly in package.json; xlsx.test.ts reads real exceljs-written files through them.
 *
 * Cell values as exceljs gives them: formula cells as `{ formula, result }` (the cached result is
 * used; an error result arrives as NaN or not at all), date-formatted numbers as Date, date
 * formatted formula results as serial numbers (converted here using the cell's number format).
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import type { CellValue, SheetRow } from './cells.ts';
import { coordinate } from './cells.ts';
import { type ImportLimits, ImportRefused, readableSize } from './limits.ts';
import { serialToDate } from './periods.ts';

export interface WorkbookSheet {
  name: string;
  hidden: boolean;
}

interface Relationship {
  Id: string;
  Type: string;
  Target: string;
}

/** The parts of exceljs's WorkbookReader used here (see the header comment). */
interface ExcelReaderParts {
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(iterator: Readable, sheetNo: string): Generator<{ eventType: string; value: WorksheetRows }>;
  workbookRels?: Relationship[];
  model?: { sheets?: { name: string; id: number; state?: string; rId: string }[] };
  properties?: { model?: { date1904?: boolean } };
}

interface ExcelCell {
  value: unknown;
  numFmt?: string;
}
interface ExcelRow {
  number: number;
  eachCell(options: { includeEmpty: boolean }, fn: (cell: ExcelCell, col: number) => void): void;
}
interface WorksheetRows extends AsyncIterable<ExcelRow> {
  name: string;
  state?: string;
}

const REL = {
  worksheet: /\/worksheet$/,
  sharedStrings: /\/sharedStrings$/,
  styles: /\/styles$/,
};

/** An opened workbook: its sheets are known, none is read yet. */
export interface Workbook {
  sheets: WorkbookSheet[];
  /** Rows of one sheet, streamed; `rowsTotal` from the sheet's declared dimension. */
  sheet(name: string): Promise<{ rows: AsyncIterable<SheetRow>; rowsTotal: number | null }>;
}

export async function openWorkbook(bytes: Uint8Array, limits: ImportLimits): Promise<Workbook> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(buffer, { lazyEntries: true, validateEntrySizes: true, autoClose: false });
  } catch (error) {
    throw damaged(error);
  }
  if (zip.entryCount > limits.maxZipEntries) {
    throw new ImportRefused(
      'zip-too-many-entries',
      `The workbook is a zip archive of ${zip.entryCount.toLocaleString('en')} parts; at most ${limits.maxZipEntries.toLocaleString('en')} are accepted. Save the budget sheet alone as a new workbook.`,
    );
  }
  const entries = new Map<string, yauzl.Entry>();
  let unpacked = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      unpacked += entry.uncompressedSize;
      if (entry.isEncrypted()) {
        throw new ImportRefused(
          'password-protected',
          'The workbook is password-protected. Remove the password, save, and upload it again.',
        );
      }
      entries.set(entry.fileName, entry);
    }
  } catch (error) {
    throw error instanceof ImportRefused ? error : damaged(error);
  }
  if (unpacked > limits.maxUncompressedBytes) {
    throw new ImportRefused(
      'zip-too-large',
      `The workbook would unpack to ${readableSize(unpacked)}; the limit is ${readableSize(limits.maxUncompressedBytes)}. It may hold large images or many sheets (or be a zip bomb): save the budget sheet alone, without images, and upload that.`,
    );
  }
  if (!entries.has('xl/workbook.xml') || !entries.has('[Content_Types].xml')) {
    const what = entries.has('mimetype')
      ? 'an OpenDocument file (such as .ods): save it as .xlsx'
      : entries.has('word/document.xml')
        ? 'a Word document, not a workbook'
        : 'a zip archive, not an Excel workbook';
    throw new ImportRefused('not-xlsx', `The file is ${what}.`);
  }
  const external = [...entries.keys()].filter((name) => name.startsWith('xl/externalLinks/') && name.endsWith('.xml'));
  if (external.length) {
    throw new ImportRefused(
      'external-links',
      `The workbook takes values from ${external.length === 1 ? 'another workbook' : `${external.length} other workbooks`} (external links), which may be stale or missing here. In Excel, use Data → Edit Links → Break Link (or paste the values), save, and upload again.`,
    );
  }

  const open = async (name: string): Promise<Readable> => {
    const entry = entries.get(name);
    if (!entry) throw new ImportRefused('corrupt', `The workbook is damaged: its part ${name} is missing.`);
    if (!entry.canDecodeFileData()) {
      throw new ImportRefused('corrupt', `The workbook's part ${name} uses a compression this reader does not know.`);
    }
    return zip.openReadStreamPromise(entry);
  };

  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  }) as unknown as ExcelReaderParts;
  try {
    if (entries.has('xl/_rels/workbook.xml.rels')) await reader._parseRels(await open('xl/_rels/workbook.xml.rels'));
    await reader._parseWorkbook(await open('xl/workbook.xml'));
  } catch (error) {
    throw error instanceof ImportRefused ? error : damaged(error);
  }
  const rels = reader.workbookRels ?? [];
  const partOf = (rel: Relationship | undefined) =>
    rel ? (rel.Target.startsWith('/') ? rel.Target.slice(1) : `xl/${rel.Target}`) : null;
  const listed = (reader.model?.sheets ?? []).map((s) => ({
    name: s.name,
    id: String(s.id),
    hidden: s.state === 'hidden' || s.state === 'veryHidden',
    part: partOf(rels.find((r) => r.Id === s.rId && REL.worksheet.test(r.Type))),
  }));
  const sheets = listed.filter((s) => s.part !== null && entries.has(s.part));
  const date1904 = Boolean(reader.properties?.model?.date1904);
  let prepared = false;

  return {
    sheets: sheets.map(({ name, hidden }) => ({ name, hidden })),
    async sheet(name) {
      const sheet = sheets.find((s) => s.name === name);
      if (!sheet?.part) throw new ImportRefused('no-sheet', `The workbook has no sheet named "${name}".`);
      try {
        if (!prepared) {
          prepared = true;
          const strings = partOf(rels.find((r) => REL.sharedStrings.test(r.Type)));
          if (strings && entries.has(strings)) {
            const size = entries.get(strings)!.uncompressedSize;
            if (size > limits.maxSharedStringsBytes) {
              throw new ImportRefused(
                'zip-too-large',
                `The workbook's text (its shared strings) unpacks to ${readableSize(size)}; the limit is ${readableSize(limits.maxSharedStringsBytes)}. Save the budget sheet alone as a new workbook.`,
              );
            }
            for await (const _ of reader._parseSharedStrings(await open(strings))) {
              // 'cache' mode keeps the strings on the reader and yields nothing.
            }
          }
          const styles = partOf(rels.find((r) => REL.styles.test(r.Type)));
          if (styles && entries.has(styles)) await reader._parseStyles(await open(styles));
        }
        const rowsTotal = await declaredRows(await open(sheet.part));
        const [event] = [...reader._parseWorksheet(await open(sheet.part), sheet.id)];
        if (!event) throw new ImportRefused('corrupt', `The sheet "${name}" could not be opened.`);
        event.value.name = sheet.name;
        return { rows: sheetRows(event.value, sheet.name, date1904), rowsTotal };
      } catch (error) {
        throw error instanceof ImportRefused ? error : damaged(error, name);
      }
    },
  };
}

/** The last row of the sheet's `<dimension ref="A1:N100001"/>`, read from its first bytes. */
async function declaredRows(stream: Readable): Promise<number | null> {
  let head = '';
  for await (const chunk of stream) {
    head += chunk.toString('utf8');
    if (head.includes('<sheetData') || head.length > 16_384) break;
  }
  stream.destroy();
  const match = /<dimension\s+ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"/.exec(head);
  return match?.[1] ? Number(match[1]) : null;
}

/** `[1]Sheet1!A1`, `'[Budget.xlsx]Plan'!B2`: a reference into another workbook. */
const EXTERNAL_REFERENCE = /\[[^\]]*\][^!()[\],]*!/;

async function* sheetRows(rows: WorksheetRows, name: string, date1904: boolean): AsyncGenerator<SheetRow> {
  try {
    for await (const row of rows) {
      const cells: (CellValue | undefined)[] = [];
      let external: number | null = null;
      row.eachCell({ includeEmpty: false }, (cell, col) => {
        const value = cellValue(cell, date1904);
        if (value) cells[col] = value;
        const formula = (cell.value as { formula?: unknown } | null)?.formula;
        if (typeof formula === 'string' && EXTERNAL_REFERENCE.test(formula)) external = col;
      });
      if (external !== null) {
        throw new ImportRefused(
          'external-links',
          `The formula in ${coordinate(name, row.number, external)} takes a value from another workbook, which may be stale or missing here. Paste the values instead, save, and upload again.`,
        );
      }
      yield { row: row.number, cells };
    }
  } catch (error) {
    throw error instanceof ImportRefused ? error : damaged(error, name);
  }
}

function cellValue(cell: ExcelCell, date1904: boolean): CellValue | undefined {
  const value = cell.value;
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return Number.isNaN(value) ? undefined : { type: 'number', value };
  if (typeof value === 'string') return value === '' ? undefined : { type: 'text', text: value };
  if (typeof value === 'boolean') return { type: 'boolean', value };
  if (value instanceof Date) return { type: 'date', date: value };
  const object = value as Record<string, unknown>;
  if ('formula' in object || 'sharedFormula' in object) {
    const formula = String(object.formula ?? object.sharedFormula ?? '');
    const result = object.result;
    if (typeof result === 'number' && !Number.isNaN(result)) {
      return isDateFormat(cell.numFmt)
        ? { type: 'date', date: serialToDate(result, date1904) }
        : { type: 'number', value: result };
    }
    if (typeof result === 'string') return result === '' ? undefined : { type: 'text', text: result };
    if (typeof result === 'boolean') return { type: 'boolean', value: result };
    if (result instanceof Date) return { type: 'date', date: result };
    return { type: 'formula-error', formula };
  }
  if ('richText' in object && Array.isArray(object.richText)) {
    const text = object.richText.map((run: { text?: string }) => run.text ?? '').join('');
    return text === '' ? undefined : { type: 'text', text };
  }
  if ('error' in object) return { type: 'error', error: String(object.error) };
  if ('text' in object) return { type: 'text', text: String(object.text) };
  return undefined;
}

/** A number format that shows a date: d, m, y (h, s) outside quotes, escapes and [brackets]. */
export function isDateFormat(format: string | undefined): boolean {
  if (!format) return false;
  const bare = format
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/_.|\*./g, '');
  return /[dmyhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}

function damaged(error: unknown, sheet?: string): ImportRefused {
  const message = (error instanceof Error ? error.message : String(error)).replace(/\.+$/, '');
  if (/too many bytes in the stream|expected \d+\. got/i.test(message)) {
    return new ImportRefused(
      'zip-too-large',
      'The workbook unpacks to more than it declares (a zip bomb, or a damaged file). It was not read.',
      { cause: error },
    );
  }
  return new ImportRefused(
    'corrupt',
    `The workbook is damaged${sheet ? ` (sheet "${sheet}")` : ''} and cannot be read: ${message}. Open it in Excel or LibreOffice, save it again, and upload it.`,
    { cause: error },
  );
}
