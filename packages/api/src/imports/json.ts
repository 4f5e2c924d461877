/**
 * The JSON budget document (schema.ts). It is parsed whole, which the upload size limit bounds.
 * The document's shape must be right or the file is refused; within it, each line and each amount
 * is checked on its own, so one bad cell is reported with its path (`lines[3].amounts["2027-02"]`)
 * and the rest is kept, as for a sheet.
 */
import { z } from 'zod';
import { currencyDigits, fromDecimalString } from '../money/index.ts';
import { type AmountReading, numberAmount, type RejectionRule } from './cells.ts';
import { ImportRefused } from './limits.ts';
import type { Problem } from './mapping.ts';
import { type Granularity, type Period, period, periodLabel, periodParts } from './periods.ts';
import { budgetImportEnvelope, budgetImportLine, DECIMAL, PERIOD_KEY } from './schema.ts';
import type { ImportProgress, ImportReport, LineSink, ParsedLine } from './sheet.ts';

export interface JsonReadOptions {
  currency: string;
  granularity: Granularity;
  fiscalYearStartMonth: number;
  periodRange?: { first: Period; last: Period };
  maxRows: number;
  maxRejectedListed: number;
  progressEvery: number;
  onProgress?: (progress: ImportProgress) => void;
}

const lineFields = budgetImportLine.extend({ amounts: z.record(z.string(), z.unknown()).default({}) });

export async function readJson(
  bytes: Uint8Array,
  name: string,
  options: JsonReadOptions,
  onLine: LineSink,
): Promise<ImportReport> {
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ImportRefused(
      'json-invalid',
      `The file is not valid JSON (UTF-8): ${(error as Error).message}. Check it with a JSON validator.`,
      { cause: error },
    );
  }
  const shape = budgetImportEnvelope.safeParse(document);
  if (!shape.success) {
    const first = shape.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'the document'}: ${i.message}`);
    throw new ImportRefused(
      'json-invalid',
      `The JSON document does not follow the budget import schema (${first.join('; ')}). See the schema and example in the README.`,
    );
  }
  const { currency, granularity, lines } = shape.data;
  const report: ImportReport = {
    sheet: name,
    headerRow: null,
    headers: [],
    mapping: null,
    proposed: false,
    totals: { rows: [], columns: [], mismatches: [] },
    rejected: [],
    problems: [],
    warnings: [],
    stats: { rows: 0, lines: 0, cells: 0, rejectedCells: 0, blankRows: 0, totalRows: 0, headings: 0 },
  };
  const problems: Problem[] = report.problems;
  if (currency && currency !== options.currency) {
    problems.push({
      code: 'currency',
      message: `The document's amounts are in ${currency}, but the budget is in ${options.currency}.`,
    });
  }
  if (granularity && granularity !== options.granularity) {
    problems.push({
      code: 'granularity',
      message: `The document is ${granularity}, but the budget is ${options.granularity}.`,
    });
  }
  if (lines.length > options.maxRows) {
    throw new ImportRefused(
      'too-many-rows',
      `The document has ${lines.length.toLocaleString('en')} lines; the limit is ${options.maxRows.toLocaleString('en')}. Split it into smaller files.`,
    );
  }

  const reject = (index: number, field: string, rule: RejectionRule, value: string, message: string) => {
    report.stats.rejectedCells += 1;
    if (report.rejected.length < options.maxRejectedListed) {
      report.rejected.push({
        coordinate: `lines[${index}].${field}`,
        row: index + 1,
        column: field,
        rule,
        value,
        message,
      });
    }
  };
  let numbers = 0;
  const seen = new Set<string>();
  let repeats = 0;
  for (const [index, raw] of lines.entries()) {
    report.stats.rows += 1;
    const fields = lineFields.safeParse(raw);
    if (!fields.success) {
      for (const issue of fields.error.issues) {
        if (issue.code === 'unrecognized_keys') {
          for (const key of issue.keys) {
            reject(
              index,
              key,
              'json-schema',
              valueAt(raw, [key]),
              `Unknown field "${key}": a line has category, description, notes and amounts.`,
            );
          }
          continue;
        }
        const field = issue.path.length ? issue.path.map(String).join('.') : '(line)';
        const value = valueAt(raw, issue.path);
        reject(index, field, field === 'category' ? 'category-missing' : 'json-schema', value, issue.message);
      }
      continue;
    }
    const amounts = new Map<Period, bigint>();
    for (const [key, value] of Object.entries(fields.data.amounts)) {
      const field = `amounts[${JSON.stringify(key)}]`;
      const p = periodOf(key, options);
      if (typeof p !== 'string') {
        reject(index, field, 'period', key, p.message);
        continue;
      }
      if (typeof value === 'number') numbers += 1;
      const read = readJsonAmount(value, options.currency);
      if (read.kind === 'refused') reject(index, field, read.rule, JSON.stringify(value), read.message);
      else if (read.kind === 'amount') amounts.set(p, read.minor);
    }
    const line: ParsedLine = {
      row: index + 1,
      category: fields.data.category,
      description: fields.data.description || null,
      notes: fields.data.notes || null,
      amounts,
    };
    const key = `${line.category}\u0000${line.description ?? ''}`;
    if (seen.has(key)) repeats += 1;
    seen.add(key);
    report.stats.lines += 1;
    report.stats.cells += amounts.size;
    const pending = onLine(line);
    if (pending) await pending;
    if (options.onProgress && (index + 1) % options.progressEvery === 0) {
      options.onProgress({ rowsRead: index + 1, rowsTotal: lines.length });
    }
  }
  options.onProgress?.({ rowsRead: lines.length, rowsTotal: lines.length });
  if (numbers) {
    report.warnings.push(
      `${numbers} amount${numbers === 1 ? ' is' : 's are'} JSON numbers; they were read, but numbers can lose precision. Write amounts as decimal strings ("1234.56").`,
    );
  }
  if (repeats) {
    report.warnings.push(
      `${repeats} line${repeats === 1 ? ' repeats' : 's repeat'} the category and description of an earlier line; a later import matches them in order.`,
    );
  }
  return report;
}

