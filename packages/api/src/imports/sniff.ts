/**
 * What an upload really is, from its first bytes, never from its name or the browser's content
 * type: a zip (xlsx, checked further in xlsx.ts), a Compound File (an encrypted OOXML workbook, which
 * Office wraps in CFB beside an `EncryptionInfo` stream, or a legacy .xls), JSON, or text (CSV).
 * The name still matters in one way: a file named or typed as .xlsx that is not a zip is refused
 * as "not xlsx" rather than read as text, because the person meant a workbook.
 */
import { ImportRefused } from './limits.ts';

export type ImportFormat = 'xlsx' | 'csv' | 'json';

const CFB = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const KNOWN_BINARY: { magic: number[]; what: string }[] = [
  { magic: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { magic: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { magic: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { magic: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { magic: [0x1f, 0x8b], what: 'a gzip archive' },
  { magic: [0x52, 0x61, 0x72, 0x21], what: 'a RAR archive' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf], what: 'a 7-Zip archive' },
];

const startsWith = (bytes: Uint8Array, magic: number[], at = 0) => magic.every((b, i) => bytes[at + i] === b);

function claimsXlsx(name: string | undefined, contentType: string | undefined): boolean {
  return /\.xlsx?$/i.test(name ?? '') || /spreadsheetml|ms-excel/i.test(contentType ?? '');
}

export function sniffFormat(bytes: Uint8Array, file: { name?: string; contentType?: string } = {}): ImportFormat {
  if (bytes.length === 0) throw new ImportRefused('empty', 'The file is empty.');
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) return 'xlsx';
  if (startsWith(bytes, CFB)) throw compoundFileRefusal(bytes);
  const known = KNOWN_BINARY.find((k) => startsWith(bytes, k.magic));
  if (known) throw unknownType(known.what, file);
  const text = textStart(bytes);
  if (text === null) throw unknownType('not a spreadsheet, CSV or JSON file', file);
  if (claimsXlsx(file.name, file.contentType)) {
    throw new ImportRefused(
      'not-xlsx',
      `The file is named or sent as an Excel workbook, but it is ${/^\s*[[{]/.test(text) ? 'JSON' : 'plain text (perhaps CSV)'}. Rename it to match its content, or save it from Excel as .xlsx.`,
    );
  }
  return /^\s*[[{]/.test(text) ? 'json' : 'csv';
}

/** The decoded start of a text file, or null when the bytes are binary. */
function textStart(bytes: Uint8Array): string | null {
  const head = bytes.subarray(0, 4096);
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
  if (utf16) return new TextDecoder(head[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(head);
  let control = 0;
  for (const b of head) {
    if (b === 0) return null;
    if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control += 1;
  }
  if (control > head.length / 100) return null;
  return new TextDecoder('utf-8').decode(head).replace(/^\uFEFF/, '');
}

function unknownType(what: string, file: { name?: string }): ImportRefused {
  return new ImportRefused(
    'unknown-type',
    `${file.name ? `"${file.name}"` : 'The file'} is ${what}. Upload an Excel workbook (.xlsx), a CSV file or a JSON budget document.`,
  );
}

/**
 * A Compound File: an encrypted OOXML workbook stores its package as an `EncryptedPackage` stream
 * beside `EncryptionInfo`; a legacy .xls holds a `Workbook` (or `Book`) stream. The directory
 * entries are 128-byte records whose names are UTF-16LE with their byte length at offset 64; they
 * sit in sectors, which are multiples of 128 bytes, so every entry starts at a multiple of 128.
 */
function compoundFileRefusal(bytes: Uint8Array): ImportRefused {
  const names = new Set<string>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 512; at + 128 <= bytes.length; at += 128) {
    const length = view.getUint16(at + 64, true);
    const type = bytes[at + 66];
    if (length < 4 || length > 64 || length % 2 !== 0 || (type !== 1 && type !== 2 && type !== 5)) continue;
    let name = '';
    for (let i = 0; i < length - 2; i += 2) name += String.fromCharCode(view.getUint16(at + i, true));
    if (/^[\x20-\x7e]+$/.test(name)) names.add(name);
  }
  if (names.has('EncryptionInfo') || names.has('EncryptedPackage')) {
    return new ImportRefused(
      'password-protected',
      'The workbook is password-protected. Open it in Excel, remove the password (File → Info → Protect Workbook → Encrypt with Password, clear it), save, and upload it again.',
    );
  }
  if (names.has('Workbook') || names.has('Book')) {
    return new ImportRefused(
      'legacy-xls',
      'The file is an old-format Excel workbook (.xls). Open it in Excel or LibreOffice, save it as .xlsx, and upload that.',
    );
  }
  return new ImportRefused(
    'unknown-type',
    'The file is an Office document of another kind (not a workbook). Upload an Excel workbook (.xlsx), a CSV file or a JSON budget document.',
  );
}
