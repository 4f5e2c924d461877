/**
 * docs/data-model.md carries the ERD and the tables of indexes and checks, generated from the
 * entities by `npm run docs:erd`. This test regenerates them in memory (from the metadata, no
 * database) and fails when the committed document differs, so a changed entity cannot leave the
 * design record behind. It also holds the prose to the schema: every index or check the document
 * names in backticks must exist.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { DATA_MODEL_PATH, ERD_END, ERD_START, renderErd, spliceErd, targetSchema } from './erd.ts';

const { schema, close } = targetSchema();
afterAll(close);

describe('docs/data-model.md', () => {
  it('holds the ERD, indexes and checks generated from the entities (run `npm run docs:erd` after changing them)', async () => {
    const document = await readFile(DATA_MODEL_PATH, 'utf8');
    const generated = renderErd(schema);
    const committed = document.slice(document.indexOf(ERD_START), document.indexOf(ERD_END) + ERD_END.length);
    expect(committed).toBe(generated);
    expect(spliceErd(document, generated)).toBe(document);
  });

  it('draws every table, and names only indexes and checks that exist', async () => {
    const document = await readFile(DATA_MODEL_PATH, 'utf8');
    const tables = schema.getTables();
    const known = new Set(
      tables.flatMap((t) => [...t.getIndexes().map((i) => i.keyName), ...t.getChecks().map((c) => c.name)]),
    );
    const named = [
      ...document.matchAll(/`([a-z][a-z0-9_]*_(?:idx|unique|check|not_self|one_subject|order|positive|nonnegative))`/g),
    ].map((m) => m[1] ?? '');
    expect({
      unknown: [...new Set(named)].filter((name) => !known.has(name)),
      undrawn: tables.map((t) => t.name).filter((name) => !document.includes(`  ${name} {`)),
      unplaced: document.includes('### Not yet placed'),
    }).toEqual({ unknown: [], undrawn: [], unplaced: false });
    expect(named.length).toBeGreaterThan(20);
  });
});
