/**
 * Exact money at scale: 10,000 cells as people paste them (grouped or not, parentheses, trailing
 * minus, currency marks, in six locales) with mixed signs and currencies of 0, 2, 3 and 3 decimals
 * (JPY, USD, KWD, BHD), up to a trillion units each. The amounts are generated as decimal strings
 * from a seeded generator, never as floats, and the expected totals come from a different method:
 * schoolbook addition of those strings, positives and negatives summed apart and then subtracted.
 * A float sum of the same cells is computed beside it to show the test would catch float money.
 * Then the goal's total across the four currencies is converted at owner rates, rounded once, and
 * checked against an independent rational computation.
 */
import { expect, it } from 'vitest';
import { currencyDigits, parseAmount, sum, sumConverted, toDecimalString } from './index.ts';

/** mulberry32: a small seeded generator, so every run sees the same 10,000 cells. */
function seeded(seed: number) {
  let state = seed >>> 0;
  return (below: number) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % below) as number;
  };
}

/** Unsigned decimal strings with the same number of decimals, added and subtracted digit by digit. */
function addDecimals(a: string, b: string): string {
  const [x, y] = align(a, b);
  let out = '';
  let carry = 0;
  for (let i = x.length - 1; i >= 0; i--) {
    if (x[i] === '.') {
      out = `.${out}`;
      continue;
    }
    const digit = Number(x[i]) + Number(y[i]) + carry;
    out = String(digit % 10) + out;
    carry = digit >= 10 ? 1 : 0;
  }
  return carry ? `1${out}` : out;
}

/** a − b for unsigned a ≥ b. */
function subtractDecimals(a: string, b: string): string {
  const [x, y] = align(a, b);
  let out = '';
  let borrow = 0;
  for (let i = x.length - 1; i >= 0; i--) {
    if (x[i] === '.') {
      out = `.${out}`;
      continue;
    }
    let digit = Number(x[i]) - Number(y[i]) - borrow;
    borrow = digit < 0 ? 1 : 0;
    if (digit < 0) digit += 10;
    out = String(digit) + out;
  }
  return out.replace(/^0+(?=\d)/, '');
}

function align(a: string, b: string): [string, string] {
  const width = Math.max(a.length, b.length);
  return [a.padStart(width, '0'), b.padStart(width, '0')];
}

function compareDecimals(a: string, b: string): number {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Signed total of signed decimal strings: positives and negatives summed apart. */
function schoolbookTotal(values: string[], digits: number): string {
  const zero = digits === 0 ? '0' : `0.${'0'.repeat(digits)}`;
  let positive = zero;
  let negative = zero;
  for (const value of values) {
    if (value.startsWith('-')) negative = addDecimals(negative, value.slice(1));
    else positive = addDecimals(positive, value);
  }
  return compareDecimals(positive, negative) >= 0
    ? subtractDecimals(positive, negative)
    : `-${subtractDecimals(negative, positive)}`;
}

const LOCALES = {
  'en-US': { group: ',', decimal: '.' },
  'de-DE': { group: '.', decimal: ',' },
  'fr-FR': { group: '\u202f', decimal: ',' },
  'de-CH': { group: "'", decimal: '.' },
  'en-IN': { group: ',', decimal: '.' },
  'ja-JP': { group: ',', decimal: '.' },
} as const;
const CURRENCIES = ['JPY', 'USD', 'KWD', 'BHD'] as const;
/** Owner-entered rates to the goal's currency, EUR. */
const RATES = { JPY: '0.0061', USD: '0.9221', KWD: '2.9873', BHD: '2.4411' } as const;

/** A cell as a person would paste it: the locale's separators, grouped or not, one sign style. */
function cellText(value: string, locale: keyof typeof LOCALES, currency: string, style: number): string {
  const { group, decimal } = LOCALES[locale];
  const negative = value.startsWith('-');
  const [whole = '', fraction] = value.replace('-', '').split('.');
  const grouped = style % 2 === 0 ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, group) : whole;
  const number = fraction === undefined ? grouped : `${grouped}${decimal}${fraction}`;
  const marked = style % 3 === 0 ? `${number} ${currency}` : number;
  if (!negative) return marked;
  return [`-${marked}`, `(${marked})`, `${marked}-`][style % 3]!;
}

