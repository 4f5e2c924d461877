/**
 * zod schemas for the values whose REST form differs from their tRPC form (rest/wire.ts): money
 * and timestamps. In code they are bigint and Date; in the OpenAPI document, and on /api/v1, they
 * are strings. Output schemas of published procedures use these, so tRPC still checks a bigint and
 * the document still describes the string a REST caller receives.
 */
import { z } from 'zod';

const DIGITS = '^-?[0-9]{1,19}$';

/** Replaces whatever zod-openapi rendered with `schema` (a naive merge would keep anyOf/format). */
function renderAs(schema: Record<string, unknown>) {
  return ({ jsonSchema }: { jsonSchema: Record<string, unknown> }) => {
    // What the schema's own meta and defaults said stays.
    const kept = Object.fromEntries(
      ['description', 'example', 'examples', 'default'].filter((k) => k in jsonSchema).map((k) => [k, jsonSchema[k]]),
    );
    for (const key of Object.keys(jsonSchema)) delete jsonSchema[key];
    Object.assign(jsonSchema, schema, kept);
  };
}

/** An amount in minor units (cents for EUR), in answers: a bigint in code, a string of digits over REST. */
export const minorUnits = z.bigint().meta({
  override: renderAs({ type: 'string', pattern: DIGITS }),
  description:
    'Integer minor units of the currency beside it, as a string of digits (exact): "125000" is 1,250.00 EUR.',
  example: '125000',
});

/**
 * An amount in minor units in a request: a bigint from the web app (superjson), or over REST a
 * string of digits, optionally negative ("-2500"). Anything else names the rule.
 */
export function minorUnitsInput(max: bigint, tooLarge: string) {
  return z
    .union(
      [
        z.bigint(),
        z
          .string()
          .regex(/^-?\d{1,19}$/)
          .transform((s) => BigInt(s)),
      ],
      {
        error: 'Send amounts as a string of integer minor units, like "125000" for 1,250.00.',
      },
    )
    .refine((v) => (v < 0n ? -v : v) <= max, tooLarge)
    .meta({
      override: renderAs({ type: 'string', pattern: DIGITS }),
      description: 'Integer minor units of the currency, as a string of digits: "125000" is 1,250.00 EUR.',
      example: '125000',
    });
}

/**
 * A yes/no input: a boolean from the web app, or over REST the query string's "true" or "false"
 * (the REST adapter would otherwise coerce any non-empty string, "false" too, to true).
 */
export const flag = z
  .preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean())
  .meta({ override: renderAs({ type: 'boolean' }) });

/** A moment in time: a Date in code, an ISO 8601 string in UTC over REST. */
export const timestamp = z.date().meta({ override: renderAs({ type: 'string', format: 'date-time' }) });
