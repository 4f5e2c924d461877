/**
 * The dry run's report as a CSV download: every rejected cell, then every total that does not add
 * up, with its coordinate, the rule, the value and the message. The file will be opened in a
 * spreadsheet, and its values come from the uploaded file, so any value starting with `=`, `+`, `-`,
 * `@`, a tab or a carriage return is prefixed with `'` (OWASP's CSV injection guidance): a
 * spreadsheet shows it as text instead of running it as a formula. Every field is quoted.
 */
import { toDecimalString } from '../money/index.ts';
import { periodLabel } from './periods.ts';
import type { ImportReport } from './sheet.ts';

const HEADER = ['coordinate', 'row', 'column', 'rule', 'value', 'message'];

/** `=1+1` -> `'=1+1`: a spreadsheet shows the text instead of evaluating it. */
export function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function field(value: string | number): string {
  return `"${neutralise(String(value)).replaceAll('"', '""')}"`;
}

export function importReportCsv(report: Pick<ImportReport, 'rejected' | 'totals'>, currency: string): string {
  const rows: (string | number)[][] = [HEADER];
  for (const r of report.rejected) rows.push([r.coordinate, r.row, r.column, r.rule, r.value, r.message]);
  for (const m of report.totals.mismatches) {
    const amount = (minor: bigint) => toDecimalString(minor, currency);
    const what = m.period ? `${m.label}, ${periodLabel(m.period)}` : m.label;
    rows.push([
      m.coordinate,
      m.row,
      m.coordinate.replace(/^.*!([A-Z]+)\d+$/, '$1'),
      m.withinRounding ? 'total-rounding' : 'total-mismatch',
      amount(m.found),
      `The total (${what}) is ${amount(m.found)} ${currency}; the ${m.kind === 'row' ? 'lines above' : "row's periods"} add up to ${amount(m.expected)} ${currency}${m.withinRounding ? ', a difference explained by rounding' : ''}.`,
    ]);
  }
  // A byte-order mark so Excel opens the UTF-8 file with its accents intact.
  return `\uFEFF${rows.map((row) => row.map(field).join(',')).join('\r\n')}\r\n`;
}