it('sums 10,000 pasted cells in four currencies exactly and converts the total once', () => {
  const next = seeded(20261126);
  const locales = Object.keys(LOCALES) as (keyof typeof LOCALES)[];
  const cells = Array.from({ length: 10_000 }, () => {
    const currency = CURRENCIES[next(CURRENCIES.length)]!;
    const digits = currencyDigits(currency);
    const wholeDigits = 1 + next(13);
    const whole = String(next(9) + 1) + Array.from({ length: wholeDigits - 1 }, () => next(10)).join('');
    const fraction = Array.from({ length: digits }, () => next(10)).join('');
    const value = `${next(2) ? '-' : ''}${whole}${digits ? `.${fraction}` : ''}`;
    const locale = locales[next(locales.length)]!;
    return { currency, value, locale, text: cellText(value, locale, currency, next(6)) };
  });

  const refused: string[] = [];
  const parsed = cells.map((cell) => {
    const result = parseAmount(cell.text, { currency: cell.currency, locale: cell.locale });
    if (!result.ok || result.kind !== 'amount') refused.push(`${cell.locale} ${cell.text}`);
    return { ...cell, minor: result.ok && result.kind === 'amount' ? result.minor : 0n };
  });
  const byCurrency = (currency: string) => parsed.filter((cell) => cell.currency === currency);

  const totals = Object.fromEntries(
    CURRENCIES.map((currency) => [currency, toDecimalString(sum(byCurrency(currency).map((c) => c.minor)), currency)]),
  );
  const expected = Object.fromEntries(
    CURRENCIES.map((currency) => [
      currency,
      schoolbookTotal(
        byCurrency(currency).map((cell) => cell.value),
        currencyDigits(currency),
      ),
    ]),
  );
  const floatTotals = Object.fromEntries(
    CURRENCIES.map((currency) => {
      const floatSum = byCurrency(currency).reduce((total, cell) => total + Number.parseFloat(cell.value), 0);
      return [currency, floatSum.toFixed(currencyDigits(currency))];
    }),
  );

  // The goal's total in EUR, rounded once. Independently: per currency, the exact subtotal times
  // the rate as a fraction over 10^(rate decimals + currency digits), summed over the product of
  // the denominators, then rounded half away from zero by hand.
  const goalTotal = sumConverted(
    parsed.map((cell) => ({ minor: cell.minor, currency: cell.currency, rate: RATES[cell.currency] })),
    'EUR',
  );
  let numerator = 0n;
  let denominator = 1n;
  for (const currency of CURRENCIES) {
    const subtotal = sum(byCurrency(currency).map((cell) => cell.minor));
    const [whole = '', fraction = ''] = RATES[currency].split('.');
    const partDenominator = 10n ** BigInt(fraction.length + currencyDigits(currency));
    numerator = numerator * partDenominator + subtotal * BigInt(whole + fraction) * 100n * denominator;
    denominator *= partDenominator;
  }
  const magnitude = numerator < 0n ? -numerator : numerator;
  const rounded = (magnitude * 2n + denominator) / (denominator * 2n);
  const independentGoalTotal = numerator < 0n ? -rounded : rounded;
  const roundedPerCell = parsed.reduce(
    (total, cell) =>
      total + sumConverted([{ minor: cell.minor, currency: cell.currency, rate: RATES[cell.currency] }], 'EUR'),
    0n,
  );

  expect({
    cells: parsed.length,
    refused,
    totals,
    goalTotal,
    floatAgrees: CURRENCIES.every((currency) => floatTotals[currency] === expected[currency]),
    perCellRoundingAgrees: roundedPerCell === goalTotal,
  }).toEqual({
    cells: 10_000,
    refused: [],
    totals: expected,
    goalTotal: independentGoalTotal,
    floatAgrees: false,
    perCellRoundingAgrees: false,
  });
});
