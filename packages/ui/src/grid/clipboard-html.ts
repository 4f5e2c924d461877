/**
 * Reads the text/html flavour of a spreadsheet copy into cells, preferring the raw value each
 * program writes beside the displayed text: Excel's `x:num`, Google Sheets' `data-sheets-value`,
 * LibreOffice's `sdval` (in the locale its `sdnum` names). The displayed text is rounded and
 * decorated (`1.235` for 1234.56 under a `#.##0` format, `#######` in a narrow column), so it is
 * only read where no raw value exists, and then in the separators the source states.
 *
 * A small tokenizer rather than DOMParser: it runs the same in Node (unit tests) and the browser,
 * never builds DOM from pasted markup, and Excel's style sheet (where its number formats live) has
 * to be read by hand anyway, since CSSOM drops unknown properties such as `mso-number-format`.
 */
import type { ClipboardCell } from './clipboard.ts';
import {
  classifyFormatCode,
  localeFromLcid,
  type NumberLocale,
  numberLocale,
  plainDecimal,
  separatorFromCss,
} from './number-formats.ts';

interface HtmlCell {
  attributes: Map<string, string>;
  text: string;
}

/** Cells in table order; null where a colspan or rowspan covers the position. */
type HtmlGrid = (HtmlCell | null)[][];

/** The cells of the first table in a spreadsheet's HTML, or null when it carries no table. */
export function readHtmlClipboard(html: string): ClipboardCell[][] | null {
  const { grid, styleSheets } = parseHtml(html);
  if (!grid || grid.length === 0) return null;
  const source = describeSource(html, styleSheets);
  return grid.map((row) => row.map((cell) => (cell ? readCell(cell, source) : { kind: 'empty' })));
}

// ---- Tokenizing ------------------------------------------------------------

const TAG = /<(\/?)([a-zA-Z][\w:.-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/y;
const ATTRIBUTE = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const RAW_TEXT_ELEMENTS = new Set(['style', 'script', 'title', 'textarea']);

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ensp: '\u2002',
  emsp: '\u2003',
  thinsp: '\u2009',
  shy: '\u00ad',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  copy: '©',
  reg: '®',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  middot: '·',
  deg: '°',
  times: '×',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#\d+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);/g, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? codePoint(code) : whole;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function parseAttributes(source: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const m of source.matchAll(ATTRIBUTE)) {
    const name = m[1]!.toLowerCase();
    if (!attributes.has(name)) attributes.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return attributes;
}

interface CellBuilder {
  attributes: Map<string, string>;
  parts: string[];
  endsWithBreak: boolean;
  colspan: number;
  rowspan: number;
}

function span(attributes: Map<string, string>, name: string): number {
  const n = Number.parseInt(attributes.get(name) ?? '1', 10);
  return Number.isFinite(n) && n > 1 ? Math.min(n, 1000) : 1;
}

/** Whitespace collapses as HTML renders it; `<br>` is a line break; NBSP survives as a space. */
function finishText(builder: CellBuilder): string {
  const lines = builder.parts.join('').split('\n');
  if (builder.endsWithBreak) lines.pop();
  return lines
    .map((line) => line.replace(/^ +| +$/g, ''))
    .join('\n')
    .replace(/\u00a0/g, ' ');
}

function parseHtml(html: string): { grid: HtmlGrid | null; styleSheets: string[] } {
  const styleSheets: string[] = [];
  const rows: CellBuilder[][] = [];
  let tableDepth = 0;
  let tableDone = false;
  // The open row and cell; `cell` also collects a single Google Sheets cell copied without a table.
  const open: { row: CellBuilder[] | null; cell: CellBuilder | null } = { row: null, cell: null };
  let looseCell: { tag: string; depth: number } | null = null;

  const startRow = () => {
    open.cell = null;
    open.row = [];
    rows.push(open.row);
  };

  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    const textEnd = lt === -1 ? html.length : lt;
    if (textEnd > i) {
      if (open.cell) {
        open.cell.parts.push(decodeEntities(html.slice(i, textEnd).replace(/[ \t\n\r\f]+/g, ' ')));
        open.cell.endsWithBreak = false;
      }
    }
    if (lt === -1) break;
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end === -1 ? html.length : end + 3;
      continue;
    }
    if (html.startsWith('<!', lt) || html.startsWith('<?', lt)) {
      const end = html.indexOf('>', lt);
      i = end === -1 ? html.length : end + 1;
      continue;
    }
    TAG.lastIndex = lt;
    const m = TAG.exec(html);
    if (!m) {
      open.cell?.parts.push('<');
      i = lt + 1;
      continue;
    }
    i = TAG.lastIndex;
    const closing = m[1] === '/';
    const name = m[2]!.toLowerCase();

    if (!closing && RAW_TEXT_ELEMENTS.has(name)) {
      const end = html.toLowerCase().indexOf(`</${name}`, i);
      const content = html.slice(i, end === -1 ? html.length : end);
      if (name === 'style') styleSheets.push(content);
      i = end === -1 ? html.length : html.indexOf('>', end) + 1 || html.length;
      continue;
    }

    if (name === 'table') {
      if (tableDone) continue;
      if (!closing) {
        tableDepth++;
      } else if (tableDepth > 0) {
        tableDepth--;
        if (tableDepth === 0) {
          open.row = null;
          open.cell = null;
          tableDone = true;
        }
      }
      continue;
    }

    if (tableDepth === 1) {
      if (name === 'tr') {
        if (closing) {
          open.row = null;
          open.cell = null;
        } else {
          startRow();
        }
        continue;
      }
      if (name === 'td' || name === 'th') {
        open.cell = null;
        if (!closing) {
          if (!open.row) startRow();
          const attributes = parseAttributes(m[3] ?? '');
          open.cell = {
            attributes,
            parts: [],
            endsWithBreak: false,
            colspan: span(attributes, 'colspan'),
            rowspan: span(attributes, 'rowspan'),
          };
          open.row?.push(open.cell);
        }
        continue;
      }
    }

    if (name === 'br') {
      if (open.cell) {
        open.cell.parts.push('\n');
        open.cell.endsWithBreak = true;
      }
      continue;
    }

    if (tableDepth === 0 && !tableDone && rows.length === 0) {
      if (looseCell && open.cell) {
        if (name === looseCell.tag) looseCell.depth += closing ? -1 : 1;
        if (looseCell.depth === 0) {
          rows.push([open.cell]);
          open.cell = null;
          looseCell = null;
          tableDone = true;
        }
      } else if (!closing) {
        const attributes = parseAttributes(m[3] ?? '');
        if (attributes.has('data-sheets-value')) {
          open.cell = { attributes, parts: [], endsWithBreak: false, colspan: 1, rowspan: 1 };
          looseCell = { tag: name, depth: 1 };
        }
      }
    }
  }

  if (rows.length === 0) return { grid: null, styleSheets };
  return { grid: placeSpans(rows), styleSheets };
}

