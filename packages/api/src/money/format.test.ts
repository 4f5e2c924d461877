/**
 * Formatting goes through Intl.NumberFormat with the value as a decimal string, so amounts far
 * beyond 2^53 minor units keep every digit, and with ISO digits set explicitly (CLDR alone would
 * show IQD with no decimals). Whatever formatAmount shows, parseAmount reads back in the same
 * locale: the grid shows formatted amounts, and people copy them into other cells.
 */
import { describe, expect, it } from 'vitest';
import { formatAmount, parseAmount } from './index.ts';

const NBSP = '\u00a0';
const NNBSP = '\u202f';

describe('formatAmount', () => {
  it('formats in each locale with symbol, code or no mark', () => {
    const rows: [string, string][] = [
      ['en-US', 'USD'],
      ['en-GB', 'GBP'],
      ['de-DE', 'EUR'],
      ['fr-FR', 'EUR'],
      ['de-CH', 'CHF'],
      ['en-IN', 'INR'],
      ['ja-JP', 'JPY'],
      ['en-US', 'KWD'],
      ['en-US', 'IQD'],
    ];
    const formatted = Object.fromEntries(
      rows.map(([locale, currency]) => [
        `${locale} ${currency}`,
        (['symbol', 'code', 'none'] as const).map((display) =>
          formatAmount(-123456789n, { currency, locale, display }),
        ),
      ]),
    );
    expect(formatted).toEqual({
      'en-US USD': ['-$1,234,567.89', `-USD${NBSP}1,234,567.89`, '-1,234,567.89'],
      'en-GB GBP': ['-£1,234,567.89', `-GBP${NBSP}1,234,567.89`, '-1,234,567.89'],
      'de-DE EUR': [`-1.234.567,89${NBSP}€`, `-1.234.567,89${NBSP}EUR`, '-1.234.567,89'],
      'fr-FR EUR': [
        `-1${NNBSP}234${NNBSP}567,89${NBSP}€`,
        `-1${NNBSP}234${NNBSP}567,89${NBSP}EUR`,
        `-1${NNBSP}234${NNBSP}567,89`,
      ],
      'de-CH CHF': ["CHF-1'234'567.89", "CHF-1'234'567.89", "-1'234'567.89"],
      'en-IN INR': ['-₹12,34,567.89', `-INR${NBSP}12,34,567.89`, '-12,34,567.89'],
      'ja-JP JPY': ['-￥123,456,789', `-JPY${NBSP}123,456,789`, '-123,456,789'],
      'en-US KWD': [`-KWD${NBSP}123,456.789`, `-KWD${NBSP}123,456.789`, '-123,456.789'],
      // ISO gives IQD 3 decimals; CLDR's default of 0 would hide them.
      'en-US IQD': [`-IQD${NBSP}123,456.789`, `-IQD${NBSP}123,456.789`, '-123,456.789'],
    });
  });

  it('keeps every digit of amounts beyond 2^53 minor units', () => {
    expect({
      usd: formatAmount(123456789012345678901234567n, { currency: 'USD', locale: 'en-US' }),
      jpy: formatAmount(-9007199254740993n, { currency: 'JPY', locale: 'en-US' }),
      float: new Intl.NumberFormat('en-US').format(Number(9007199254740993n)),
    }).toEqual({
      usd: '$1,234,567,890,123,456,789,012,345.67',
      jpy: '-¥9,007,199,254,740,993',
      float: '9,007,199,254,740,992',
    });
  });

  it('reads back what it shows, in every locale, currency and display', () => {
    const locales = [
      'en-US',
      'en-GB',
      'de-DE',
      'fr-FR',
      'de-CH',
      'fr-CH',
      'de-AT',
      'en-IN',
      'mr-IN',
      'ja-JP',
      'ar-EG',
      'he-IL',
      'sv-SE',
      'nl-NL',
      'es-ES',
      'pt-BR',
      'en-DE',
    ];
    const currencies = ['USD', 'EUR', 'GBP', 'CHF', 'INR', 'JPY', 'KWD', 'BHD', 'CLF', 'SEK', 'BRL', 'EGP'];
    const amounts = [0n, 1n, -1n, 5n, 123456n, -98765432101n, 99999999999999n, -100000000000000n];
    const misread: string[] = [];
    let checked = 0;
    for (const locale of locales) {
      for (const currency of currencies) {
        for (const display of ['symbol', 'code', 'none'] as const) {
          for (const minor of amounts) {
            const shown = formatAmount(minor, { currency, locale, display });
            const read = parseAmount(shown, { currency, locale });
            checked += 1;
            if (!(read.ok && read.kind === 'amount' && read.minor === minor)) {
              misread.push(`${locale} ${currency} ${display} ${JSON.stringify(shown)}: ${JSON.stringify(read)}`);
            }
          }
        }
      }
    }
    expect({ checked, misread }).toEqual({ checked: 17 * 12 * 3 * 8, misread: [] });
  });
});
