/**
 * The dry run's two outputs that do not depend on the file format: the diff against an existing
 * budget (re-importing what the budget holds must come out empty) and the rejected-cells CSV,
 * whose values are neutralised so a spreadsheet opening the report runs no formula from the upload.
 */
import { describe, expect, it } from 'vitest';
import { diffAgainst, type ExistingLine } from './diff.ts';
import { type ParseOptions, parseImport } from './parse.ts';
import { importReportCsv, neutralise } from './report.ts';

const EUR: ParseOptions = { currency: 'EUR', granularity: 'monthly', locale: 'en-US' };
const csv = (text: string) => parseImport({ kind: 'file', bytes: new TextEncoder().encode(text), name: 'b.csv' }, EUR);
const amounts = (entries: [string, bigint][]) => new Map(entries);

describe('the diff against a budget', () => {
  const existing: ExistingLine[] = [
    { key: 'k-flights', category: 'Travel', description: 'Flights', amounts: amounts([['2027-01-01', 120000n]]) },
    { key: 'k-hotels', category: 'Travel', description: 'Hotels', amounts: amounts([['2027-01-01', 50000n]]) },
    {
      key: 'k-rent',
      category: 'Office',
      description: null,
      amounts: amounts([
        ['2027-01-01', 90000n],
        ['2027-02-01', 90000n],
      ]),
    },
  ];

  it('is empty when the file holds what the budget holds, spelled with other spacing and case', async () => {
    const same = await csv(
      'Category,Description,Jan 2027,Feb 2027\nTravel,Flights,1200,\ntravel , hotels,500,\nOffice,,900,900\n',
    );
    const diff = diffAgainst({ lines: existing }, same);
    expect({ empty: diff.empty, unchanged: diff.unchanged, changed: diff.changed.map((c) => c.fields) }).toEqual({
      empty: false,
      unchanged: 2,
      changed: [['category', 'description']],
    });
    const exact = await csv(
      'Category,Description,Jan 2027,Feb 2027\nTravel,Flights,1200,\nTravel,Hotels,500,\nOffice,,900,900\n',
    );
    expect(diffAgainst({ lines: existing }, exact)).toEqual({
      added: [],
      removed: [],
      changed: [],
      unchanged: 3,
      cells: { added: 0, changed: 0, removed: 0 },
      empty: true,
    });
  });

  it('lists added, removed and changed lines and cells, and keeps what a merge does not mention', async () => {
    const parsed = await csv(
      'Category,Description,Jan 2027,Feb 2027\nTravel,Flights,1250,\nOffice,,900,\nIT,Laptops,,3000\n',
    );
    const replace = diffAgainst({ lines: existing }, parsed);
    const merge = diffAgainst({ lines: existing }, parsed, { mode: 'merge' });
    const shape = (d: typeof replace) => ({
      added: d.added.map((l) => `${l.category}/${l.description}`),
      removed: d.removed.map((l) => l.key),
      changed: d.changed.map((c) => [c.key, c.cells]),
      unchanged: d.unchanged,
      cells: d.cells,
    });
    expect({ replace: shape(replace), merge: shape(merge) }).toEqual({
      replace: {
        added: ['IT/Laptops'],
        removed: ['k-hotels'],
        changed: [
          ['k-flights', [{ period: '2027-01-01', before: 120000n, after: 125000n }]],
          ['k-rent', [{ period: '2027-02-01', before: 90000n, after: null }]],
        ],
        unchanged: 0,
        cells: { added: 1, changed: 1, removed: 2 },
      },
      merge: {
        added: ['IT/Laptops'],
        removed: [],
        changed: [['k-flights', [{ period: '2027-01-01', before: 120000n, after: 125000n }]]],
        unchanged: 1,
        cells: { added: 1, changed: 1, removed: 0 },
      },
    });
  });

  it('pairs repeated lines in order', async () => {
    const twice: ExistingLine[] = [
      { key: 'a', category: 'Fees', description: 'Bank', amounts: amounts([['2027-01-01', 100n]]) },
      { key: 'b', category: 'Fees', description: 'Bank', amounts: amounts([['2027-01-01', 200n]]) },
    ];
    const parsed = await csv('Category,Description,Jan 2027\nFees,Bank,1\nFees,Bank,3\n');
    const diff = diffAgainst({ lines: twice }, parsed);
    expect(diff.changed.map((c) => [c.key, c.cells])).toEqual([
      ['b', [{ period: '2027-01-01', before: 200n, after: 300n }]],
    ]);
  });
});

describe('the rejected-cells report', () => {
  it('lists rejections and total mismatches as CSV with formula-like values neutralised', async () => {
    const parsed = await csv('Category,Jan 2027,Total\nTravel,=HYPERLINK("http://x"),5\n@SUM(A1),+1+1,\nRent,-,3\n');
    expect({
      csv: importReportCsv(parsed, 'EUR').split('\r\n'),
      neutral: ['=1', '+1', '-1', '@x', '\tx', '\rx', 'plain', '1-2'].map(neutralise),
    }).toEqual({
      csv: [
        '\uFEFF"coordinate","row","column","rule","value","message"',
        '"b!B2","2","B","amount","\'=HYPERLINK(""http://x"")","""=HYPERLINK(""http://x"")"" is a formula; copy the cell\'s value instead."',
        '"b!B3","3","B","amount","\'+1+1","""+1+1"" is not an amount."',
        '"b!C4","4","C","total-mismatch","3.00","The total (Rent) is 3.00 EUR; the row\'s periods add up to 0.00 EUR."',
        '',
      ],
      neutral: ["'=1", "'+1", "'-1", "'@x", "'\tx", "'\rx", 'plain', '1-2'],
    });
  });
});
