/**
 * How the grid reads and shows amounts of one currency for this reader: the money module with the
 * reader's locale, and the source's separators for pasted text (Excel states only its separators,
 * so they are mapped to a locale that writes numbers that way).
 */
import { formatAmount, fromDecimalString, parseAmount } from '@goalpost/api/money';
import type { AmountReading, NumberLocale } from '@goalpost/ui';

const BY_SEPARATORS: Record<string, string> = {
  '.|,': 'en-US',
  ',|.': 'de-DE',
  ',| ': 'fr-FR',
  ".|'": 'de-CH',
  '.| ': 'en-ZA',
  ',|': 'de-DE',
  '.|': 'en-US',
};

function tagOf(locale: NumberLocale, fallback: string): string {
  return locale.tag ?? BY_SEPARATORS[`${locale.decimal}|${locale.group}`] ?? fallback;
}

export function gridAmounts(currency: string, userLocale: string) {
  const reading = (result: ReturnType<typeof parseAmount>): AmountReading => {
    if (!result.ok) return { error: result.reason };
    return result.kind === 'empty' ? { error: 'Empty' } : { minor: result.minor };
  };
  return {
    format: (minor: bigint) => formatAmount(minor, { currency, locale: userLocale, display: 'none' }),
    parseAmount: (text: string, locale: NumberLocale) =>
      reading(parseAmount(text, { currency, locale: tagOf(locale, userLocale) })),
    fromRaw: (decimal: string) => reading(fromDecimalString(decimal, currency)),
  };
}