function placeSpans(rows: CellBuilder[][]): HtmlGrid {
  const grid: HtmlGrid = rows.map(() => []);
  const covered = rows.map(() => new Set<number>());
  rows.forEach((row, r) => {
    let c = 0;
    for (const builder of row) {
      while (covered[r]!.has(c)) c++;
      grid[r]![c] = { attributes: builder.attributes, text: finishText(builder) };
      for (let dr = 0; dr < builder.rowspan && r + dr < rows.length; dr++) {
        for (let dc = 0; dc < builder.colspan; dc++) {
          if (dr === 0 && dc === 0) continue;
          covered[r + dr]!.add(c + dc);
          grid[r + dr]![c + dc] = null;
        }
      }
      c += builder.colspan;
    }
  });
  const width = Math.max(0, ...grid.map((r) => r.length));
  return grid.map((r) => Array.from({ length: width }, (_, c) => r[c] ?? null));
}

// ---- Excel's style sheet ------------------------------------------------------

function codePoint(code: number): string {
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
}

function cssUnescape(value: string): string {
  return value.replace(
    /\\(?:([0-9a-fA-F]{1,6})\s?|([\s\S]))/g,
    (_, hex: string | undefined, char: string | undefined) =>
      hex ? codePoint(Number.parseInt(hex, 16)) : (char ?? ''),
  );
}

