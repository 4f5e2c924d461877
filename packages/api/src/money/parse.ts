/**
 * Reading what people type or paste into an amount, percentage or rate field. The locale decides
 * the separators, for the whole sheet: `1,234` is one thousand two hundred and thirty-four in
 * en-US and 1.234 in de-DE (too many decimals for EUR, so refused), never guessed cell by cell.
 *
 * Accepted around the number: a currency mark of the field's currency before or after (symbol,
 * narrow symbol or ISO code, with or without a space), one sign (leading `-`/`+`, trailing `-` as
 * in `1234-`, or accounting parentheses), spaces of any kind, and in the number the locale's group
 * separator or spaces as thousands groups (Indian groups in en-IN). A lone dash is zero, as
 * Excel's accounting format shows it.
 *
 * Refused with a reason: text (`n/a`, `TBD`, `k. A.`), abbreviations (`1.2k`), text after the
 * number (`12abc`), dates, another currency's mark, two signs, misplaced group separators, the
 * other convention's separators (`1.234,56` in en-US), more decimals than the currency has, and
 * amounts over maxMinor. Typed decimals beyond the currency's are refused rather than rounded: a
 * person who types 1.234 in a USD field has made a mistake we should not hide.
 */
import { currencyDigits, isCurrency, maxMinor } from './currencies.ts';
import { tooLarge } from './decimal.ts';
import { currencyMarks, type NumberConvention, normalise, numberConvention } from './locale.ts';
import type { Empty, ParseResult, PercentResult, RateResult, Refused } from './results.ts';

/** An amount in `currency`, read in `locale`. */
export function parseAmount(text: string, opts: { currency: string; locale: string }): ParseResult | Empty {
  const digits = currencyDigits(opts.currency);
  const read = readNumber(text, opts.locale, { currency: opts.currency, what: 'amount' });
  if (!read.ok || read.kind === 'empty') return read;
  if (read.fraction.length > digits) {
    const allowed = digits === 0 ? 'no decimals' : `at most ${digits} decimal${digits === 1 ? '' : 's'}`;
    const how = `in ${opts.locale} "${read.decimal}" marks decimals`;
    return refuse(`${opts.currency} takes ${allowed}; "${text.trim()}" has ${read.fraction.length} (${how}).`);
  }
  const magnitude = BigInt(read.whole + read.fraction.padEnd(digits, '0'));
  if (magnitude > maxMinor(opts.currency)) return tooLarge(text.trim(), opts.currency);
  return { ok: true, kind: 'amount', minor: read.negative ? -magnitude : magnitude };
}

/** Most decimals a percentage may have (12.345678 %): finer than any rate a budget uses. */
const PERCENT_DECIMALS = 6;

/**
 * A percentage, only where one is asked for: `12%`, `12,5 %` (fr-FR), `4.25` (the % sign is
 * optional). The fraction comes back as an exact decimal string: `12,5%` is "0.125".
 */
export function parsePercent(text: string, opts: { locale: string }): PercentResult | Empty {
  const read = readNumber(text, opts.locale, { what: 'percent' });
  if (!read.ok || read.kind === 'empty') return read;
  if (read.fraction.length > PERCENT_DECIMALS) {
    return refuse(
      `A percentage takes at most ${PERCENT_DECIMALS} decimals; "${text.trim()}" has ${read.fraction.length}.`,
    );
  }
  if (read.whole.length > 15) return refuse(`"${text.trim()}" is too large for a percentage.`);
  const fraction = decimalString(read.whole + read.fraction, read.fraction.length + 2, read.negative);
  return { ok: true, kind: 'percent', fraction };
}

/** Most decimals an exchange rate may have; store rates in a NUMERIC with this scale. */
export const RATE_DECIMALS = 10;

/**
 * An exchange rate typed by a budget's owner (units of the goal's currency per unit of the
 * budget's), read in the owner's locale: `1,0845` in de-DE is "1.0845". Positive, no sign, no
 * currency marks.
 */
export function parseRate(text: string, opts: { locale: string }): RateResult | Empty {
  const read = readNumber(text, opts.locale, { what: 'rate' });
  if (!read.ok || read.kind === 'empty') return read;
  if (read.fraction.length > RATE_DECIMALS) {
    return refuse(`A rate takes at most ${RATE_DECIMALS} decimals; "${text.trim()}" has ${read.fraction.length}.`);
  }
  if (read.whole.length > 15) return refuse(`"${text.trim()}" is too large for an exchange rate.`);
  const rate = decimalString(read.whole + read.fraction, read.fraction.length, false);
  if (read.negative || /^[0.]+$/.test(rate)) {
    return refuse(`An exchange rate must be above zero; "${text.trim()}" is not.`);
  }
  return { ok: true, kind: 'rate', rate };
}

