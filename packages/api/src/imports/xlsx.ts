/**
 * Reading an .xlsx safely and with flat memory. The zip's central directory is inspected first
 * (yauzl, random access over the upload's bytes): too many entries, declared sizes that unpack
 * past the limit, zip-level encryption, links to other workbooks (`xl/externalLinks/`) are refused
 * before anything is inflated. Then only the parts needed are inflated, each through yauzl, which
 * stops a part the moment it unpacks to more than its declared size (a bomb that lies in its
 * directory): the workbook's relationships and sheet list, the shared strings and the styles,
 * read by exceljs's own part parsers, and the one sheet being read, streamed through saxes (the
 * XML parser exceljs itself uses) straight into rows.
 *
 * Why not `new WorkbookReader(stream)` as is: it reads the zip front to back from local headers
 * (which may disagree with the central directory checked above, and are not size-checked); when
 * the shared strings come after the worksheets, as LibreOffice and exceljs write them, it spools
 * every sheet to a temporary file first; and its worksheet reader builds a Row, Cells and style
 * objects for every cell, which on a 100,000-row sheet is most of the time and memory (see the
 * benchmark). The part parsers used (`_parseRels`, `_parseWorkbook`, `_parseSharedStrings`,
 * `_parseStyles`) are exceljs 4.4.0 internals, pinned exactly in package.json; xlsx.test.ts reads
 * real exceljs-written files through them.
 *
 * Cells as Excel stores them (`<c r="D14" t="s|str|inlineStr|b|e|n" s="style"><f>…</f><v>…</v>`):
 * a formula's cached `<v>` is its value (none, or an error, makes a formula-error cell), numbers
 * in a date format are dates (header cells typed as dates, date-formatted formula results), shared
 * strings are looked up, rich text is joined.
 */
import { Readable } from 'node:stream';
import { SaxesParser } from 'saxes';
import yauzl from 'yauzl';
import { type CellValue, coordinate, type SheetRow } from './cells.ts';
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
  workbookRels?: Relationship[];
  model?: { sheets?: { name: string; id: number; state?: string; rId: string }[] };
  properties?: { model?: { date1904?: boolean } };
  sharedStrings?: (string | { richText: { text?: string }[] } | null)[];
  styles: { getStyleModel(id: number): { numFmt?: string } | null };
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

  // Loaded here, not at the top: exceljs and what it brings (zip writers, CSV) cost ~20 MB resident
  // in every process that imports the API, the jobs process and the server included, read or not.
  const { default: ExcelJS } = await import('exceljs');
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
        const dateStyles = new Map<number, boolean>();
        const context: SheetContext = {
          name: sheet.name,
          date1904,
          sharedStrings: reader.sharedStrings ?? [],
          isDateStyle(style) {
            let known = dateStyles.get(style);
            if (known === undefined) {
              known = isDateFormat(reader.styles.getStyleModel(style)?.numFmt);
              dateStyles.set(style, known);
            }
            return known;
          },
        };
        return { rows: sheetRows(await open(sheet.part), context), rowsTotal };
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

interface SheetContext {
  name: string;
  date1904: boolean;
  sharedStrings: NonNullable<ExcelReaderParts['sharedStrings']>;
  isDateStyle(style: number): boolean;
}

interface RawCell {
  col: number;
  type: string;
  style: number;
  formula: string | null;
  value: string | null;
}

/** `AB12` -> 28; null when the reference is missing. */
function columnOf(ref: string | undefined): number | null {
  if (!ref) return null;
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const code = ref.charCodeAt(i);
    if (code < 65 || code > 90) break;
    col = col * 26 + code - 64;
  }
  return col || null;
}

