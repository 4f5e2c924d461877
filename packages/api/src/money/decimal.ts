/**
 * Decimal strings in and out of minor units. Spreadsheets put the cell's raw value on the
 * clipboard (Excel `x:num="1234.5678"` or `1.5E-3`, Google Sheets `data-sheets-value`, LibreOffice
 * `sdval="145250,5"` in de-DE); it is rounded here to the currency's minor unit, half away from
 * zero as Excel's ROUND does, by integer arithmetic on the digits. A JS number never carries the
 * value: `Math.round(1.005 * 100)` is 100, not 101.
 */
import { currencyDigits, maxMinor } from './currencies.ts';
import type { Empty, ParseResult, Refused } from './results.ts';

/** `1234.50` for 123450n USD, `-5` for -5n JPY, `0.007` for 7n KWD: plain, no grouping. */
export function toDecimalString(minor: bigint, currency: string): string {
  const digits = currencyDigits(currency);
  const sign = minor < 0n ? '-' : '';
  const abs = (minor < 0n ? -minor : minor).toString().padStart(digits + 1, '0');
  if (digits === 0) return sign + abs;
  return `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
}

/** numerator / denominator rounded half away from zero (denominator > 0). */
export function divideRoundingHalfAway(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  let quotient = abs / denominator;
  if ((abs % denominator) * 2n >= denominator) quotient += 1n;
  return negative ? -quotient : quotient;
}

/** Spreadsheet raw values: an optional sign, digits, one decimal separator, an optional exponent. */
const RAW_NUMBER = {
  '.': /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/,
  ',': /^([+-]?)(\d*)(?:,(\d*))?(?:[eE]([+-]?\d+))?$/,
} as const;

/**
 * A raw decimal value from the clipboard, rounded once, half away from zero, to the currency's
 * minor digits. Unlike typed text (see parseAmount) extra decimals are expected here (a cell
 * showing 1,234.57 holds 1234.5678), so they are rounded, not refused. An empty value is reported
 * as empty so the caller can fall back to the displayed text or clear the cell.
 */
export function fromDecimalString(
  raw: string,
  currency: string,
  opts: { decimalSeparator?: '.' | ',' } = {},
): ParseResult | Empty {
  const separator = opts.decimalSeparator ?? '.';
  const digits = currencyDigits(currency);
  const text = raw.trim();
  if (text === '') return { ok: true, kind: 'empty' };
  const match = RAW_NUMBER[separator].exec(text);
  const [, sign = '', whole = '', fraction = '', exponentText = '0'] = match ?? [];
  if (!match || whole + fraction === '') {
    const other = separator === '.' ? ',' : '.';
    const hint =
      text.includes(other) && !text.includes(separator) ? ` (its decimal separator should be "${separator}")` : '';
    return refuse(`"${raw}" is not a decimal number${hint}.`);
  }
  const coefficient = BigInt(whole + fraction);
  if (coefficient === 0n) return { ok: true, kind: 'amount', minor: 0n };
  // value = coefficient × 10^-scale. Exponents beyond any amount are settled before 10n ** scale
  // could take a long time: more than 18 integer digits is too large, anything below a tenth of
  // the minor unit rounds to zero.
  const exponent = exponentText.replace(/^[+-]/, '').replace(/^0+/, '').length > 6 ? null : Number(exponentText);
  const significant = coefficient.toString().length;
  if (exponent === null) {
    return exponentText.startsWith('-') ? { ok: true, kind: 'amount', minor: 0n } : tooLarge(raw, currency);
  }
  const scale = fraction.length - exponent;
  if (significant - scale > 18) return tooLarge(raw, currency);
  const shift = digits - scale;
  let minor: bigint;
  if (shift >= 0) minor = coefficient * 10n ** BigInt(shift);
  else if (-shift > significant + 1) minor = 0n;
  else minor = divideRoundingHalfAway(coefficient, 10n ** BigInt(-shift));
  if (minor > maxMinor(currency)) return tooLarge(raw, currency);
  return { ok: true, kind: 'amount', minor: sign === '-' ? -minor : minor };
}

function refuse(reason: string): Refused {
  return { ok: false, reason };
}

/** The one wording for amounts over maxMinor, shared with typed input. */
export function tooLarge(text: string, currency: string): Refused {
  const limit = (maxMinor(currency) + 1n) / 10n ** BigInt(currencyDigits(currency));
  return refuse(`"${text}" is too large: amounts must stay below ${groupThousands(limit)} ${currency}.`);
}

function groupThousands(value: bigint): string {
  return value.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * An exact decimal (a rate or a fraction) as coefficient × 10^-scale. Only the canonical form
 * databases and JSON carry (`1.0845`, `0.125`, `12`): these come from storage, not from people, so
 * anything else is a programming error and throws.
 */
export function readDecimal(text: string, what: string): { coefficient: bigint; scale: number } {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`${what} "${text}" must be a plain decimal such as "1.0845".`);
  const [, sign, whole = '', fraction = ''] = match;
  const coefficient = BigInt(whole + fraction);
  return { coefficient: sign === '-' ? -coefficient : coefficient, scale: fraction.length };
}
