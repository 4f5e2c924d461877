/**
 * PostgreSQL cannot store the NUL character (U+0000) in text or JSON columns: a value holding one
 * fails deep in a query. Inputs are checked for it before any procedure reads them.
 */

/** Where the first NUL is in a parsed JSON input, as a message naming the field, or null. */
export function nulProblem(input: unknown): string | null {
  // Iterative, so a deeply nested input cannot exhaust the stack.
  const pending: { value: unknown; path: (string | number)[] }[] = [{ value: input, path: [] }];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const { value, path } = item;
    if (typeof value === 'string') {
      const index = value.indexOf('\u0000');
      if (index >= 0) return describe(path, value, index);
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) pending.push({ value: value[i], path: [...path, i] });
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value).reverse()) pending.push({ value: child, path: [...path, key] });
    }
  }
  return null;
}

function describe(path: (string | number)[], text: string, index: number): string {
  const field = path.length ? `${path.join('.')}: ` : '';
  const advice = 'Remove the invisible NUL character (\\u0000) from this text';
  if (!text.includes('\n')) return `${field}${advice}.`;
  // Multi-line text (a CSV file): say where, as an editor counts lines and columns.
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  const column = index - before.lastIndexOf('\n');
  return `${field}${advice}: line ${line}, column ${column}.`;
}