type Read = { ok: true; kind: 'number'; negative: boolean; whole: string; fraction: string; decimal: string };
type ReadAs = { what: 'amount'; currency: string } | { what: 'percent' } | { what: 'rate' };

const DATE = /^(\d{1,2}([./-])\d{1,2}\2\d{2,4}|\d{4}([./-])\d{1,2}\3\d{1,2})$/;
const ABBREVIATIONS = new Set(['K', 'M', 'MM', 'MN', 'B', 'BN', 'T', 'TN', 'MIO', 'MRD', 'LAKH', 'CR', 'TSD']);
/** A currency mark of some other currency: a symbol (`$`, `US$`, `R$`) or an ISO code. */
const FOREIGN_BEFORE = /^(\p{L}{0,3}\p{Sc}|[A-Z]{3}(?!\p{L}))/u;
const FOREIGN_AFTER = /((?<!\p{L})[A-Z]{3}|\p{Sc}[\p{L}.]*)$/u;

function readNumber(text: string, locale: string, as: ReadAs): Read | Empty | Refused {
  const numbers = numberConvention(locale, as.what === 'amount' ? 'amount' : 'number');
  const shown = text.trim();
  let rest = normalise(text, numbers.digits).trim();
  if (rest === '') return { ok: true, kind: 'empty' };
  if (DATE.test(rest)) return refuse(`"${shown}" looks like a date, not ${article(as)}.`);
  if (/^#+$/.test(rest)) {
    return refuse(`"${shown}" is what a spreadsheet shows when the column is too narrow; widen it and copy again.`);
  }
  if (/^#[A-Z0-9/]+[!?]?$/i.test(rest)) return refuse(`"${shown}" is a spreadsheet error, not ${article(as)}.`);
  if (rest.startsWith('=')) return refuse(`"${shown}" is a formula; copy the cell's value instead.`);

  // Peel sign, currency and percent marks off both ends until only the number is left.
  const marks = as.what === 'amount' ? currencyMarks(locale, as.currency) : [];
  let signs = 0;
  let negative = false;
  let parentheses = false;
  let currencyMark: string | null = null;
  let foreign: string | null = null;
  let percentSigns = 0;
  for (let before = ''; before !== rest; ) {
    before = rest;
    rest = rest.trim();
    const head = (length: number) => rest.slice(0, length).toUpperCase();
    const tail = (length: number) => rest.slice(-length).toUpperCase();
    const mark: string | undefined = currencyMark
      ? undefined
      : marks.find((m) => head(m.length) === m || tail(m.length) === m);
    if (rest.startsWith('(') && rest.endsWith(')') && rest.length > 1) {
      [signs, negative, parentheses, rest] = [signs + 1, true, true, rest.slice(1, -1)];
    } else if (rest.startsWith('-') || rest.startsWith('+')) {
      [signs, negative, rest] = [signs + 1, negative || rest.startsWith('-'), rest.slice(1)];
    } else if (rest.endsWith('-')) {
      [signs, negative, rest] = [signs + 1, true, rest.slice(0, -1)];
    } else if (rest.startsWith('%') || rest.endsWith('%')) {
      [percentSigns, rest] = [percentSigns + 1, rest.startsWith('%') ? rest.slice(1) : rest.slice(0, -1)];
    } else if (mark) {
      currencyMark = mark;
      rest = head(mark.length) === mark ? rest.slice(mark.length) : rest.slice(0, -mark.length);
    } else if (!foreign) {
      const atStart = FOREIGN_BEFORE.exec(rest)?.[0];
      const other = atStart ?? FOREIGN_AFTER.exec(rest)?.[0];
      if (other && (/\p{Sc}/u.test(other) || isCurrency(other))) {
        foreign = other;
        rest = atStart ? rest.slice(other.length) : rest.slice(0, -other.length);
      }
    }
  }

  if (foreign) {
    if (as.what !== 'amount') return refuse(`"${shown}" is an amount of money (${foreign}), not ${article(as)}.`);
    return refuse(`"${shown}" is marked ${foreign}, but this field is in ${as.currency}.`);
  }
  if (percentSigns > 0 && as.what === 'amount') {
    return refuse(`"${shown}" is a percentage; this field takes an amount in ${as.currency}.`);
  }
  if (percentSigns > 0 && as.what === 'rate') {
    return refuse(`"${shown}" is a percentage; an exchange rate is asked for.`);
  }
  if (percentSigns > 1) return refuse(`"${shown}" has more than one % sign.`);
  if (signs > 1) return refuse(`"${shown}" has two signs; keep one minus sign or the parentheses.`);
  if (rest === '') {
    // Excel's accounting format shows zero as a dash: "$ -".
    if (as.what === 'amount' && signs === 1 && negative && !parentheses) {
      return { ok: true, kind: 'number', negative: false, whole: '0', fraction: '', decimal: '' };
    }
    return refuse(`"${shown}" has no digits.`);
  }
  return readDigits(rest, shown, numbers, as, negative);
}

/** The number itself: digits, groups and at most one decimal separator, in the locale's way. */
function readDigits(
  body: string,
  shown: string,
  numbers: NumberConvention,
  as: ReadAs,
  negative: boolean,
): Read | Refused {
  if (!/\d/.test(body)) return refuse(`"${shown}" is text, not ${article(as)}.`);
  const trailing = /^[\d\s.,']*\d\s*(\p{L}[\p{L}.]*)$/u.exec(body)?.[1];
  if (trailing) {
    const word = trailing.replace(/\.$/, '').toUpperCase();
    if (ABBREVIATIONS.has(word)) {
      return refuse(`"${shown}" uses an abbreviation (${trailing}); type the whole number.`);
    }
    return refuse(`"${shown}" is not ${article(as)}: it has text after the number ("${trailing}").`);
  }
  const notLikeThis = (detail: string) =>
    refuse(`"${shown}" is not a number in ${numbers.locale}, which writes ${numbers.example}${detail}.`);
  const separators = new Set([...numbers.decimals, ...numbers.groups]);
  if ([...body].some((char) => !/[\d\s.,']/.test(char) && !separators.has(char))) {
    if (/[()]/.test(body)) return refuse(`"${shown}" has a parenthesis without its partner.`);
    return refuse(`"${shown}" is not ${article(as)}.`);
  }
  const decimalAt = [...body].flatMap((char, i) => (numbers.decimals.includes(char) ? [i] : []));
  if (decimalAt.length > 1) {
    const [decimal] = numbers.decimals;
    return notLikeThis(new Set(decimalAt.map((i) => body[i])).size > 1 ? '' : `: "${decimal}" marks decimals once`);
  }
  const [at = body.length] = decimalAt;
  const whole = body.slice(0, at);
  const fraction = body.slice(at + 1);
  if (!/^\d*$/.test(fraction)) return notLikeThis('');
  if (whole === '' && fraction === '') return refuse(`"${shown}" has no digits.`);
  const groupSeparators = new Set(whole.replace(/\d/g, ''));
  if (groupSeparators.size > 1) return notLikeThis(': it mixes group separators');
  const [separator] = groupSeparators;
  if (separator !== undefined) {
    if (!numbers.groups.includes(separator) && separator !== ' ') return notLikeThis('');
    if (!validGroups(whole.split(separator), numbers.indianGrouping)) {
      return notLikeThis(': the digit groups are misplaced');
    }
  }
  return {
    ok: true,
    kind: 'number',
    negative,
    whole: whole.replaceAll(separator ?? '', '').replace(/^0+(?=\d)/, '') || '0',
    fraction,
    decimal: body[at] ?? numbers.decimals[0]!,
  };
}

/** 1,234,567 everywhere; also 12,34,567 where the locale groups the Indian way. */
function validGroups(groups: string[], indian: boolean): boolean {
  const [first = '', ...others] = groups;
  const last = others.pop();
  if (last === undefined || last.length !== 3 || !/^\d{1,3}$/.test(first)) return false;
  if (others.every((group) => group.length === 3)) return true;
  return indian && first.length <= 2 && others.every((group) => group.length === 2);
}

function decimalString(digits: string, scale: number, negative: boolean): string {
  const padded = digits.padStart(scale + 1, '0');
  const whole = padded.slice(0, padded.length - scale).replace(/^0+(?=\d)/, '');
  const fraction = padded.slice(padded.length - scale).replace(/0+$/, '');
  const text = fraction ? `${whole}.${fraction}` : whole;
  return negative && /[1-9]/.test(text) ? `-${text}` : text;
}

function article(as: ReadAs): string {
  return { amount: 'an amount', percent: 'a percentage', rate: 'an exchange rate' }[as.what];
}

function refuse(reason: string): Refused {
  return { ok: false, reason };
}
