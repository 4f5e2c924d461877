/** CSV files the admin pages hand out: the problems of a bulk check, the users list, invite links. */

/**
 * Quotes a cell per RFC 4180, and defuses spreadsheet formulas: a cell that starts with = + - @
 * (or a tab/carriage return) gets a leading apostrophe so opening the file runs nothing.
 */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A header line and one line per row, CRLF as spreadsheets expect. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return `${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export interface ReportRow {
  line: number;
  email: string;
  name: string;
  field: string;
  value: string;
  message: string;
}

/** The problems report: whose row each problem is, beside line, field and value. */
export function buildErrorReportCsv(rows: readonly ReportRow[]): string {
  return toCsv(
    ['line', 'email', 'name', 'field', 'value', 'problem'],
    rows.map((r) => [r.line, r.email, r.name, r.field, r.value, r.message]),
  );
}

/** "staff.csv" → "staff-problems.csv". */
export function reportFileName(uploaded: string, suffix = 'problems'): string {
  const base = uploaded.replace(/\.[^.]*$/, '') || 'import';
  return `${base}-${suffix}.csv`;
}

/** Offers text as a file download. */
export function downloadText(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob(['\ufeff', text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
