/**
 * The column mapping as the review step edits it: one role per sheet column (category,
 * description, notes, a period, a total, or ignored), made from the mapping the server proposed
 * and turned back into the correction `imports.remap` takes. The server checks the correction by
 * the same rules as its own proposal; the checks here only catch what a person can fix at once.
 */
import type { ColumnMapping, MappingOverride } from '@goalpost/api/imports';

export type ColumnRole = 'category' | 'description' | 'notes' | 'period' | 'total' | 'ignore';

export const ROLE_LABELS: Record<ColumnRole, string> = {
  category: 'Category',
  description: 'Description',
  notes: 'Notes',
  period: 'Period',
  total: 'Total (checked, not imported)',
  ignore: 'Ignore',
};

export interface ColumnChoice {
  col: number;
  /** The header as the sheet shows it, when there is one. */
  label: string;
  role: ColumnRole;
  /** For a period column: its first day (`2027-01-01`). */
  period: string | null;
}

/** `D` for 4, `AA` for 27: how a spreadsheet names its columns. */
export function columnLetter(col: number): string {
  let letters = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/**
 * Every column the mapping names, and every other labelled column of the header row, left to
 * right, with its role and its header as the file shows it (`headers`, from the parse).
 */
export function choicesFrom(
  mapping: ColumnMapping,
  headerRow: readonly { col: number; label: string }[] = [],
): ColumnChoice[] {
  const headers = new Map(headerRow.map((h) => [h.col, h.label]));
  const byCol = new Map<number, ColumnChoice>();
  const put = (col: number, role: ColumnRole, label: string | undefined, period: string | null = null) => {
    byCol.set(col, { col, role, label: label ?? headers.get(col) ?? '', period });
  };
  for (const i of mapping.ignored) put(i.col, 'ignore', i.label);
  for (const t of mapping.totalColumns) put(t.col, 'total', t.label);
  for (const p of mapping.periods) put(p.col, 'period', p.label, p.period);
  if (mapping.notes) put(mapping.notes, 'notes', undefined);
  if (mapping.description) put(mapping.description, 'description', undefined);
  put(mapping.category, 'category', undefined);
  for (const [col, label] of headers) if (!byCol.has(col)) put(col, 'ignore', label);
  return [...byCol.values()].sort((a, b) => a.col - b.col);
}

/** A problem with the choices, in words, or null when they can be sent. */
export function choicesProblem(choices: readonly ColumnChoice[]): string | null {
  const named = (role: ColumnRole) => choices.filter((c) => c.role === role);
  const categories = named('category');
  if (categories.length === 0) return 'Choose the column that holds each line’s category.';
  if (categories.length > 1) {
    return `Only one column can be the category; columns ${categories.map((c) => columnLetter(c.col)).join(' and ')} both are.`;
  }
  for (const role of ['description', 'notes'] as const) {
    const found = named(role);
    if (found.length > 1) {
      return `Only one column can be the ${role}; columns ${found.map((c) => columnLetter(c.col)).join(' and ')} all are.`;
    }
  }
  const periods = named('period');
  if (periods.length === 0) return 'Choose at least one column that holds a period’s amounts.';
  const missing = periods.find((c) => !c.period);
  if (missing) return `Choose the period column ${columnLetter(missing.col)} holds.`;
  const seen = new Map<string, number>();
  for (const c of periods) {
    const other = seen.get(c.period ?? '');
    if (other !== undefined) {
      return `Columns ${columnLetter(other)} and ${columnLetter(c.col)} are both given the same period; each period can come from one column only.`;
    }
    seen.set(c.period ?? '', c.col);
  }
  return null;
}

/** The correction to send; call only when `choicesProblem` is null. */
export function overrideFrom(choices: readonly ColumnChoice[]): MappingOverride {
  const one = (role: ColumnRole) => choices.find((c) => c.role === role)?.col ?? null;
  return {
    category: one('category') ?? 0,
    description: one('description'),
    notes: one('notes'),
    periods: choices.filter((c) => c.role === 'period').map((c) => ({ col: c.col, period: c.period ?? '' })),
    totalColumns: choices.filter((c) => c.role === 'total').map((c) => ({ col: c.col })),
  };
}

/** Whether the person changed anything, so the re-read button can say there is nothing to re-read. */
export function sameChoices(a: readonly ColumnChoice[], b: readonly ColumnChoice[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (c, i) => c.col === b[i]?.col && c.role === b[i]?.role && (c.role !== 'period' || c.period === b[i]?.period),
    )
  );
}
