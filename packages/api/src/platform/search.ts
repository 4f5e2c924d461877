/** A LIKE/ILIKE pattern matching `term` anywhere, with the pattern's own wildcards escaped. */
export function containing(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
