/**
 * Goalpost's one money module: every amount is a bigint of minor units beside an ISO 4217 code,
 * parsed and formatted at the edges, never a JS number in between. The web app imports it as
 * `@goalpost/api/money`, so nothing here may import outside this folder (no server code, zod or
 * node: modules) or do anything on import; `boundary.test.ts` enforces that.
 *
 * - Currencies: currencyDigits, isCurrency, CURRENCY_CODES, maxMinor (the per-cell bound).
 * - Input from people: parseAmount, parsePercent, parseRate (locale-aware; junk gives a reason,
 *   empty gives `kind: 'empty'`). Typed decimals beyond the currency's are refused.
 * - Input from spreadsheets: fromDecimalString for the raw value on the clipboard, rounded half
 *   away from zero (extra decimals are expected there).
 * - Output: formatAmount (Intl, exact for any bigint), toDecimalString (plain "1234.50").
 * - Arithmetic: add, sum, negate, allocate (largest remainder, exact).
 * - Currencies meeting: convert and sumConverted at an owner-entered rate, rounded once.
 */
export { add, allocate, negate, sum } from './arithmetic.ts';
export { convert, sumConverted } from './convert.ts';
export { CURRENCY_CODES, type CurrencyCode, currencyDigits, isCurrency, maxMinor } from './currencies.ts';
export { fromDecimalString, toDecimalString } from './decimal.ts';
export { type CurrencyDisplay, formatAmount } from './format.ts';
export { parseAmount, parsePercent, parseRate, RATE_DECIMALS } from './parse.ts';
export type { Empty, Money, ParseResult, PercentResult, RateResult, Refused } from './results.ts';
