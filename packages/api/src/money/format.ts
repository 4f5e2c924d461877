/**
 * Amounts for people to read, through Intl.NumberFormat with the currency's ISO digits set
 * explicitly (CLDR would show IQD without its 3 decimals). The value reaches Intl as a decimal
 * string, which Intl formats exactly (ECMA-402 since 2023: Node 20+, Chrome 106+, Firefox 116+,
 * Safari 15.4+), so amounts beyond 2^53 minor units keep every digit.
 */
import { currencyDigits } from './currencies.ts';
import { toDecimalString } from './decimal.ts';

export type CurrencyDisplay = 'symbol' | 'code' | 'none';

/**
 * `$1,234.50` (symbol), `USD 1,234.50` (code) or `1,234.50` (none), in the locale's way. `none`
 * is the money format without its currency mark rather than the plain-number format, because a
 * few locales separate money differently (fr-CH 1'234.50 €, but 1'234,5 as a number) and a column
 * should read the same with or without the mark.
 */
export function formatAmount(
  minor: bigint,
  opts: { currency: string; locale: string; display?: CurrencyDisplay },
): string {
  const display = opts.display ?? 'symbol';
  const format = formatter(opts.currency, opts.locale, display === 'none' ? 'code' : display);
  const value = toDecimalString(minor, opts.currency) as Intl.StringNumericLiteral;
  if (display !== 'none') return format.format(value);
  const parts = format.formatToParts(value);
  const at = parts.findIndex((part) => part.type === 'currency');
  // The space (and direction mark) that separated the mark from the number goes with it.
  const spacing = (i: number) => parts[i]?.type === 'literal' && /^[\s\u200e\u200f\u061c]*$/u.test(parts[i].value);
  return parts
    .filter((_, i) => i !== at && !((i === at - 1 || i === at + 1) && spacing(i)))
    .map((part) => part.value)
    .join('');
}

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(currency: string, locale: string, currencyDisplay: 'symbol' | 'code'): Intl.NumberFormat {
  const key = `${locale}\u0000${currency}\u0000${currencyDisplay}`;
  let format = formatters.get(key);
  if (!format) {
    const digits = currencyDigits(currency);
    format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      currencyDisplay,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formatters.set(key, format);
  }
  return format;
}