/** Declarations of one CSS block, with quoted values unquoted and escapes resolved. */
export function parseDeclarations(block: string): Map<string, string> {
  const declarations = new Map<string, string>();
  let current = '';
  let quote: string | null = null;
  const flush = () => {
    const colon = findUnquoted(current, ':');
    if (colon > 0) {
      const name = current.slice(0, colon).trim().toLowerCase();
      let raw = current.slice(colon + 1);
      if (raw.trim() !== '') raw = raw.trim();
      declarations.set(name, cssValue(raw));
    }
    current = '';
  };
  for (let i = 0; i < block.length; i++) {
    const ch = block[i]!;
    if (ch === '\\') {
      current += ch + (block[i + 1] ?? '');
      i++;
    } else if (quote) {
      if (ch === quote) quote = null;
      current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current += ch;
    } else if (ch === ';') {
      flush();
    } else {
      current += ch;
    }
  }
  flush();
  return declarations;
}

function findUnquoted(text: string, target: string): number {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\') i++;
    else if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === target) return i;
  }
  return -1;
}

function cssValue(raw: string): string {
  const first = raw[0];
  if (first === '"' || first === "'") {
    let inner = '';
    for (let i = 1; i < raw.length; i++) {
      const ch = raw[i]!;
      if (ch === '\\') {
        inner += ch + (raw[i + 1] ?? '');
        i++;
      } else if (ch === first) {
        break;
      } else {
        inner += ch;
      }
    }
    return cssUnescape(inner);
  }
  return cssUnescape(raw);
}

interface StyleRules {
  /** Selector (as written, e.g. `.xl65`, `td`, `table`) → declarations. */
  rules: Map<string, Map<string, string>>;
}

