/**
 * The JSON budget document: its published JSON Schema stays what zod generates (regenerate with
 * `UPDATE_SCHEMA=1 npx vitest run packages/api/src/imports/json.test.ts`), the README's example
 * imports cleanly, and each bad line or amount is rejected by its path while the rest is kept.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { outline } from './corpus.ts';
import { ImportRefused } from './limits.ts';
import { type ParseOptions, parseImport } from './parse.ts';
import { budgetImportJsonSchema } from './schema.ts';

const EUR: ParseOptions = { currency: 'EUR', granularity: 'monthly', locale: 'en-US' };
const SCHEMA_FILE = join(import.meta.dirname, 'budget-import.schema.json');
const README = join(import.meta.dirname, '../../../../README.md');

function parse(document: unknown, options: Partial<ParseOptions> = {}) {
  const bytes = new TextEncoder().encode(typeof document === 'string' ? document : JSON.stringify(document));
  return parseImport({ kind: 'file', bytes, name: 'budget.json' }, { ...EUR, ...options });
}

it('publishes the JSON Schema zod generates', () => {
  const generated = budgetImportJsonSchema();
  if (process.env.UPDATE_SCHEMA) writeFileSync(SCHEMA_FILE, `${JSON.stringify(generated, null, 2)}\n`);
  expect(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'))).toEqual(generated);
});

it('imports the README example', async () => {
  const readme = readFileSync(README, 'utf8');
  const example = /<!-- budget-import-example -->\s*```json\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(outline(await parse(example ?? 'missing'))).toEqual({
    ok: true,
    format: 'json',
    sheet: 'budget',
    headerRow: null,
    mapping: null,
    lines: [
      [1, 'Travel', 'Flights', { '2027-01': '1200.00', '2027-02': '980.50' }],
      [2, 'Travel', 'Hotels', { '2027-01': '640.00' }],
      [3, 'Equipment', null, { '2027-03': '2500.00' }],
    ],
    totalRows: [],
    mismatches: [],
    rejected: [],
    problems: [],
    warnings: [],
    stats: { rows: 3, lines: 3, cells: 4, rejectedCells: 0, blankRows: 0, totalRows: 0, headings: 0 },
  });
});

it('rejects bad lines and amounts by their path, warns about JSON numbers, and checks currency and granularity', async () => {
  const parsed = await parse(
    {
      currency: 'USD',
      granularity: 'quarterly',
      lines: [
        { category: 'Rent', amounts: { '2027-01': 1500.25, '2027-02': '12.345', '2027-Q1': '1', '2027-13': '1' } },
        { category: '', amounts: {} },
        { category: 'Power', amounts: { '2027-01': '1,000' }, extra: true },
        { category: 'Fees', amounts: { '2027-01': 1e18 } },
      ],
    },
    { periodRange: { first: '2027-01-01', last: '2027-12-01' } },
  );
  expect({ ...outline(parsed), messages: parsed.rejected.map((r) => r.message) }).toEqual({
    ok: false,
    format: 'json',
    sheet: 'budget',
    headerRow: null,
    mapping: null,
    lines: [
      [1, 'Rent', null, { '2027-01': '1500.25' }],
      [4, 'Fees', null, {}],
    ],
    totalRows: [],
    mismatches: [],
    rejected: [
      'lines[0].amounts["2027-02"] amount "\\"12.345\\""',
      'lines[0].amounts["2027-Q1"] period "2027-Q1"',
      'lines[0].amounts["2027-13"] period "2027-13"',
      'lines[1].category category-missing ""',
      'lines[2].extra json-schema "true"',
      'lines[3].amounts["2027-01"] json-precision "1000000000000000000"',
    ],
    problems: ['currency', 'granularity'],
    warnings: [
      '2 amounts are JSON numbers; they were read, but numbers can lose precision. Write amounts as decimal strings ("1234.56").',
    ],
    stats: { rows: 4, lines: 2, cells: 1, rejectedCells: 6, blankRows: 0, totalRows: 0, headings: 0 },
    messages: [
      'EUR takes at most 2 decimals; "12.345" has 3.',
      '"2027-Q1" is a quarter, but the budget is monthly; give amounts per month (YYYY-MM).',
      '"2027-13" is not a period; use YYYY-MM or YYYY-Qn.',
      'A line needs a category.',
      'Unknown field "extra": a line has category, description, notes and amounts.',
      'This number is too large to be exact in JSON; write it as a decimal string.',
    ],
  });
});

it('refuses a file that is not JSON or not a budget document', async () => {
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    return error instanceof ImportRefused ? `${error.code}: ${error.message}` : error;
  };
  expect({
    broken: await refusal(parse('{"lines": [')),
    shape: await refusal(parse({ rows: [] })),
  }).toEqual({
    broken: expect.stringMatching(
      /^json-invalid: The file is not valid JSON \(UTF-8\): .+\. Check it with a JSON validator\.$/,
    ),
    shape:
      'json-invalid: The JSON document does not follow the budget import schema (lines: Invalid input: expected array, received undefined; the document: Unrecognized key: "rows"). See the schema and example in the README.',
  });
});
