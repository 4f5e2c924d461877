/**
 * The REST API's OpenAPI document is generated from the procedures (their `meta.openapi` and zod
 * schemas), and a copy is committed for integrators and reviewers. This test is the contract
 * between the two: when a published procedure changes shape (a field added, renamed, retyped), the
 * generated document changes, and this fails until `npm run docs:openapi` writes the new one, so
 * the change shows in review. It also checks the document against the OpenAPI 3.1 schema with a
 * maintained validator, and that every operation carries its examples.
 */
import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { expect, test } from 'vitest';
import { openApiDocument } from './openapi.ts';
import { OPENAPI_FILE } from './write-openapi.ts';

const generated = JSON.parse(JSON.stringify(openApiDocument()));

test('the committed document is the one the procedures generate (npm run docs:openapi)', () => {
  const committed = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'));
  expect(generated).toEqual(committed);
});

test('the document is valid OpenAPI 3.1', async () => {
  const validator = new Validator();
  const result = await validator.validate(generated);
  expect({ valid: result.valid, errors: result.errors ?? null, version: validator.version }).toEqual({
    valid: true,
    errors: null,
    version: '3.1',
  });
});

test('every operation is protected and has a summary, a description and examples', () => {
  const gaps: string[] = [];
  // biome-ignore lint/suspicious/noExplicitAny: the document is plain JSON here
  for (const [path, operations] of Object.entries(generated.paths as Record<string, Record<string, any>>)) {
    for (const [method, op] of Object.entries(operations)) {
      const name = `${method.toUpperCase()} ${path}`;
      if (!op.summary || !op.description) gaps.push(`${name}: summary or description`);
      if (!op.security?.length) gaps.push(`${name}: not protected`);
      if (!op.responses['200'].content['application/json'].schema.examples) gaps.push(`${name}: answer example`);
      const body = op.requestBody?.content['application/json'].schema;
      if (body && !body.examples) gaps.push(`${name}: request example`);
      for (const p of op.parameters ?? [])
        if (p.in === 'path' && !p.schema.example) gaps.push(`${name}: ${p.name} example`);
    }
  }
  expect(gaps).toEqual([]);
  expect(Object.keys(generated.paths).sort()).toEqual([
    '/budgets',
    '/budgets/{budgetId}',
    '/budgets/{budgetId}/changes',
    '/forecasts',
    '/forecasts/{forecastId}',
    '/forecasts/{forecastId}/changes',
    '/goals',
    '/goals/{goalId}',
    '/imports',
    '/imports/{importId}',
    '/imports/{importId}/commit',
    '/imports/{importId}/report',
    '/notifications',
    '/notifications/read',
  ]);
});
