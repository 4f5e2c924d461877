/**
 * The web app imports this folder as `@goalpost/api/money`, so the browser bundle gets whatever
 * it imports. One import of server code, zod or a node: module would drag the server into the
 * bundle or break it. This test reads every import of every module file (static, type-only,
 * re-exports and dynamic imports, as TypeScript's own pre-processor sees them) and allows only
 * sibling files. It also checks that importing does nothing: a fresh Node process without Intl
 * can import the module (Intl is used lazily, on first call), and the subpath export resolves.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { expect, it } from 'vitest';

const folder = dirname(fileURLToPath(import.meta.url));
const moduleFiles = readdirSync(folder).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));

it('imports nothing outside packages/api/src/money', () => {
  const imports = Object.fromEntries(
    moduleFiles.map((name) => {
      const source = readFileSync(join(folder, name), 'utf8');
      const specifiers = ts.preProcessFile(source, true, true).importedFiles.map((file) => file.fileName);
      return [name, specifiers];
    }),
  );
  const outside = Object.entries(imports).flatMap(([name, specifiers]) =>
    specifiers.filter((specifier) => !/^\.\/[\w.-]+\.ts$/.test(specifier)).map((specifier) => `${name}: ${specifier}`),
  );
  const missing = Object.entries(imports).flatMap(([name, specifiers]) =>
    specifiers.filter((specifier) => !moduleFiles.includes(specifier.slice(2))).map((s) => `${name}: ${s}`),
  );
  expect({ files: moduleFiles.length > 0, outside, missing }).toEqual({ files: true, outside: [], missing: [] });
});

it('does nothing on import and is reachable as @goalpost/api/money', async () => {
  const index = pathToFileURL(join(folder, 'index.ts')).href;
  const script = `delete globalThis.Intl; const money = await import(${JSON.stringify(index)}); console.log(Object.keys(money).sort().join(','));`;
  const fresh = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  const viaExport = await import('@goalpost/api/money');
  const direct = await import('./index.ts');
  const packageJson = JSON.parse(readFileSync(join(folder, '../../package.json'), 'utf8'));
  expect({
    status: fresh.status,
    stderr: fresh.stderr,
    exports: fresh.stdout.trim(),
    subpath: packageJson.exports['./money'],
    sameModule: viaExport.parseAmount === direct.parseAmount,
  }).toEqual({
    status: 0,
    stderr: '',
    exports: Object.keys(direct).sort().join(','),
    subpath: './src/money/index.ts',
    sameModule: true,
  });
});