function readJsonAmount(value: unknown, currency: string): AmountReading {
  const digits = currencyDigits(currency);
  if (typeof value === 'number') {
    if (Math.abs(value) * 10 ** digits > Number.MAX_SAFE_INTEGER) {
      return {
        kind: 'refused',
        rule: 'json-precision',
        message: 'This number is too large to be exact in JSON; write it as a decimal string.',
      };
    }
    return numberAmount(value, currency);
  }
  if (typeof value !== 'string' || !DECIMAL.test(value)) {
    return {
      kind: 'refused',
      rule: 'json-schema',
      message: 'Write amounts as plain decimal strings, such as "1234.56" (no grouping or currency).',
    };
  }
  const decimals = value.split('.')[1]?.length ?? 0;
  if (decimals > digits) {
    return {
      kind: 'refused',
      rule: 'amount',
      message: `${currency} takes ${digits === 0 ? 'no decimals' : `at most ${digits} decimals`}; "${value}" has ${decimals}.`,
    };
  }
  const read = fromDecimalString(value, currency);
  if (!read.ok) return { kind: 'refused', rule: 'amount', message: read.reason };
  return read.kind === 'empty' ? { kind: 'empty' } : { kind: 'amount', minor: read.minor, rounded: false };
}

/** `2027-01` or `2027-Q1` as the budget's period, or why it is not one. */
function periodOf(key: string, options: JsonReadOptions): Period | { message: string } {
  const match = PERIOD_KEY.exec(key);
  if (!match) return { message: `"${key}" is not a period; use YYYY-MM or YYYY-Qn.` };
  const year = Number(key.slice(0, 4));
  const quarter = key[5] === 'Q' ? Number(key[6]) : null;
  const p = quarter ? period(year, (quarter - 1) * 3 + 1) : period(year, Number(key.slice(5, 7)));
  if (options.granularity === 'monthly' && quarter) {
    return { message: `"${key}" is a quarter, but the budget is monthly; give amounts per month (YYYY-MM).` };
  }
  if (options.granularity === 'quarterly' && (periodParts(p).month - options.fiscalYearStartMonth + 12) % 3 !== 0) {
    return { message: `"${key}" does not start one of this budget's quarters.` };
  }
  if (options.periodRange && (p < options.periodRange.first || p > options.periodRange.last)) {
    return {
      message: `"${key}" is outside the budget's periods (${periodLabel(options.periodRange.first)} to ${periodLabel(options.periodRange.last)}).`,
    };
  }
  return p;
}

function valueAt(raw: unknown, path: PropertyKey[]): string {
  let at: unknown = raw;
  for (const key of path) at = (at as Record<PropertyKey, unknown> | null)?.[key];
  return at === undefined ? '' : typeof at === 'string' ? at : JSON.stringify(at);
}
