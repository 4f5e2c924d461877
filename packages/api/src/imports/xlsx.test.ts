/**
 * The xlsx half of the fixture corpus. Each workbook is written here by exceljs, as Excel writes
 * them (dates typed as dates, formulas with their cached results, error results as `t="e"`), or
 * assembled from zip parts where no spreadsheet program would make it (bombs, external links, a zip
 * that is no workbook), and each test asserts the whole outcome: lines, rejected coordinates,
 * total checks, problems and counts. The 100,000-row workbook is written once, to a temp folder.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import CFB from 'cfb';
import officeCrypto from 'officecrypto-tool';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { largeCents, largeXlsx, MARKETING_2027, outline, repack, xlsx, zip } from './corpus.ts';
import { ImportRefused } from './limits.ts';
import { type ParseOptions, parseImport, streamImport } from './parse.ts';

const EUR: ParseOptions = { currency: 'EUR', granularity: 'monthly', locale: 'en-US' };

async function parse(bytes: Buffer, options: Partial<ParseOptions> = {}, name = 'budget.xlsx') {
  return parseImport({ kind: 'file', bytes, name }, { ...EUR, ...options });
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ImportRefused)) throw new Error(`expected a refusal, got ${String(error)}`);
  return { code: error.code, message: error.message };
}

describe('reading workbooks', () => {
  it('reads date-typed month headers under a merged title, formulas through their cached results, and checks the total row and column', async () => {
    const bytes = await xlsx(MARKETING_2027);
    const progress: unknown[] = [];
    const parsed = await parse(bytes, { progressEvery: 2, onProgress: (p) => progress.push(p) });
    expect({ ...outline(parsed), progress }).toEqual({
      progress: [3, 5, 7, 8].map((rowsRead) => ({ rowsRead, rowsTotal: 8 })),
      ok: true,
      format: 'xlsx',
      sheet: 'Budget 2027',
      headerRow: 3,
      mapping: {
        category: 1,
        description: 2,
        notes: null,
        periods: ['3:2027-01', '4:2027-02', '5:2027-03'],
        totalColumns: ['6:3'],
      },
      lines: [
        [4, 'Travel', 'Flights', { '2027-01': '1200.00', '2027-02': '1300.50', '2027-03': '1400.00' }],
        [5, 'Travel', 'Hotels', { '2027-01': '800.00', '2027-03': '650.25' }],
        [7, 'Events', 'Fair stand', { '2027-01': '2000.00', '2027-02': '0.00', '2027-03': '0.00' }],
      ],
      totalRows: [8],
      mismatches: [],
      rejected: [],
      problems: [],
      warnings: [],
      stats: { rows: 4, lines: 3, cells: 8, rejectedCells: 0, blankRows: 1, totalRows: 1, headings: 0 },
    });
  });

  it('reads headers stored as date serials: date-formatted formula results, and bare serials stepping month by month', async () => {
    const bytes = await xlsx([
      {
        name: 'Plan',
        rows: [
          ['Line', { formula: 'DATE(2027,1,1)', result: 46388 }, { formula: 'EDATE(B1,1)', result: 46419 }],
          ['Rent', 10, 20],
        ],
        formats: { B1: 'mmm-yy', C1: 'mmm-yy' },
      },
      {
        name: 'Serials',
        rows: [
          ['Line', 46388, 46419, 46447],
          ['Rent', 45000, 52000, 46400],
        ],
      },
    ]);
    const formulas = outline(await parse(bytes));
    const serials = outline(await parse(bytes, { sheet: 'Serials' }));
    expect({
      formulas: [formulas.mapping?.periods, formulas.lines],
      serials: [serials.mapping?.periods, serials.lines],
    }).toEqual({
      formulas: [['2:2027-01', '3:2027-02'], [[2, 'Rent', null, { '2027-01': '10.00', '2027-02': '20.00' }]]],
      serials: [
        ['2:2027-01', '3:2027-02', '4:2027-03'],
        [[2, 'Rent', null, { '2027-01': '45000.00', '2027-02': '52000.00', '2027-03': '46400.00' }]],
      ],
    });
  });

  it('completes month and fiscal-month headers from a year merged across them', async () => {
    const calendar = await xlsx([
      {
        name: 'Sheet1',
        rows: [
          [null, null, '2027', null, null, '2028'],
          ['Category', 'Details', 'Nov', 'Dec', null, 'Jan'],
          ['IT', 'Laptops', 100, 200, null, 300],
        ],
        merges: ['C1:E1'],
      },
    ]);
    const fiscal = await xlsx([
      {
        name: 'Sheet1',
        rows: [
          [null, 'FY27'],
          ['Category', 'M01', 'M06', 'M07', 'M12'],
          ['IT', 1, 2, 3, 4],
        ],
        merges: ['B1:E1'],
      },
    ]);
    expect({
      calendar: outline(await parse(calendar)).lines,
      fiscal: outline(await parse(fiscal, { fiscalYearStartMonth: 7 })).lines,
    }).toEqual({
      calendar: [[3, 'IT', 'Laptops', { '2027-11': '100.00', '2027-12': '200.00', '2028-01': '300.00' }]],
      fiscal: [[3, 'IT', null, { '2026-07': '1.00', '2026-12': '2.00', '2027-01': '3.00', '2027-06': '4.00' }]],
    });
  });

  it('reads cells as Excel and LibreOffice store them: inline rich text, shared formulas, errors with and without a cached value', async () => {
    const sheetXml = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:dimension ref="A1:E2"/><x:sheetData>',
      '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Category</x:t></x:is></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>2027-01</x:t></x:is></x:c>',
      '<x:c r="C1" t="inlineStr"><x:is><x:t>2027-02</x:t></x:is></x:c><x:c r="D1" t="inlineStr"><x:is><x:t>2027-03</x:t></x:is></x:c>',
      '<x:c r="E1" t="inlineStr"><x:is><x:t>2027-04</x:t></x:is></x:c></x:row>',
      '<x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:r><x:t>Tra</x:t></x:r><x:r><x:t>vel &amp; fees</x:t></x:r></x:is></x:c>',
      '<x:c r="B2"><x:f>1/0</x:f></x:c><x:c r="C2" t="e"><x:f>1/0</x:f><x:v>#DIV/0!</x:v></x:c>',
      '<x:c r="D2"><x:f t="shared" ref="D2:E2" si="0">B2*2</x:f><x:v>4</x:v></x:c><x:c r="E2"><x:f t="shared" si="0"/><x:v>6.5</x:v></x:c></x:row>',
      '</x:sheetData></x:worksheet>',
    ].join('');
    const bytes = await repack(await xlsx([{ name: 'Budget', rows: [['placeholder']] }]), (entries) =>
      entries.map((e) => (e.name === 'xl/worksheets/sheet1.xml' ? { ...e, data: sheetXml } : e)),
    );
    const parsed = await parse(bytes);
    expect([outline(parsed).lines, outline(parsed).rejected]).toEqual([
      [[2, 'Travel & fees', null, { '2027-03': '4.00', '2027-04': '6.50' }]],
      ['Budget!B2 formula-result "=1/0"', 'Budget!C2 formula-result "=1/0"'],
    ]);
  });

  it('rejects each unreadable cell with its coordinate and rule, and keeps the rest of the line', async () => {
    const bytes = await xlsx([
      {
        name: 'Budget',
        rows: [
          ['Category', 'Description', 'Jan 2027', 'Feb 2027', 'Mar 2027', 'Apr 2027'],
          ['Travel', 'Flights', { formula: '1/0', result: { error: '#DIV/0!' } }, { error: '#N/A' }, 'n/a', 12.5],
          ['Travel', 'Taxis', new Date(Date.UTC(2027, 0, 15)), true, '12.345', '=A1'],
          [null, null, 5],
          ['x'.repeat(201), 'Too long', 1],
        ],
      },
    ]);
    const parsed = await parse(bytes);
    expect({ ...outline(parsed), messages: parsed.rejected.map((r) => r.message) }).toEqual({
      ok: false,
      format: 'xlsx',
      sheet: 'Budget',
      headerRow: 1,
      mapping: {
        category: 1,
        description: 2,
        notes: null,
        periods: ['3:2027-01', '4:2027-02', '5:2027-03', '6:2027-04'],
        totalColumns: [],
      },
      lines: [
        [2, 'Travel', 'Flights', { '2027-04': '12.50' }],
        [3, 'Travel', 'Taxis', {}],
      ],
      totalRows: [],
      mismatches: [],
      rejected: [
        'Budget!C2 formula-result "=1/0"',
        'Budget!D2 error-value "#N/A"',
        'Budget!E2 amount "n/a"',
        'Budget!C3 wrong-type "2027-01-15"',
        'Budget!D3 wrong-type "TRUE"',
        'Budget!E3 amount "12.345"',
        'Budget!F3 amount "=A1"',
        'Budget!A4 category-missing ""',
        `Budget!A5 too-long "${'x'.repeat(201)}"`,
      ],
      problems: [],
      warnings: [],
      stats: { rows: 4, lines: 2, cells: 1, rejectedCells: 9, blankRows: 0, totalRows: 0, headings: 0 },
      messages: [
        'The formula has no usable result: it is an error (such as #DIV/0! or #REF!), or the file was saved without computed values. Fix the formula, or open and save the file in Excel, then upload it again.',
        'The cell shows the error #N/A; fix it in the sheet, or clear the cell.',
        '"n/a" is text, not an amount.',
        'This cell holds a date (2027-01-15), not an amount.',
        'This cell holds TRUE, not an amount.',
        'EUR takes at most 2 decimals; "12.345" has 3 (in en-US "." marks decimals).',
        '"=A1" is a formula; copy the cell\'s value instead.',
        'This row has amounts but no category and no description. Give it a category, or clear the row.',
        'A category may have at most 200 characters; this one has 201.',
      ],
    });
  });

  it('recognises subtotal and grand total rows, reports totals that do not add up, and tells rounding apart', async () => {
    const bytes = await xlsx([
      {
        name: 'Budget',
        rows: [
          ['Category', 'Description', 'Jan 2027', 'Feb 2027', 'Total'],
          ['Travel', null, null, null, null],
          [null, 'Flights', 100, 200, 300],
          [null, 'Hotels', 50, 60, 111],
          ['Total Travel', null, 150, 260, 410],
          ['Total Rewards', 'Bonus', 1000, 0, 1000],
          ['Subtotal', null, 1000, 1, 1000],
          ['Interest', 'Accrued', 0.004, 0.004, 0.01],
          ['Grand total', null, 1150.004, 260.004, 1410.008],
        ],
      },
    ]);
    const parsed = await parse(bytes);
    expect({ ...outline(parsed), kinds: parsed.totals.mismatches.map((m) => `${m.kind} ${m.label}`) }).toEqual({
      ok: false,
      format: 'xlsx',
      sheet: 'Budget',
      headerRow: 1,
      mapping: {
        category: 1,
        description: 2,
        notes: null,
        periods: ['3:2027-01', '4:2027-02'],
        totalColumns: ['5:2'],
      },
      lines: [
        [3, 'Travel', 'Flights', { '2027-01': '100.00', '2027-02': '200.00' }],
        [4, 'Travel', 'Hotels', { '2027-01': '50.00', '2027-02': '60.00' }],
        [6, 'Total Rewards', 'Bonus', { '2027-01': '1000.00', '2027-02': '0.00' }],
        [8, 'Interest', 'Accrued', { '2027-01': '0.00', '2027-02': '0.00' }],
      ],
      totalRows: [5, 7, 9],
      mismatches: [
        'Budget!E4 expected 110.00 found 111.00',
        'Budget!D7 expected 0.00 found 1.00',
        'Budget!E7 expected 1001.00 found 1000.00',
        'Budget!E8 expected 0.00 found 0.01 (rounding)',
        'Budget!E9 expected 1410.00 found 1410.01 (rounding)',
      ],
      rejected: [],
      problems: [],
      warnings: [],
      stats: { rows: 8, lines: 4, cells: 8, rejectedCells: 0, blankRows: 0, totalRows: 3, headings: 1 },
      kinds: [
        'column Travel – Hotels',
        'row Subtotal',
        'column Subtotal',
        'column Interest – Accrued',
        'column Grand total',
      ],
    });
  });

  it('reads the first visible sheet with content, a chosen hidden one with a warning, and names the sheets when asked for a missing one', async () => {
    const bytes = await xlsx([
      {
        name: 'Lookup',
        state: 'hidden',
        rows: [
          ['Category', 'Jan 2027'],
          ['Hidden', 1],
        ],
      },
      { name: 'Cover', rows: [] },
      {
        name: 'Budget',
        rows: [
          ['Category', 'Jan 2027'],
          ['Shown', 2],
        ],
      },
    ]);
    const chosen = await parse(bytes);
    const hidden = await parse(bytes, { sheet: 'lookup' });
    expect({
      chosen: [chosen.sheet, chosen.lines.map((l) => l.category), chosen.warnings, chosen.sheets],
      hidden: [hidden.sheet, hidden.lines.map((l) => l.category), hidden.warnings],
      missing: await refusal(parse(bytes, { sheet: 'Forecast' })),
      empty: outline(await parse(await xlsx([{ name: 'Only', rows: [] }]))).problems,
    }).toEqual({
      chosen: [
        'Budget',
        ['Shown'],
        ['"Cover" is empty; "Budget" was read instead.'],
        [
          { name: 'Lookup', hidden: true },
          { name: 'Cover', hidden: false },
          { name: 'Budget', hidden: false },
        ],
      ],
      hidden: ['Lookup', ['Hidden'], ['"Lookup" is a hidden sheet.']],
      missing: {
        code: 'no-sheet',
        message: 'The workbook has no sheet "Forecast". Its sheets: "Lookup" (hidden), "Cover", "Budget".',
      },
      empty: ['empty'],
    });
  });

  it('re-reads the same bytes with a corrected mapping, checked by the same rules', async () => {
    const bytes = await xlsx([
      {
        name: 'Budget',
        rows: [
          ['Item', 'Memo', 'Jan 2027', 'Feb 2027', 'Spare'],
          ['Rent', 'office', 10, 20, 99],
        ],
      },
    ]);
    const proposed = await parse(bytes);
    const corrected = await parse(bytes, {
      mapping: {
        category: 1,
        notes: 2,
        periods: [
          { col: 3, period: '2027-01-01' },
          { col: 5, period: '2027-03-01' },
        ],
      },
    });
    const clash = await parse(bytes, {
      mapping: {
        category: 1,
        periods: [
          { col: 3, period: '2027-01-01' },
          { col: 4, period: '2027-01-01' },
        ],
      },
    });
    expect({
      proposed: [proposed.mapping?.description, proposed.mapping?.notes, proposed.mapping?.ignored, proposed.proposed],
      corrected: [corrected.lines, corrected.mapping?.ignored, corrected.proposed, corrected.ok],
      clash: clash.problems,
    }).toEqual({
      proposed: [2, null, [{ col: 5, label: 'Spare' }], true],
      corrected: [
        [
          {
            row: 2,
            category: 'Rent',
            description: null,
            notes: 'office',
            amounts: new Map([
              ['2027-01-01', 1000n],
              ['2027-03-01', 9900n],
            ]),
          },
        ],
        [{ col: 4, label: 'Feb 2027' }],
        false,
        true,
      ],
      clash: [{ code: 'duplicate-period', message: 'columns C and D each hold Jan 2027. Keep one column per period.' }],
    });
  });
});

describe('refusing workbooks', () => {
  const good = () =>
    xlsx([
      {
        name: 'Budget',
        rows: [
          ['Category', 'Jan 2027'],
          ['Rent', 1],
        ],
      },
    ]);

  it('refuses damaged, disguised, encrypted and legacy files with what to do', async () => {
    const bytes = await good();
    const encrypted = officeCrypto.encrypt(bytes, { password: 'secret' });
    const legacy = CFB.utils.cfb_new();
    CFB.utils.cfb_add(legacy, 'Workbook', Buffer.from('BIFF8 records would be here'));
    const xls = Buffer.from(CFB.write(legacy, { type: 'buffer' }) as Uint8Array);
    const garbled = await repack(bytes, (entries) =>
      entries.map((e) =>
        e.name === 'xl/worksheets/sheet1.xml' ? { ...e, data: '<worksheet><sheetData><row r="1"></sheet>' } : e,
      ),
    );
    const outcomes = {
      truncated: await refusal(parse(bytes.subarray(0, bytes.length >> 1))),
      garbled: (await refusal(parse(garbled))).code,
      csvNamedXlsx: await refusal(parse(Buffer.from('Category,Jan 2027\nRent,1\n'))),
      plainZip: await refusal(parse(zip([{ name: 'notes.txt', data: 'hello' }]))),
      ods: (await refusal(parse(zip([{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.spreadsheet' }]))))
        .message,
      encrypted: await refusal(parse(encrypted)),
      legacy: (await refusal(parse(xls, {}, 'old.xls'))).code,
      pdf: await refusal(parse(Buffer.from('%PDF-1.7\n...'), {}, 'budget.pdf')),
    };
    expect(outcomes).toEqual({
      truncated: {
        code: 'corrupt',
        message:
          'The workbook is damaged and cannot be read: End of central directory record signature not found. Either not a zip file, or file is truncated. Open it in Excel or LibreOffice, save it again, and upload it.',
      },
      garbled: 'corrupt',
      csvNamedXlsx: {
        code: 'not-xlsx',
        message:
          'The file is named or sent as an Excel workbook, but it is plain text (perhaps CSV). Rename it to match its content, or save it from Excel as .xlsx.',
      },
      plainZip: { code: 'not-xlsx', message: 'The file is a zip archive, not an Excel workbook.' },
      ods: 'The file is an OpenDocument file (such as .ods): save it as .xlsx.',
      encrypted: {
        code: 'password-protected',
        message:
          'The workbook is password-protected. Open it in Excel, remove the password (File → Info → Protect Workbook → Encrypt with Password, clear it), save, and upload it again.',
      },
      legacy: 'legacy-xls',
      pdf: {
        code: 'unknown-type',
        message:
          '"budget.pdf" is a PDF document. Upload an Excel workbook (.xlsx), a CSV file or a JSON budget document.',
      },
    });
  });

  it('refuses zip bombs from the central directory before inflating, and a bomb that lies about its sizes while inflating', async () => {
    const parts = await repack(await good(), (entries) => entries);
    const honestBomb = await repack(parts, (entries) => [
      ...entries,
      { name: 'xl/media/image1.png', data: Buffer.alloc(1024), declaredSize: 3_000_000_000 },
    ]);
    // 50 MB of spaces deflate to ~50 kB; the directory claims the sheet is its first 1 kB.
    const zeros = Buffer.alloc(50 * 1024 * 1024, 0x20);
    const lyingBomb = await repack(parts, (entries) =>
      entries.map((e) =>
        e.name === 'xl/worksheets/sheet1.xml'
          ? { ...e, data: Buffer.concat([Buffer.from(e.data), zeros]), declaredSize: Buffer.from(e.data).length }
          : e,
      ),
    );
    const many = await repack(parts, (entries) => [
      ...entries,
      ...Array.from({ length: 1001 }, (_, i) => ({ name: `xl/media/pad${i}.bin`, data: '' })),
    ]);
    const started = performance.now();
    const honest = await refusal(parse(honestBomb));
    const honestMs = performance.now() - started;
    expect({
      honest,
      honestFast: honestMs < 1000,
      lying: await refusal(parse(lyingBomb)),
      many: await refusal(parse(many)),
    }).toEqual({
      honest: {
        code: 'zip-too-large',
        message:
          'The workbook would unpack to 2861 MB; the limit is 256 MB. It may hold large images or many sheets (or be a zip bomb): save the budget sheet alone, without images, and upload that.',
      },
      honestFast: true,
      lying: {
        code: 'zip-too-large',
        message: 'The workbook unpacks to more than it declares (a zip bomb, or a damaged file). It was not read.',
      },
      many: {
        code: 'zip-too-many-entries',
        message:
          'The workbook is a zip archive of 1,011 parts; at most 1,000 are accepted. Save the budget sheet alone as a new workbook.',
      },
    });
  });

  it('refuses workbooks that take values from other workbooks, by their link parts or a formula', async () => {
    const bytes = await good();
    const linked = await repack(bytes, (entries) => [
      ...entries,
      { name: 'xl/externalLinks/externalLink1.xml', data: '<externalLink/>' },
    ]);
    const formula = await xlsx([
      {
        name: 'Budget',
        rows: [
          ['Category', 'Jan 2027'],
          ['Rent', { formula: '[1]Plan!B2', result: 5 }],
        ],
      },
    ]);
    expect({ linked: await refusal(parse(linked)), formula: await refusal(parse(formula)) }).toEqual({
      linked: {
        code: 'external-links',
        message:
          'The workbook takes values from another workbook (external links), which may be stale or missing here. In Excel, use Data → Edit Links → Break Link (or paste the values), save, and upload again.',
      },
      formula: {
        code: 'external-links',
        message:
          'The formula in Budget!B2 takes a value from another workbook, which may be stale or missing here. Paste the values instead, save, and upload again.',
      },
    });
  });

  it('refuses a file over the size limit and a sheet over the row limit', async () => {
    const bytes = await xlsx([
      { name: 'Budget', rows: [['Category', 'Jan 2027'], ...Array.from({ length: 11 }, (_, i) => [`Line ${i}`, i])] },
    ]);
    expect({
      size: await refusal(parse(bytes, { limits: { maxBytes: 1000 } })),
      rows: await refusal(parse(bytes, { limits: { maxRows: 10 } })),
    }).toEqual({
      size: {
        code: 'too-large',
        message: `The file is ${Math.round(bytes.length / 1024)} kB; the limit is 1000 bytes. Split it, or remove what the budget does not need.`,
      },
      rows: {
        code: 'too-many-rows',
        message: 'The sheet has more than 10 rows; the limit is 10. Split it into smaller files.',
      },
    });
  });
});

describe('a 100,000-row workbook', () => {
  let dir: string;
  let bytes: Buffer;
  let totals: bigint[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'goalpost-imports-'));
    ({ totals } = await largeXlsx(join(dir, 'large.xlsx'), 100_000));
    bytes = readFileSync(join(dir, 'large.xlsx'));
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('streams every line with progress and checks the total row and column', async () => {
    const progress: { rowsRead: number; rowsTotal: number | null }[] = [];
    let count = 0;
    let sample: unknown = null;
    const sums = Array.from({ length: 12 }, () => 0n);
    const outcome = await streamImport(
      { kind: 'file', bytes, name: 'large.xlsx' },
      { ...EUR, progressEvery: 25_000, onProgress: (p) => progress.push(p) },
      (line) => {
        count += 1;
        [...line.amounts.values()].forEach((v, m) => {
          sums[m]! += v;
        });
        if (line.row === 77_778) sample = [line.category, line.description, line.amounts.get('2027-06-01')];
      },
    );
    expect({
      count,
      sample,
      sums,
      stats: outcome.stats,
      ok: outcome.ok,
      totalRows: outcome.totals.rows.map((r) => r.row),
      mismatches: outcome.totals.mismatches.length,
      progress,
    }).toEqual({
      count: 100_000,
      sample: ['Category 16', 'Line 77776', largeCents(77_776, 5)],
      sums: totals,
      stats: {
        rows: 100_001,
        lines: 100_000,
        cells: 1_200_000,
        rejectedCells: 0,
        blankRows: 0,
        totalRows: 1,
        headings: 0,
      },
      ok: true,
      totalRows: [100_002],
      mismatches: 0,
      // exceljs's streaming writer leaves out the <dimension> Excel writes, so the total is unknown.
      progress: [25_000, 50_000, 75_000, 100_000, 100_002].map((rowsRead) => ({ rowsRead, rowsTotal: null })),
    });
  }, 60_000);
});
