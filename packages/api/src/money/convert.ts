/**
 * Amounts in one currency expressed in another at a rate the budget's owner entered (no live FX
 * feed): `rate` is how many units of `to` one unit of `from` buys, as an exact decimal string
 * ("1.0845"). The product is exact rational arithmetic on bigints and is rounded once, half away
 * from zero, to `to`'s minor digits. A goal's total over budgets in several currencies goes
 * through sumConverted, which adds the exact products first and rounds once at the very end, so
 * the total does not drift by a unit per budget.
 */
import { currencyDigits } from './currencies.ts';
import { divideRoundingHalfAway, readDecimal } from './decimal.ts';
import type { Money } from './results.ts';

export function convert(minor: bigint, opts: { from: string; to: string; rate?: string }): bigint {
  const exact = exactConversion({ minor, currency: opts.from, rate: opts.rate }, opts.to);
  return divideRoundingHalfAway(exact.numerator, 10n ** BigInt(exact.scale));
}

/** The sum of amounts in several currencies, each at its own rate to `to`, rounded once. */
export function sumConverted(parts: Iterable<Money & { rate?: string }>, to: string): bigint {
  const terms = [...parts].map((part) => exactConversion(part, to));
  const scale = Math.max(0, ...terms.map((term) => term.scale));
  let numerator = 0n;
  for (const term of terms) numerator += term.numerator * 10n ** BigInt(scale - term.scale);
  return divideRoundingHalfAway(numerator, 10n ** BigInt(scale));
}

/**
 * minor(from) × rate × 10^digits(to) / 10^digits(from), as numerator / 10^scale in minor units of
 * `to`. Same currency needs no rate (and a rate other than 1 there is a bug, so it throws).
 */
function exactConversion(
  part: Money & { rate?: string | undefined },
  to: string,
): { numerator: bigint; scale: number } {
  if (typeof part.minor !== 'bigint') throw new TypeError(`Money is counted in bigint minor units; got ${part.minor}.`);
  const fromDigits = currencyDigits(part.currency);
  const toDigits = currencyDigits(to);
  const rate = part.rate === undefined ? null : readDecimal(part.rate, 'Exchange rate');
  if (part.currency === to && (rate === null || rate.coefficient === 10n ** BigInt(rate.scale))) {
    return { numerator: part.minor, scale: 0 };
  }
  if (part.currency === to) throw new RangeError(`A ${to} amount converts to ${to} at 1, not at ${part.rate}.`);
  if (rate === null) throw new RangeError(`Converting ${part.currency} to ${to} needs a rate.`);
  if (rate.coefficient <= 0n) throw new RangeError(`Exchange rate "${part.rate}" must be above zero.`);
  const scale = rate.scale + fromDigits - toDigits;
  return scale >= 0
    ? { numerator: part.minor * rate.coefficient, scale }
    : { numerator: part.minor * rate.coefficient * 10n ** BigInt(-scale), scale: 0 };
}
