/**
 * What people type or paste into a budget cell, in the locales Goalpost's users work in. Each
 * table runs every row and compares the whole table at once, so a failure shows every row that
 * changed. An amount is shown as its bigint of minor units, an empty cell as 'empty', and a
 * refusal as its full reason: the reason is what the grid shows beside the cell, so its wording
 * is part of the behaviour.
 */
import { describe, expect, it } from 'vitest';
import { parseAmount, parsePercent, parseRate } from './index.ts';

type Row = [locale: string, currency: string, text: string];

function outcome(result: { ok: true; kind: 'empty' } | { ok: true; minor: bigint } | { ok: false; reason: string }) {
  if (!result.ok) return { reason: result.reason };
  return 'minor' in result ? result.minor : 'empty';
}

function table(rows: Row[]) {
  return Object.fromEntries(
    rows.map(([locale, currency, text]) => [
      `${locale} ${currency} ${JSON.stringify(text)}`,
      outcome(parseAmount(text, { locale, currency })),
    ]),
  );
}

const NBSP = '\u00a0';
const NNBSP = '\u202f';
const MINUS = '\u2212';

describe('parseAmount', () => {
  it('reads every accepted form in its locale', () => {
    expect(
      table([
        ['en-US', 'USD', '1,234.56'],
        ['en-US', 'USD', '1234.56'],
        ['en-US', 'USD', '(1,234.56)'],
        ['en-US', 'USD', '-1234'],
        ['en-US', 'USD', '1234-'],
        ['en-US', 'USD', '+12'],
        ['en-US', 'USD', '$1,234'],
        ['en-US', 'USD', '($1,234,567.89)'],
        ['en-US', 'USD', '$ (1,234.00)'],
        ['en-US', 'USD', '$-0.50'],
        ['en-US', 'USD', '1,234.00 '],
        ['en-US', 'USD', ' $ 1,234.00 '],
        ['en-US', 'USD', 'USD 1,234.56'],
        ['en-US', 'USD', '1,234.56 usd'],
        ['en-US', 'USD', '1 234.56'],
        ['en-US', 'USD', `${MINUS}5.00`],
        ['en-US', 'USD', '.5'],
        ['en-US', 'USD', '5.'],
        ['en-US', 'USD', '007'],
        ['en-US', 'USD', '$ -'],
        ['en-US', 'USD', '-'],
        ['en-GB', 'GBP', '(250.00)'],
        ['en-GB', 'GBP', '-£0.50'],
        ['en-GB', 'GBP', '£1,234.56'],
        ['en-GB', 'GBP', '1,234.56 GBP'],
        ['de-DE', 'EUR', '1.234,56'],
        ['de-DE', 'EUR', '-1.200,00 €'],
        ['de-DE', 'EUR', '€ 1.234,50'],
        ['de-DE', 'EUR', '1.234'],
        ['de-DE', 'EUR', '1 234,56'],
        ['de-DE', 'EUR', '1234,5'],
        ['de-DE', 'EUR', ',5'],
        ['de-DE', 'EUR', '(1.234,56 €)'],
        ['de-DE', 'EUR', '1.234,56-'],
        ['de-DE', 'EUR', '1.234,56 EUR'],
        ['fr-FR', 'EUR', `1${NNBSP}234,56`],
        ['fr-FR', 'EUR', `1${NBSP}234,56`],
        ['fr-FR', 'EUR', '1 234,56'],
        ['fr-FR', 'EUR', `-1${NNBSP}234,50${NBSP}€`],
        ['fr-FR', 'EUR', '1 234 567,89 EUR'],
        ['de-CH', 'CHF', "1'234.50"],
        ['de-CH', 'CHF', '1\u2019234.50'],
        ['de-CH', 'CHF', "CHF-1'234.50"],
        ['de-CH', 'CHF', "CHF 1'234.50"],
        ['de-CH', 'CHF', "-1'234.50"],
        ['de-CH', 'EUR', "EUR-1'234.50"],
        ['en-IN', 'INR', '1,23,456.00'],
        ['en-IN', 'INR', '₹12,34,567.89'],
        ['en-IN', 'INR', '1,234,567.00'],
        ['ja-JP', 'JPY', '1,234'],
        ['ja-JP', 'JPY', '￥1,234'],
        ['ja-JP', 'JPY', '¥-5'],
        ['ja-JP', 'JPY', '１，２３４円'],
        ['ja-JP', 'JPY', '1234'],
        ['en-US', 'KWD', '1.234'],
        ['en-US', 'KWD', 'KWD 1,234.567'],
        ['en-US', 'BHD', '0.005'],
        ['en-US', 'CLF', '1.2345'],
        ['sv-SE', 'SEK', `${MINUS}1${NBSP}234,50${NBSP}kr`],
        ['de-AT', 'EUR', '€ 1.234,56'],
        ['de-AT', 'EUR', `1${NBSP}234,56`],
        ['fr-CH', 'CHF', "1'234.56"],
        ['fr-CH', 'CHF', "1'234,56"],
        ['nl-NL', 'EUR', '€ -1.234,56'],
        ['ar-EG', 'EGP', '١٬٢٣٤٫٥٦'],
        ['en-US', 'USD', '999999999999999.99'],
      ]),
    ).toEqual({
      'en-US USD "1,234.56"': 123456n,
      'en-US USD "1234.56"': 123456n,
      'en-US USD "(1,234.56)"': -123456n,
      'en-US USD "-1234"': -123400n,
      'en-US USD "1234-"': -123400n,
      'en-US USD "+12"': 1200n,
      'en-US USD "$1,234"': 123400n,
      'en-US USD "($1,234,567.89)"': -123456789n,
      'en-US USD "$ (1,234.00)"': -123400n,
      'en-US USD "$-0.50"': -50n,
      'en-US USD "1,234.00 "': 123400n,
      'en-US USD " $ 1,234.00 "': 123400n,
      'en-US USD "USD 1,234.56"': 123456n,
      'en-US USD "1,234.56 usd"': 123456n,
      'en-US USD "1 234.56"': 123456n,
      'en-US USD "−5.00"': -500n,
      'en-US USD ".5"': 50n,
      'en-US USD "5."': 500n,
      'en-US USD "007"': 700n,
      // Excel's accounting format shows zero as a dash.
      'en-US USD "$ -"': 0n,
      'en-US USD "-"': 0n,
      'en-GB GBP "(250.00)"': -25000n,
      'en-GB GBP "-£0.50"': -50n,
      'en-GB GBP "£1,234.56"': 123456n,
      'en-GB GBP "1,234.56 GBP"': 123456n,
      'de-DE EUR "1.234,56"': 123456n,
      'de-DE EUR "-1.200,00 €"': -120000n,
      'de-DE EUR "€ 1.234,50"': 123450n,
      'de-DE EUR "1.234"': 123400n,
      'de-DE EUR "1 234,56"': 123456n,
      'de-DE EUR "1234,5"': 123450n,
      'de-DE EUR ",5"': 50n,
      'de-DE EUR "(1.234,56 €)"': -123456n,
      'de-DE EUR "1.234,56-"': -123456n,
      'de-DE EUR "1.234,56 EUR"': 123456n,
      'fr-FR EUR "1\u202f234,56"': 123456n,
      'fr-FR EUR "1\u00a0234,56"': 123456n,
      'fr-FR EUR "1 234,56"': 123456n,
      'fr-FR EUR "-1\u202f234,50\u00a0€"': -123450n,
      'fr-FR EUR "1 234 567,89 EUR"': 123456789n,
      'de-CH CHF "1\'234.50"': 123450n,
      'de-CH CHF "1’234.50"': 123450n,
      'de-CH CHF "CHF-1\'234.50"': -123450n,
      'de-CH CHF "CHF 1\'234.50"': 123450n,
      'de-CH CHF "-1\'234.50"': -123450n,
      'de-CH EUR "EUR-1\'234.50"': -123450n,
      'en-IN INR "1,23,456.00"': 12345600n,
      'en-IN INR "₹12,34,567.89"': 123456789n,
      'en-IN INR "1,234,567.00"': 123456700n,
      'ja-JP JPY "1,234"': 1234n,
      'ja-JP JPY "￥1,234"': 1234n,
      'ja-JP JPY "¥-5"': -5n,
      'ja-JP JPY "１，２３４円"': 1234n,
      'ja-JP JPY "1234"': 1234n,
      'en-US KWD "1.234"': 1234n,
      'en-US KWD "KWD 1,234.567"': 1234567n,
      'en-US BHD "0.005"': 5n,
      'en-US CLF "1.2345"': 12345n,
      'sv-SE SEK "−1\u00a0234,50\u00a0kr"': -123450n,
      // de-AT writes money as € 1.234,56 and plain numbers as 1 234,56: both read.
      'de-AT EUR "€ 1.234,56"': 123456n,
      'de-AT EUR "1\u00a0234,56"': 123456n,
      // fr-CH writes money as 1'234.56 and plain numbers as 1'234,56: both read.
      'fr-CH CHF "1\'234.56"': 123456n,
      'fr-CH CHF "1\'234,56"': 123456n,
      'nl-NL EUR "€ -1.234,56"': -123456n,
      'ar-EG EGP "١٬٢٣٤٫٥٦"': 123456n,
      'en-US USD "999999999999999.99"': 99999999999999999n,
    });
  });

  it('reads the same text by each locale, never guessing per cell', () => {
    const locales = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'de-CH', 'en-IN', 'ja-JP'];
    const texts = ['1,234', '1.234', '1 234', "1'234", '1,5', '1.5', '1.234,5', '1,234.5'];
    const matrix = Object.fromEntries(
      texts.map((text) => [
        text,
        Object.fromEntries(
          locales.map((locale) => {
            const result = parseAmount(text, { locale, currency: 'EUR' });
            return [locale, result.ok && result.kind === 'amount' ? result.minor : 'refused'];
          }),
        ),
      ]),
    );
    expect(matrix).toEqual({
      '1,234': {
        'en-US': 123400n,
        'en-GB': 123400n,
        'de-DE': 'refused',
        'fr-FR': 'refused',
        'de-CH': 'refused',
        'en-IN': 123400n,
        'ja-JP': 123400n,
      },
      '1.234': {
        'en-US': 'refused',
        'en-GB': 'refused',
        'de-DE': 123400n,
        'fr-FR': 'refused',
        'de-CH': 'refused',
        'en-IN': 'refused',
        'ja-JP': 'refused',
      },
      '1 234': {
        'en-US': 123400n,
        'en-GB': 123400n,
        'de-DE': 123400n,
        'fr-FR': 123400n,
        'de-CH': 123400n,
        'en-IN': 123400n,
        'ja-JP': 123400n,
      },
      "1'234": {
        'en-US': 'refused',
        'en-GB': 'refused',
        'de-DE': 'refused',
        'fr-FR': 'refused',
        'de-CH': 123400n,
        'en-IN': 'refused',
        'ja-JP': 'refused',
      },
      '1,5': {
        'en-US': 'refused',
        'en-GB': 'refused',
        'de-DE': 150n,
        'fr-FR': 150n,
        'de-CH': 'refused',
        'en-IN': 'refused',
        'ja-JP': 'refused',
      },
      '1.5': {
        'en-US': 150n,
        'en-GB': 150n,
        'de-DE': 'refused',
        'fr-FR': 'refused',
        'de-CH': 150n,
        'en-IN': 150n,
        'ja-JP': 150n,
      },
      '1.234,5': {
        'en-US': 'refused',
        'en-GB': 'refused',
        'de-DE': 123450n,
        'fr-FR': 'refused',
        'de-CH': 'refused',
        'en-IN': 'refused',
        'ja-JP': 'refused',
      },
      '1,234.5': {
        'en-US': 123450n,
        'en-GB': 123450n,
        'de-DE': 'refused',
        'fr-FR': 'refused',
        'de-CH': 'refused',
        'en-IN': 123450n,
        'ja-JP': 123450n,
      },
    });
  });

  it('refuses junk with a reason that says what is wrong', () => {
    expect(
      table([
        ['en-US', 'USD', '12%'],
        ['en-US', 'USD', '1.2k'],
        ['de-DE', 'EUR', '1,2 Mio.'],
        ['en-US', 'USD', '12abc'],
        ['en-US', 'USD', 'No.'],
        ['en-US', 'USD', 'n/a'],
        ['en-US', 'USD', 'TBD'],
        ['de-DE', 'EUR', 'k. A.'],
        ['en-US', 'USD', 'NaN'],
        ['de-DE', 'EUR', '1,234'],
        ['en-US', 'USD', '1.234'],
        ['en-US', 'JPY', '12.5'],
        ['ja-JP', 'JPY', '1,234.00'],
        ['en-US', 'KWD', '1.2345'],
        ['en-US', 'USD', '1.234,56'],
        ['de-DE', 'EUR', '1,234.56'],
        ['fr-FR', 'EUR', '1.234,56'],
        ['en-US', 'USD', '1,23,4'],
        ['en-US', 'USD', '1,23,456.00'],
        ['en-US', 'USD', ',234'],
        ['en-US', 'USD', '1.2.3'],
        ['en-US', 'USD', '1,234 567'],
        ['en-US', 'USD', '--5'],
        ['en-US', 'USD', '(-5)'],
        ['en-US', 'USD', '-5-'],
        ['en-US', 'USD', '+-5'],
        ['en-US', 'USD', '(5'],
        ['en-US', 'USD', '()'],
        ['en-US', 'USD', '$'],
        ['de-DE', 'EUR', '$1,234'],
        ['en-US', 'EUR', 'USD 5'],
        ['en-US', 'EUR', '5 GBP'],
        ['en-US', 'USD', '1/2/2024'],
        ['de-DE', 'EUR', '12.10.2024'],
        ['en-US', 'USD', '2024-01-05'],
        ['en-US', 'USD', '#######'],
        ['en-US', 'USD', '#DIV/0!'],
        ['en-US', 'USD', '=A1+B1'],
        ['en-US', 'USD', '1000000000000000'],
        ['en-US', 'USD', '-1,000,000,000,000,000.00'],
        ['en-US', 'CLF', '100000000000000'],
      ]),
    ).toEqual({
      'en-US USD "12%"': { reason: '"12%" is a percentage; this field takes an amount in USD.' },
      'en-US USD "1.2k"': { reason: '"1.2k" uses an abbreviation (k); type the whole number.' },
      'de-DE EUR "1,2 Mio."': { reason: '"1,2 Mio." uses an abbreviation (Mio.); type the whole number.' },
      'en-US USD "12abc"': { reason: '"12abc" is not an amount: it has text after the number ("abc").' },
      'en-US USD "No."': { reason: '"No." is text, not an amount.' },
      'en-US USD "n/a"': { reason: '"n/a" is text, not an amount.' },
      'en-US USD "TBD"': { reason: '"TBD" is text, not an amount.' },
      'de-DE EUR "k. A."': { reason: '"k. A." is text, not an amount.' },
      'en-US USD "NaN"': { reason: '"NaN" is text, not an amount.' },
      'de-DE EUR "1,234"': { reason: 'EUR takes at most 2 decimals; "1,234" has 3 (in de-DE "," marks decimals).' },
      'en-US USD "1.234"': { reason: 'USD takes at most 2 decimals; "1.234" has 3 (in en-US "." marks decimals).' },
      'en-US JPY "12.5"': { reason: 'JPY takes no decimals; "12.5" has 1 (in en-US "." marks decimals).' },
      'ja-JP JPY "1,234.00"': { reason: 'JPY takes no decimals; "1,234.00" has 2 (in ja-JP "." marks decimals).' },
      'en-US KWD "1.2345"': { reason: 'KWD takes at most 3 decimals; "1.2345" has 4 (in en-US "." marks decimals).' },
      'en-US USD "1.234,56"': { reason: '"1.234,56" is not a number in en-US, which writes 1,234.56.' },
      'de-DE EUR "1,234.56"': { reason: '"1,234.56" is not a number in de-DE, which writes 1.234,56.' },
      'fr-FR EUR "1.234,56"': { reason: '"1.234,56" is not a number in fr-FR, which writes 1 234,56.' },
      'en-US USD "1,23,4"': {
        reason: '"1,23,4" is not a number in en-US, which writes 1,234.56: the digit groups are misplaced.',
      },
      'en-US USD "1,23,456.00"': {
        reason: '"1,23,456.00" is not a number in en-US, which writes 1,234.56: the digit groups are misplaced.',
      },
      'en-US USD ",234"': {
        reason: '",234" is not a number in en-US, which writes 1,234.56: the digit groups are misplaced.',
      },
      'en-US USD "1.2.3"': {
        reason: '"1.2.3" is not a number in en-US, which writes 1,234.56: "." marks decimals once.',
      },
      'en-US USD "1,234 567"': {
        reason: '"1,234 567" is not a number in en-US, which writes 1,234.56: it mixes group separators.',
      },
      'en-US USD "--5"': { reason: '"--5" has two signs; keep one minus sign or the parentheses.' },
      'en-US USD "(-5)"': { reason: '"(-5)" has two signs; keep one minus sign or the parentheses.' },
      'en-US USD "-5-"': { reason: '"-5-" has two signs; keep one minus sign or the parentheses.' },
      'en-US USD "+-5"': { reason: '"+-5" has two signs; keep one minus sign or the parentheses.' },
      'en-US USD "(5"': { reason: '"(5" has a parenthesis without its partner.' },
      'en-US USD "()"': { reason: '"()" has no digits.' },
      'en-US USD "$"': { reason: '"$" has no digits.' },
      'de-DE EUR "$1,234"': { reason: '"$1,234" is marked $, but this field is in EUR.' },
      'en-US EUR "USD 5"': { reason: '"USD 5" is marked USD, but this field is in EUR.' },
      'en-US EUR "5 GBP"': { reason: '"5 GBP" is marked GBP, but this field is in EUR.' },
      'en-US USD "1/2/2024"': { reason: '"1/2/2024" looks like a date, not an amount.' },
      'de-DE EUR "12.10.2024"': { reason: '"12.10.2024" looks like a date, not an amount.' },
      'en-US USD "2024-01-05"': { reason: '"2024-01-05" looks like a date, not an amount.' },
      'en-US USD "#######"': {
        reason: '"#######" is what a spreadsheet shows when the column is too narrow; widen it and copy again.',
      },
      'en-US USD "#DIV/0!"': { reason: '"#DIV/0!" is a spreadsheet error, not an amount.' },
      'en-US USD "=A1+B1"': { reason: '"=A1+B1" is a formula; copy the cell\'s value instead.' },
      'en-US USD "1000000000000000"': {
        reason: '"1000000000000000" is too large: amounts must stay below 1,000,000,000,000,000 USD.',
      },
      'en-US USD "-1,000,000,000,000,000.00"': {
        reason: '"-1,000,000,000,000,000.00" is too large: amounts must stay below 1,000,000,000,000,000 USD.',
      },
      // 4-decimal units stop a digit earlier so every amount fits PostgreSQL's bigint.
      'en-US CLF "100000000000000"': {
        reason: '"100000000000000" is too large: amounts must stay below 100,000,000,000,000 CLF.',
      },
    });
  });

  it('tells an empty cell apart from zero and from junk', () => {
    expect(
      table([
        ['en-US', 'USD', ''],
        ['en-US', 'USD', '   '],
        ['fr-FR', 'EUR', `${NNBSP}\t`],
        ['en-US', 'USD', '0'],
      ]),
    ).toEqual({
      'en-US USD ""': 'empty',
      'en-US USD "   "': 'empty',
      'fr-FR EUR "\u202f\\t"': 'empty',
      'en-US USD "0"': 0n,
    });
  });

  it('throws on an unknown currency, which is a programming error, not bad input', () => {
    expect(() => parseAmount('1', { locale: 'en-US', currency: 'XYZ' })).toThrow(
      'Unknown currency code "XYZ": use an active ISO 4217 code such as USD or EUR.',
    );
  });
});

