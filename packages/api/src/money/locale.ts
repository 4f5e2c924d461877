/**
 * How a locale writes numbers, learnt from Intl rather than from a table of our own, so every
 * locale the browser knows works: the decimal and group separators and the grouping (Indian
 * 12,34,567 or 1,234,567) from `formatToParts(1234567.8)`, the locale's digits (Arabic-Indic in
 * ar-EG), and the marks people use for a currency. Computed once per locale and kept.
 *
 * A few locales write money with other separators than plain numbers (CLDR: de-AT € 1.234,56 but
 * 1 234,56; fr-CH 1'234.56 € but 1'234,56; en-DE €1,234.56 but 1.234,56). Amounts are read by the
 * money convention, which is what formatAmount shows, and also accept the plain convention's
 * separator where it cannot be mistaken for the other kind (fr-CH takes both 1234.56 and 1234,56;
 * en-DE takes only its money form, because there "," and "." swap roles).
 */
import { currencyDigits } from './currencies.ts';

export interface NumberConvention {
  locale: string;
  /** Decimal separators, the locale's first; after normalise() (NBSP and NNBSP are ' ', ’ is '). */
  decimals: string[];
  /** Group separators besides spaces, which always group. */
  groups: string[];
  /** 12,34,567: groups of two before the last three (en-IN, hi-IN). */
  indianGrouping: boolean;
  /** How the locale writes one thousand two hundred and thirty-four and a bit, for reasons. */
  example: string;
  /** The locale's own digits mapped to 0-9 (empty when it uses 0-9). */
  digits: Map<string, string>;
}

const conventions = new Map<string, NumberConvention>();

/** The convention for amounts of money (`amount`) or for plain numbers (percentages, rates). */
export function numberConvention(locale: string, kind: 'amount' | 'number'): NumberConvention {
  const key = `${locale}\u0000${kind}`;
  const cached = conventions.get(key);
  if (cached) return cached;
  const nativeDigits = [...new Intl.NumberFormat(locale, { useGrouping: false }).format(9876543210)];
  const digits = new Map<string, string>();
  nativeDigits.forEach((digit, i) => {
    if (!/[0-9]/.test(digit)) digits.set(digit, String(9 - i));
  });
  const money = separators(new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }));
  const plain = separators(new Intl.NumberFormat(locale));
  const [first, second] = kind === 'amount' ? [money, plain] : [plain, money];
  const decimals = [first.decimal];
  if (second.decimal !== first.decimal && second.decimal !== first.group) decimals.push(second.decimal);
  const groups = [first.group];
  if (second.group !== first.group && second.group !== first.decimal && second.group !== ' ') groups.push(second.group);
  const convention: NumberConvention = {
    locale,
    decimals,
    groups,
    // Indian and western grouping cannot be mistaken for each other, so either is read.
    indianGrouping: first.indianGrouping || second.indianGrouping,
    example: `1${first.group}234${first.decimal}56`,
    digits,
  };
  conventions.set(key, convention);
  return convention;
}

function separators(format: Intl.NumberFormat) {
  const parts = format.formatToParts(1234567.8);
  const integers = parts.filter((part) => part.type === 'integer');
  return {
    decimal: normalise(parts.find((part) => part.type === 'decimal')?.value ?? '.'),
    group: normalise(parts.find((part) => part.type === 'group')?.value ?? ','),
    indianGrouping: integers.length > 2 && integers[1]?.value.length === 2,
  };
}

/**
 * One spelling for the many characters people and spreadsheets use for the same thing: every
 * kind of space (NBSP and NNBSP are fr-FR's group separators) becomes ' ', every minus and dash
 * '-', the right single quote (de-CH groups) "'", full-width forms (typed with a Japanese IME) their
 * ASCII letters, and the locale's digits 0-9. Direction marks that Intl and Excel put around
 * numbers in right-to-left locales carry no meaning here and go.
 */
export function normalise(text: string, digits?: Map<string, string>): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const digit = digits?.get(char);
    if (digit !== undefined) out += digit;
    else if (IGNORED.has(code)) continue;
    else if (SPACES.has(code)) out += ' ';
    else if (MINUS_SIGNS.has(code)) out += '-';
    else if (APOSTROPHES.has(code)) out += "'";
    else if (code >= 0xff01 && code <= 0xff5e) out += String.fromCodePoint(code - 0xfee0);
    else out += FULL_WIDTH_SIGNS[char] ?? char;
  }
  return out;
}

const IGNORED = new Set([
  0x00ad, 0x061c, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067,
  0x2068, 0x2069, 0xfeff,
]);
const SPACES = new Set([
  0x09, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x202f,
  0x205f, 0x3000,
]);
const MINUS_SIGNS = new Set([0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2212, 0xfe58, 0xfe63]);
const APOSTROPHES = new Set([0x2018, 0x2019, 0x02bc, 0x2032]);
const FULL_WIDTH_SIGNS: Record<string, string> = { '￥': '¥', '￡': '£', '￠': '¢', '￦': '₩', '٪': '%' };

/**
 * The marks that say "this amount is in `currency`" in this locale or in English: symbol, narrow
 * symbol and code (for USD in de-DE: `$` and `USD`; for CHF in de-CH: `CHF`), plus the characters
 * East Asian writers put after the number. Upper-cased, longest first, so `US$` wins over `$`.
 */
export function currencyMarks(locale: string, currency: string): readonly string[] {
  const key = `${locale}\u0000${currency}`;
  const cached = marksCache.get(key);
  if (cached) return cached;
  currencyDigits(currency);
  const marks = new Set<string>([currency, ...(LOCAL_NAMES[currency] ?? [])]);
  for (const where of [locale, 'en']) {
    for (const currencyDisplay of ['symbol', 'narrowSymbol', 'code'] as const) {
      const parts = new Intl.NumberFormat(where, { style: 'currency', currency, currencyDisplay }).formatToParts(1);
      const mark = parts.find((part) => part.type === 'currency')?.value;
      if (mark) marks.add(normalise(mark).toUpperCase());
    }
  }
  const sorted = [...marks].sort((a, b) => b.length - a.length);
  marksCache.set(key, sorted);
  return sorted;
}

const marksCache = new Map<string, readonly string[]>();
const LOCAL_NAMES: Record<string, string[]> = { JPY: ['円'], CNY: ['元'], KRW: ['원'] };
