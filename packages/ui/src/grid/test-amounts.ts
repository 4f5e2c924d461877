/**
 * A stand-in for the money module in the grid's tests and browser fixture: amounts with two
 * decimals, read in a locale's separators, with the forms spreadsheets show (`(250.00)`,
 * `-1.200,00 €`, `$1,234.56 `). Not exported from the package; the page passes the real money
 * module's functions to the grid.
 */
import type { AmountReading } from './cell-entry.ts';
import { type NumberLocale, numberLocale } from './number-formats.ts';

const CURRENCY = /[$€£¥]|\b[A-Z]{3}\b/gu;

export function parseTwoDecimals(text: string, locale: NumberLocale): AmountReading {
  let s = text.trim().replace(CURRENCY, '').trim();
  let negative = false;
  if (/^\(.*\)$/.test(s)) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  if (/^[-−]/.test(s)) {
    negative = !negative;
    s = s.slice(1).trim();
  } else if (/[-−]$/.test(s)) {
    negative = !negative;
    s = s.slice(0, -1).trim();
  }
  s = s.replace(CURRENCY, '').trim();
  if (locale.group === ' ') s = s.replace(/[\s\u00a0\u202f]/gu, '');
  else if (locale.group) s = s.split(locale.group).join('');
  if (locale.decimal !== '.') s = s.replace(locale.decimal, '.');
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!match) return { error: `“${text.trim()}” is not an amount.` };
  const minor = BigInt(match[1]!) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
  return { minor: negative ? -minor : minor };
}

/** Rounds half away from zero to two decimals, in decimal arithmetic. */
export function fromRawTwoDecimals(decimal: string): AmountReading {
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(decimal);
  if (!match) return { error: `“${decimal}” is not a number.` };
  const fraction = (match[3] ?? '').padEnd(3, '0');
  let minor = BigInt(match[2]!) * 100n + BigInt(fraction.slice(0, 2));
  if (Number(fraction[2]) >= 5) minor += 1n;
  return { minor: match[1] === '-' && minor !== 0n ? -minor : minor };
}

const formats = new Map<string, { whole: Intl.NumberFormat; decimal: string }>();

export function formatTwoDecimals(minor: bigint, locale: string): string {
  let format = formats.get(locale);
  if (!format) {
    format = { whole: new Intl.NumberFormat(locale), decimal: numberLocale(locale).decimal };
    formats.set(locale, format);
  }
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  return `${negative ? '-' : ''}${format.whole.format(abs / 100n)}${format.decimal}${String(abs % 100n).padStart(2, '0')}`;
}