function parseStyleSheets(sheets: string[]): StyleRules {
  const rules = new Map<string, Map<string, string>>();
  for (const sheet of sheets) {
    const css = sheet.replace(/\/\*[\s\S]*?\*\//g, '').replace(/<!--|-->/g, '');
    let i = 0;
    while (i < css.length) {
      const open = css.indexOf('{', i);
      if (open === -1) break;
      const selectorText = css.slice(i, open).trim();
      let depth = 1;
      let j = open + 1;
      let quote: string | null = null;
      for (; j < css.length && depth > 0; j++) {
        const ch = css[j]!;
        if (ch === '\\') j++;
        else if (quote) {
          if (ch === quote) quote = null;
        } else if (ch === '"' || ch === "'") quote = ch;
        else if (ch === '{') depth++;
        else if (ch === '}') depth--;
      }
      const body = css.slice(open + 1, j - 1);
      if (!selectorText.startsWith('@')) {
        const declarations = parseDeclarations(body);
        for (const selector of selectorText.split(',')) {
          const key = selector.trim().toLowerCase();
          const merged = rules.get(key) ?? new Map<string, string>();
          for (const [k, v] of declarations) merged.set(k, v);
          rules.set(key, merged);
        }
      }
      i = j;
    }
  }
  return { rules };
}

// ---- Reading cells -------------------------------------------------------------

interface Source {
  excel: boolean;
  /** The separators Excel states for the copied range; absent when it states none. */
  excelLocale: NumberLocale | undefined;
  styles: StyleRules;
}

function describeSource(html: string, styleSheets: string[]): Source {
  const excel = /ProgId\s+content=["']?Excel|urn:schemas-microsoft-com:office:excel|mso-displayed-/i.test(html);
  const styles = parseStyleSheets(styleSheets);
  let excelLocale: NumberLocale | undefined;
  const table = styles.rules.get('table');
  const decimal = table?.get('mso-displayed-decimal-separator');
  if (excel && decimal !== undefined && decimal !== '') {
    excelLocale = { decimal, group: separatorFromCss(table?.get('mso-displayed-thousand-separator') ?? '') };
  }
  return { excel, excelLocale, styles };
}

function excelNumberFormat(cell: HtmlCell, source: Source): string | undefined {
  const inline = cell.attributes.get('style');
  const fromInline = inline ? parseDeclarations(inline).get('mso-number-format') : undefined;
  if (fromInline !== undefined) return fromInline;
  for (const name of (cell.attributes.get('class') ?? '').split(/\s+/).filter(Boolean).reverse()) {
    const format =
      source.styles.rules.get(`.${name.toLowerCase()}`)?.get('mso-number-format') ??
      source.styles.rules.get(`td.${name.toLowerCase()}`)?.get('mso-number-format');
    if (format !== undefined) return format;
  }
  return source.styles.rules.get('td')?.get('mso-number-format');
}

function numberCell(
  value: string | null,
  text: string,
  formatKind: ReturnType<typeof classifyFormatCode>,
): ClipboardCell {
  if (formatKind === 'date') return { kind: 'date', text };
  if (formatKind === 'boolean') return { kind: 'boolean', text };
  if (value === null) return { kind: 'text', text };
  if (formatKind === 'percent') return { kind: 'percent', value, text };
  return { kind: 'number', value, text };
}

type SheetsValue =
  | { type: 'text'; text: string }
  | { type: 'number'; value: number }
  | { type: 'boolean' }
  | { type: 'empty' };

/** Google Sheets' `data-sheets-value`: `{"1":3,"3":66}`, or the older `[null,3,null,66]`. */
function readSheetsValue(json: string): SheetsValue | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  const at = (key: number): unknown =>
    Array.isArray(parsed)
      ? parsed[key]
      : parsed && typeof parsed === 'object'
        ? (parsed as Record<string, unknown>)[String(key)]
        : undefined;
  switch (at(1)) {
    case 1:
      return { type: 'empty' };
    case 2:
      return typeof at(2) === 'string' ? { type: 'text', text: at(2) as string } : undefined;
    case 3:
      return typeof at(3) === 'number' ? { type: 'number', value: at(3) as number } : undefined;
    case 4:
      return { type: 'boolean' };
    default:
      return undefined;
  }
}

/** Google Sheets' `data-sheets-numberformat`: `{"1":5,"2":"yyyy-mm-dd"}` (type 3 percent, 5–7 dates and times). */
function sheetsFormatKind(json: string | undefined): ReturnType<typeof classifyFormatCode> {
  if (!json) return 'number';
  try {
    const format = JSON.parse(json) as Record<string, unknown>;
    const type = format['1'];
    if (type === 5 || type === 6 || type === 7) return 'date';
    if (type === 3) return 'percent';
    return typeof format['2'] === 'string' ? classifyFormatCode(format['2']) : 'number';
  } catch {
    return 'number';
  }
}

/** LibreOffice's `sdnum="1031;0;#.##0,00"`: a Windows locale id, then a format code (which may hold `;`). */
function readSdnum(sdnum: string | undefined): { locale: NumberLocale | undefined; format: string } {
  if (!sdnum) return { locale: undefined, format: '' };
  const [lcid, , ...format] = sdnum.split(';');
  const tag = localeFromLcid(Number(lcid));
  return { locale: tag ? numberLocale(tag) : undefined, format: format.join(';') };
}

function readCell(cell: HtmlCell, source: Source): ClipboardCell {
  const { attributes: a, text } = cell;

  if (a.has('x:err')) return { kind: 'error', text: a.get('x:err') || text };
  if (a.has('x:bool')) return { kind: 'boolean', text };
  if (a.has('x:num')) {
    const kind = classifyFormatCode(excelNumberFormat(cell, source) ?? 'General');
    const raw = a.get('x:num');
    if (raw) return numberCell(plainDecimal(raw), text, kind);
    if (kind === 'date') return { kind: 'date', text };
    // A bare x:num marks a "General" number whose displayed text is its value, in Excel's separators.
    return text === '' ? { kind: 'empty' } : withLocale(text, source.excelLocale);
  }
  if (a.has('x:str')) {
    const str = a.get('x:str') || text;
    return str === '' ? { kind: 'empty' } : withLocale(str, source.excelLocale);
  }

  const sheetsJson = a.get('data-sheets-value');
  const sheets = sheetsJson === undefined ? undefined : readSheetsValue(sheetsJson);
  if (sheets) {
    switch (sheets.type) {
      case 'empty':
        return { kind: 'empty' };
      case 'text':
        return sheets.text === '' ? { kind: 'empty' } : { kind: 'text', text: sheets.text };
      case 'boolean':
        return { kind: 'boolean', text };
      case 'number':
        return numberCell(
          plainDecimal(String(sheets.value)),
          text,
          sheetsFormatKind(a.get('data-sheets-numberformat')),
        );
    }
  }

  const sdnum = readSdnum(a.get('sdnum'));
  const sdval = a.get('sdval');
  if (sdval !== undefined && sdval !== '') {
    return numberCell(plainDecimal(sdval), text, sdnum.format ? classifyFormatCode(sdnum.format) : 'number');
  }

  if (text === '') return { kind: 'empty' };
  return withLocale(text, source.excel ? source.excelLocale : sdnum.locale);
}

function withLocale(text: string, locale: NumberLocale | undefined): ClipboardCell {
  return locale ? { kind: 'text', text, locale } : { kind: 'text', text };
}
