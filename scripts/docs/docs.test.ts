// @vitest-environment happy-dom
/**
 * The design record must not drift from the code, and GitHub must be able to draw it. For README.md
 * and every Markdown file under docs/:
 *   - every relative link points at a file or folder that exists;
 *   - every repository path written as code (`packages/api/src/trpc.ts`) exists, except patterns
 *     with placeholders (`apps/jobs/src/queues/<name>.ts`) and build outputs (`apps/web/dist`);
 *   - every Mermaid block parses with Mermaid 11, the major version GitHub renders with.
 * Mermaid needs a DOM to load, hence happy-dom for this file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function markdownUnder(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(folder, name));
}

const files = ['README.md', ...markdownUnder('docs')].sort();
const read = (file: string) => readFileSync(join(root, file), 'utf8');

/** Text outside fenced code blocks, line by line, with each line's number. */
function proseLines(text: string): { line: string; n: number }[] {
  let fenced = false;
  return text.split('\n').flatMap((line, i) => {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      return [];
    }
    return fenced ? [] : [{ line, n: i + 1 }];
  });
}

const REPO_PATH = /`((?:apps|packages|docs|scripts|charts|docker|bench)\/[^`\s]+)`/g;

describe('the design record', () => {
  it('is found where the README says', () => {
    expect(files).toEqual(
      expect.arrayContaining(['docs/architecture.md', 'docs/data-model.md', 'docs/decisions/README.md']),
    );
    expect(read('README.md')).toContain('](docs/architecture.md)');
  });

  it('links only to files that exist, and names only paths that exist', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const file of files) {
      for (const { line, n } of proseLines(read(file))) {
        for (const [, target] of line.matchAll(/\]\(([^)\s]+)\)/g)) {
          if (!target || /^(https?:|mailto:|#)/.test(target)) continue;
          checked++;
          const path = resolve(root, dirname(file), decodeURI(target.split('#')[0] ?? ''));
          if (!existsSync(path)) missing.push(`${file}:${n} links to ${target} (${relative(root, path)})`);
        }
        for (const [, path] of line.matchAll(REPO_PATH)) {
          // Placeholders name a pattern; dist/ is what a build makes.
          if (!path || /[<>*{}]/.test(path) || /(^|\/)dist(\/|$)/.test(path)) continue;
          checked++;
          if (!existsSync(join(root, path))) missing.push(`${file}:${n} names ${path}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });

  it('draws every diagram: each Mermaid block parses', async () => {
    const { default: mermaid } = await import('mermaid');
    const failures: string[] = [];
    let diagrams = 0;
    for (const file of files) {
      for (const [, source] of read(file).matchAll(/```mermaid\n([\s\S]*?)```/g)) {
        diagrams++;
        try {
          await mermaid.parse(source ?? '');
        } catch (error) {
          failures.push(`${file}: ${(error as Error).message.split('\n').slice(0, 3).join(' ')}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(diagrams).toBeGreaterThanOrEqual(10);
  });
});
