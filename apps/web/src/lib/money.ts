/**
 * Money on screen: the one money module (`@goalpost/api/money`) with the reader's locale. Amounts
 * stay bigint minor units; only their text is made here.
 */
import { CURRENCY_CODES, formatAmount, parseAmount } from '@goalpost/api/money';

/** The reader's locale: it decides the decimal separator of what they type and read. */
export function userLocale(): string {
  return (typeof navigator !== 'undefined' && navigator.language) || 'en-GB';
}

export function money(minor: bigint | null | undefined, currency: string, fallback = '—'): string {
  if (minor === null || minor === undefined) return fallback;
  return formatAmount(minor, { currency, locale: userLocale() });
}

/** Typed text to minor units, or the reason it cannot be read. Empty text is `null`. */
export function readAmount(text: string, currency: string): { minor: bigint | null } | { problem: string } {
  const result = parseAmount(text, { currency, locale: userLocale() });
  if (!result.ok) return { problem: result.reason };
  return { minor: result.kind === 'empty' ? null : result.minor };
}

/** A ratio for drawing only (a bar's width), never for arithmetic on money. */
export function share(part: bigint, whole: bigint): number {
  if (whole <= 0n) return 0;
  return Number((part * 10_000n) / whole) / 10_000;
}

/**
 * ISO 4217's fund codes (units of account such as Chile's UF, the US next-day dollar): the API
 * accepts them, but nobody plans a budget in one, so the pickers leave them out.
 */
const FUND_CODES = new Set(['BOV', 'CHE', 'CHW', 'CLF', 'COU', 'MXV', 'USN', 'UYI', 'UYW']);

/** The currencies a goal, budget or import may count in, as select options: "EUR · Euro". */
export const CURRENCY_OPTIONS = (() => {
  const names = new Intl.DisplayNames(['en'], { type: 'currency', fallback: 'code' });
  return CURRENCY_CODES.filter((code) => !FUND_CODES.has(code)).map((code) => {
    const name = names.of(code);
    return { value: code, label: name && name !== code ? `${code} · ${name}` : code };
  });
})();
