/** CSV text for the problems report an admin downloads after a failed bulk import check. */
export interface ReportRow {
  line: number;
  field: string;
  value: string;
  message: string;
}

/**
 * Quotes a cell per RFC 4180, and defuses spreadsheet formulas: a cell that starts with = + - @
 * (or a tab/carriage return) gets a leading apostrophe so opening the report runs nothing.
 */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

export function buildErrorReportCsv(rows: readonly ReportRow[]): string {
  const lines = [['line', 'field', 'value', 'problem'].join(',')];
  for (const r of rows) lines.push([csvCell(r.line), csvCell(r.field), csvCell(r.value), csvCell(r.message)].join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** "staff.csv" → "staff-problems.csv". */
export function reportFileName(uploaded: string): string {
  const base = uploaded.replace(/\.[^.]*$/, '') || 'import';
  return `${base}-problems.csv`;
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