describe('parsePercent', () => {
  it('reads percentages as exact fractions, only where one is asked for', () => {
    const rows: [string, string][] = [
      ['en-US', '12%'],
      ['en-US', '4.25%'],
      ['en-US', '4.25'],
      ['fr-FR', `12,5${NNBSP}%`],
      ['fr-FR', '12,5%'],
      ['de-DE', '12,5 %'],
      ['tr-TR', '%12'],
      ['en-US', '-5%'],
      ['en-US', '(5%)'],
      ['en-US', '0%'],
      ['en-US', '100%'],
      ['en-US', '1,250%'],
      ['en-US', '0.000001%'],
      ['en-US', ''],
      ['en-US', '$4'],
      ['en-US', '4 EUR'],
      ['en-US', '12%%'],
      ['en-US', '1.2k%'],
      ['en-US', '12abc%'],
      ['en-US', 'n/a'],
      ['en-US', '1.1234567%'],
      ['en-US', '12,5%'],
    ];
    expect(
      Object.fromEntries(
        rows.map(([locale, text]) => {
          const result = parsePercent(text, { locale });
          const shown = !result.ok ? { reason: result.reason } : result.kind === 'empty' ? 'empty' : result.fraction;
          return [`${locale} ${JSON.stringify(text)}`, shown];
        }),
      ),
    ).toEqual({
      'en-US "12%"': '0.12',
      'en-US "4.25%"': '0.0425',
      'en-US "4.25"': '0.0425',
      'fr-FR "12,5\u202f%"': '0.125',
      'fr-FR "12,5%"': '0.125',
      'de-DE "12,5 %"': '0.125',
      'tr-TR "%12"': '0.12',
      'en-US "-5%"': '-0.05',
      'en-US "(5%)"': '-0.05',
      'en-US "0%"': '0',
      'en-US "100%"': '1',
      'en-US "1,250%"': '12.5',
      'en-US "0.000001%"': '0.00000001',
      'en-US ""': 'empty',
      'en-US "$4"': { reason: '"$4" is an amount of money ($), not a percentage.' },
      'en-US "4 EUR"': { reason: '"4 EUR" is an amount of money (EUR), not a percentage.' },
      'en-US "12%%"': { reason: '"12%%" has more than one % sign.' },
      'en-US "1.2k%"': { reason: '"1.2k%" uses an abbreviation (k); type the whole number.' },
      'en-US "12abc%"': { reason: '"12abc%" is not a percentage: it has text after the number ("abc").' },
      'en-US "n/a"': { reason: '"n/a" is text, not a percentage.' },
      'en-US "1.1234567%"': { reason: 'A percentage takes at most 6 decimals; "1.1234567%" has 7.' },
      'en-US "12,5%"': {
        reason: '"12,5%" is not a number in en-US, which writes 1,234.56: the digit groups are misplaced.',
      },
    });
  });
});

