/**
 * The CSV half of the corpus, written as plain strings and bytes the way spreadsheet programs
 * export them: separators by locale, UTF-8 with and without BOM, Windows-1252 from Excel on
 * Western Windows (0x80 is €, 0xE9 é), UTF-16 "Unicode text". Each test asserts the whole outcome.
 */
import { describe, expect, it } from 'vitest';
import { outline } from './corpus.ts';
import { ImportRefused } from './limits.ts';
import { type ParseOptions, parseImport } from './parse.ts';

const EUR: ParseOptions = { currency: 'EUR', granularity: 'monthly', locale: 'en-US' };

function parse(text: string | Uint8Array, options: Partial<ParseOptions> = {}, name = 'budget.csv') {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  return parseImport({ kind: 'file', bytes, name }, { ...EUR, ...options });
}

describe('CSV files', () => {
  it('reads comma, semicolon and tab files in their locales, with spacer rows and columns', async () => {
    const comma = 'Category,Description,Jan 2027,,Feb 2027\n\nTravel,Flights,"1,234.50",,(200.00)\n';
    const semicolon = '\uFEFFKategorie;Beschreibung;Januar 2027;Februar 2027\r\nReisen;Flüge;1.234,50;-200\r\n';
    const tab = 'Category\t2027-01\t2027-02\nTravel\t€1,234.50\t200-\n';
    const lines = async (text: string, locale: string) => outline(await parse(text, { locale })).lines;
    expect({
      comma: await lines(comma, 'en-US'),
      semicolon: await lines(semicolon, 'de-DE'),
      tab: await lines(tab, 'en-IE'),
      commaStats: (await parse(comma)).stats,
    }).toEqual({
      comma: [[3, 'Travel', 'Flights', { '2027-01': '1234.50', '2027-02': '-200.00' }]],
      semicolon: [[2, 'Reisen', 'Flüge', { '2027-01': '1234.50', '2027-02': '-200.00' }]],
      tab: [[2, 'Travel', null, { '2027-01': '1234.50', '2027-02': '-200.00' }]],
      commaStats: { rows: 1, lines: 1, cells: 2, rejectedCells: 0, blankRows: 1, totalRows: 0, headings: 0 },
    });
  });

  it('decodes Windows-1252 (detected as not UTF-8) and UTF-16 with a byte-order mark', async () => {
    // "Caf\xE9 \x80;Jan 2027\nR\xE9ception;5\n" as Excel writes it on Western Windows.
    const cp1252 = Uint8Array.from([
      ...[0x43, 0x61, 0x66, 0xe9, 0x20, 0x80, 0x3b],
      ...new TextEncoder().encode('Jan 2027\nR'),
      0xe9,
      ...new TextEncoder().encode('ception;5\n'),
    ]);
    const utf16 = Uint8Array.from([
      0xff,
      0xfe,
      ...new Uint8Array(Buffer.from('Catégorie\tJan 2027\nCafé\t7\n', 'utf16le')),
    ]);
    const latin = await parse(cp1252);
    const wide = await parse(utf16);
    expect({
      latin: [latin.mapping?.category, latin.lines, latin.warnings],
      wide: outline(wide).lines,
    }).toEqual({
      latin: [
        1,
        [{ row: 2, category: 'Réception', description: null, notes: null, amounts: new Map([['2027-01-01', 500n]]) }],
        ['The file is not UTF-8; it was read as Windows-1252 (Western European), as Excel writes it.'],
      ],
      wide: [[2, 'Café', null, { '2027-01': '7.00' }]],
    });
  });

  it('takes the year of month-only headers from the options, running on past December', async () => {
    const csv = 'Category,Nov,Dec,Jan\nRent,1,2,3\n';
    expect({
      withYear: outline(await parse(csv, { year: 2026 })).lines,
      without: (await parse(csv)).problems,
    }).toEqual({
      withYear: [[2, 'Rent', null, { '2026-11': '1.00', '2026-12': '2.00', '2027-01': '3.00' }]],
      without: [
        {
          code: 'year-missing',
          message:
            'The headers of columns B, C and D (Nov, Dec, Jan) name no year. Add the year to the headers (Jan 2027) or above them, or choose the year for the import.',
        },
      ],
    });
  });

  it('checks periods against the budget: granularity, quarter alignment, duplicates and range', async () => {
    const quarters = 'Category,Q1 2027,Q2 2027\nRent,3,6\n';
    const monthsWithQuarter = 'Category,Jan 2027,Feb 2027,Mar 2027,Q1 2027\nRent,1,2,3,6\n';
    const problems = async (text: string, options: Partial<ParseOptions>) =>
      (await parse(text, options)).problems.map((p) => p.message);
    expect({
      quartersInMonthly: await problems(quarters, {}),
      quartersInQuarterly: outline(await parse(quarters, { granularity: 'quarterly' })).lines,
      misaligned: await problems(quarters, { granularity: 'quarterly', fiscalYearStartMonth: 2 }),
      monthsInQuarterly: await problems('Category,Jan 2027\nRent,1\n', { granularity: 'quarterly' }),
      quarterAsTotal: outline(await parse(monthsWithQuarter)).mapping?.totalColumns,
      outside: await problems(monthsWithQuarter, { periodRange: { first: '2027-02-01', last: '2027-12-01' } }),
    }).toEqual({
      quartersInMonthly: [
        "The file's periods are quarters (Q1 2027, Q2 2027), but the budget is monthly. Import into a quarterly budget, or give the file one column per month.",
      ],
      quartersInQuarterly: [[2, 'Rent', null, { '2027-01': '3.00', '2027-04': '6.00' }]],
      misaligned: [
        "columns B and C (Q1 2027, Q2 2027) do not line up with this budget's quarters, which start in Feb, May, Aug, Nov.",
      ],
      monthsInQuarterly: [
        "The file's periods are months (Jan 2027), but the budget is quarterly. Sum the months into quarters in the file, or import into a monthly budget.",
      ],
      quarterAsTotal: ['5:3'],
      outside: [
        "column B (Jan 2027) falls outside the budget's periods (Feb 2027 to Dec 2027). Remove them from the mapping or the file.",
      ],
    });
  });

  it('gives a category to the lines under a heading or a merged category, and checks totals in the file’s locale', async () => {
    const csv = [
      'Kategorie;Beschreibung;Jan 2027;Feb 2027;Summe',
      'Personal;;;;',
      ';Gehälter;10.000,00;10.000,00;20.000,00',
      ';Boni;500,00;;500,00',
      'Summe Personal;;10.500,00;10.000,00;20.500,00',
      'IT;Laptops;1.200,00;0,00;1.200,00',
      'Gesamt;;11.700,00;10.000,00;21.700,00',
    ].join('\n');
    expect(outline(await parse(csv, { locale: 'de-DE' }))).toEqual({
      ok: true,
      format: 'csv',
      sheet: 'budget',
      headerRow: 1,
      mapping: {
        category: 1,
        description: 2,
        notes: null,
        periods: ['3:2027-01', '4:2027-02'],
        totalColumns: ['5:2'],
      },
      lines: [
        [3, 'Personal', 'Gehälter', { '2027-01': '10000.00', '2027-02': '10000.00' }],
        [4, 'Personal', 'Boni', { '2027-01': '500.00' }],
        [6, 'IT', 'Laptops', { '2027-01': '1200.00', '2027-02': '0.00' }],
      ],
      totalRows: [5, 7],
      mismatches: [],
      rejected: [],
      problems: [],
      warnings: [],
      stats: { rows: 6, lines: 3, cells: 5, rejectedCells: 0, blankRows: 0, totalRows: 2, headings: 1 },
    });
  });

  it('refuses what is not CSV, and a file that cannot be parsed', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const refusal = async (promise: Promise<unknown>) => {
      const error = await promise.then(
        () => null,
        (e: unknown) => e,
      );
      return error instanceof ImportRefused ? { code: error.code, message: error.message } : error;
    };
    expect({
      png: await refusal(parse(png, {}, 'budget.csv')),
      binary: (await refusal(parse(Uint8Array.from([0x00, 0x01, 0x02, 0x03]), {}, 'x.csv'))) as object,
      quotes: await refusal(parse('Category,Jan 2027\n"Rent,1\n')),
      empty: await refusal(parse('')),
    }).toEqual({
      png: {
        code: 'unknown-type',
        message: '"budget.csv" is a PNG image. Upload an Excel workbook (.xlsx), a CSV file or a JSON budget document.',
      },
      binary: {
        code: 'unknown-type',
        message:
          '"x.csv" is not a spreadsheet, CSV or JSON file. Upload an Excel workbook (.xlsx), a CSV file or a JSON budget document.',
      },
      quotes: {
        code: 'corrupt',
        message:
          'The CSV file cannot be read: Quote Not Closed: the parsing is finished with an opening quote at line 2. Check its quotes, or save it again from the spreadsheet.',
      },
      empty: { code: 'empty', message: 'The file is empty.' },
    });
  });
});