/** The rows of a worksheet part, parsed as it inflates; a batch of rows per chunk. */
async function* sheetRows(stream: Readable, sheet: SheetContext): AsyncGenerator<SheetRow> {
  const parser = new SaxesParser();
  const decoder = new TextDecoder('utf-8');
  let batch: SheetRow[] = [];
  let inSheetData = false;
  let row: SheetRow | null = null;
  let rowNumber = 0;
  let col = 0;
  let cell: RawCell | null = null;
  let capture: 'v' | 'f' | 't' | null = null;
  let text = '';
  let external: string | null = null;
  const local = (name: string) => name.slice(name.indexOf(':') + 1);
  parser.on('opentag', (node) => {
    const attributes = node.attributes as Record<string, string>;
    switch (local(node.name)) {
      case 'sheetData':
        inSheetData = true;
        break;
      case 'row':
        if (!inSheetData) break;
        rowNumber = Number(attributes.r) || rowNumber + 1;
        row = { row: rowNumber, cells: [] };
        col = 0;
        break;
      case 'c':
        if (!row) break;
        col = columnOf(attributes.r) ?? col + 1;
        cell = { col, type: attributes.t ?? 'n', style: Number(attributes.s ?? 0), formula: null, value: null };
        break;
      case 'v':
      case 'f':
        if (cell) [capture, text] = [local(node.name) as 'v' | 'f', ''];
        break;
      case 't':
        if (cell?.type === 'inlineStr') [capture, text] = ['t', ''];
        break;
    }
  });
  parser.on('text', (value) => {
    if (capture) text += value;
  });
  parser.on('closetag', (node) => {
    const name = local(node.name);
    if (capture && name === capture && cell) {
      if (capture === 'f') cell.formula = text;
      else cell.value = capture === 't' ? (cell.value ?? '') + text : text;
      capture = null;
      return;
    }
    if (name === 'f' && cell && cell.formula === null) cell.formula = '';
    else if (name === 'c' && row && cell) {
      const value = cellValue(cell, sheet);
      if (value) row.cells[cell.col] = value;
      if (cell.formula && external === null && EXTERNAL_REFERENCE.test(cell.formula)) {
        external = coordinate(sheet.name, row.row, cell.col);
      }
      cell = null;
    } else if (name === 'row' && row) {
      batch.push(row);
      row = null;
    } else if (name === 'sheetData') inSheetData = false;
  });
  const drain = function* () {
    if (external !== null) {
      throw new ImportRefused(
        'external-links',
        `The formula in ${external} takes a value from another workbook, which may be stale or missing here. Paste the values instead, save, and upload again.`,
      );
    }
    const done = batch;
    batch = [];
    yield* done;
  };
  try {
    for await (const chunk of stream) {
      parser.write(decoder.decode(chunk as Buffer, { stream: true }));
      yield* drain();
    }
    parser.write(decoder.decode());
    parser.close();
    yield* drain();
  } catch (error) {
    throw error instanceof ImportRefused ? error : damaged(error, sheet.name);
  } finally {
    stream.destroy();
  }
}

/** One `<c>` element as a cell value (see the header comment). */
function cellValue(cell: RawCell, sheet: SheetContext): CellValue | undefined {
  const { type, value, formula } = cell;
  if (formula !== null && (value === null || type === 'e')) return { type: 'formula-error', formula };
  if (value === null) return undefined;
  switch (type) {
    case 's': {
      const shared = sheet.sharedStrings[Number(value)];
      const text = typeof shared === 'string' ? shared : (shared?.richText.map((run) => run.text ?? '').join('') ?? '');
      return text === '' ? undefined : { type: 'text', text };
    }
    case 'str':
    case 'inlineStr':
      return value === '' ? undefined : { type: 'text', text: value };
    case 'b':
      return { type: 'boolean', value: value === '1' || value === 'true' };
    case 'e':
      return { type: 'error', error: value };
    case 'd': {
      const date = new Date(value);
      return Number.isNaN(date.getTime()) ? { type: 'text', text: value } : { type: 'date', date };
    }
    default: {
      if (value.trim() === '') return undefined;
      const number = Number(value);
      if (Number.isNaN(number)) return { type: 'text', text: value };
      return sheet.isDateStyle(cell.style)
        ? { type: 'date', date: serialToDate(number, sheet.date1904) }
        : { type: 'number', value: number };
    }
  }
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