describe('parseRate', () => {
  it('reads an owner-entered exchange rate in their locale as an exact decimal', () => {
    const rows: [string, string][] = [
      ['de-DE', '1,0845'],
      ['en-US', '1.0845'],
      ['en-US', '150'],
      ['en-US', '0.0067'],
      ['en-US', '1,234.5'],
      ['en-US', ''],
      ['en-US', '0'],
      ['en-US', '-1.2'],
      ['en-US', '5%'],
      ['en-US', '€1.08'],
      ['en-US', '1,0845'],
      ['en-US', '0.00000000001'],
    ];
    expect(
      Object.fromEntries(
        rows.map(([locale, text]) => {
          const result = parseRate(text, { locale });
          const shown = !result.ok ? { reason: result.reason } : result.kind === 'empty' ? 'empty' : result.rate;
          return [`${locale} ${JSON.stringify(text)}`, shown];
        }),
      ),
    ).toEqual({
      'de-DE "1,0845"': '1.0845',
      'en-US "1.0845"': '1.0845',
      'en-US "150"': '150',
      'en-US "0.0067"': '0.0067',
      'en-US "1,234.5"': '1234.5',
      'en-US ""': 'empty',
      'en-US "0"': { reason: 'An exchange rate must be above zero; "0" is not.' },
      'en-US "-1.2"': { reason: 'An exchange rate must be above zero; "-1.2" is not.' },
      'en-US "5%"': { reason: '"5%" is a percentage; an exchange rate is asked for.' },
      'en-US "€1.08"': { reason: '"€1.08" is an amount of money (€), not an exchange rate.' },
      'en-US "1,0845"': {
        reason: '"1,0845" is not a number in en-US, which writes 1,234.56: the digit groups are misplaced.',
      },
      'en-US "0.00000000001"': { reason: 'A rate takes at most 10 decimals; "0.00000000001" has 11.' },
    });
  });
});
