/**
 * Raw values from the clipboard (Excel `x:num`, Google Sheets `data-sheets-value`, LibreOffice
 * `sdval`) carry more decimals than the currency, and Excel writes exponents (`1.5E-3`). They are
 * rounded half away from zero, as Excel's ROUND does, on the decimal digits themselves. The rows
 * on x.xx5 are the ones a float gets wrong: 1.005 * 100 is 100.49999999999999, so Math.round
 * stores 100 cents where Excel shows 1.01.
 */
import { describe, expect, it } from 'vitest';
import { fromDecimalString, toDecimalString } from './index.ts';

describe('fromDecimalString', () => {
  it('rounds raw spreadsheet values half away from zero to the currency digits, without floats', () => {
    const rows: [currency: string, raw: string, separator?: '.' | ','][] = [
      ['USD', '1234.5678'],
      ['USD', '1234.565'],
      ['USD', '1234.575'],
      ['USD', '-1234.565'],
      ['USD', '1.005'],
      ['USD', '0.005'],
      ['USD', '-0.005'],
      ['USD', '0.0049999'],
      ['USD', '-0.0049999'],
      ['USD', '1.5E-3'],
      ['USD', '5E-3'],
      ['USD', '-5e-3'],
      ['USD', '1.2345E+3'],
      ['USD', '1e2'],
      ['USD', '+3.5'],
      ['USD', '.5'],
      ['USD', '5.'],
      ['USD', '-0'],
      ['USD', '  42.1  '],
      ['USD', '12345678901234567890e-10'],
      ['USD', '999999999999999.994'],
      ['USD', '1e-400'],
      ['USD', '1e-99999999999'],
      ['JPY', '2.5'],
      ['JPY', '-2.5'],
      ['JPY', '2.4999'],
      ['JPY', '1234.5678'],
      ['KWD', '1.0005'],
      ['KWD', '-1.0005'],
      ['KWD', '1.2344'],
      ['BHD', '0.0005'],
      ['CLF', '1.23455'],
      ['EUR', '145250,5', ','],
      ['EUR', '-0,125', ','],
      ['EUR', '1,5E-3', ','],
      ['EUR', '1.5', ','],
      ['USD', '1,234.56'],
      ['USD', '1,5'],
      ['USD', 'abc'],
      ['USD', 'Infinity'],
      ['USD', 'NaN'],
      ['USD', '1.2.3'],
      ['USD', '--1'],
      ['USD', '1e'],
      ['USD', '.'],
      ['USD', '999999999999999.995'],
      ['USD', '1e400'],
      ['USD', '1e99999999999'],
      ['USD', ''],
    ];
    expect(
      Object.fromEntries(
        rows.map(([currency, raw, decimalSeparator]) => {
          const result = fromDecimalString(raw, currency, { decimalSeparator });
          const shown = !result.ok ? { reason: result.reason } : result.kind === 'empty' ? 'empty' : result.minor;
          return [`${currency} ${JSON.stringify(raw)}`, shown];
        }),
      ),
    ).toEqual({
      'USD "1234.5678"': 123457n,
      'USD "1234.565"': 123457n,
      'USD "1234.575"': 123458n,
      'USD "-1234.565"': -123457n,
      'USD "1.005"': 101n,
      'USD "0.005"': 1n,
      'USD "-0.005"': -1n,
      'USD "0.0049999"': 0n,
      'USD "-0.0049999"': 0n,
      'USD "1.5E-3"': 0n,
      'USD "5E-3"': 1n,
      'USD "-5e-3"': -1n,
      'USD "1.2345E+3"': 123450n,
      'USD "1e2"': 10000n,
      'USD "+3.5"': 350n,
      'USD ".5"': 50n,
      'USD "5."': 500n,
      'USD "-0"': 0n,
      'USD "  42.1  "': 4210n,
      'USD "12345678901234567890e-10"': 123456789012n,
      'USD "999999999999999.994"': 99999999999999999n,
      'USD "1e-400"': 0n,
      'USD "1e-99999999999"': 0n,
      'JPY "2.5"': 3n,
      'JPY "-2.5"': -3n,
      'JPY "2.4999"': 2n,
      'JPY "1234.5678"': 1235n,
      'KWD "1.0005"': 1001n,
      'KWD "-1.0005"': -1001n,
      'KWD "1.2344"': 1234n,
      'BHD "0.0005"': 1n,
      'CLF "1.23455"': 12346n,
      // LibreOffice in de-DE writes sdval with a decimal comma.
      'EUR "145250,5"': 14525050n,
      'EUR "-0,125"': -13n,
      'EUR "1,5E-3"': 0n,
      'EUR "1.5"': { reason: '"1.5" is not a decimal number (its decimal separator should be ",").' },
      'USD "1,234.56"': { reason: '"1,234.56" is not a decimal number.' },
      'USD "1,5"': { reason: '"1,5" is not a decimal number (its decimal separator should be ".").' },
      'USD "abc"': { reason: '"abc" is not a decimal number.' },
      'USD "Infinity"': { reason: '"Infinity" is not a decimal number.' },
      'USD "NaN"': { reason: '"NaN" is not a decimal number.' },
      'USD "1.2.3"': { reason: '"1.2.3" is not a decimal number.' },
      'USD "--1"': { reason: '"--1" is not a decimal number.' },
      'USD "1e"': { reason: '"1e" is not a decimal number.' },
      'USD "."': { reason: '"." is not a decimal number.' },
      'USD "999999999999999.995"': {
        reason: '"999999999999999.995" is too large: amounts must stay below 1,000,000,000,000,000 USD.',
      },
      'USD "1e400"': { reason: '"1e400" is too large: amounts must stay below 1,000,000,000,000,000 USD.' },
      'USD "1e99999999999"': {
        reason: '"1e99999999999" is too large: amounts must stay below 1,000,000,000,000,000 USD.',
      },
      'USD ""': 'empty',
    });
  });

  it('shows why floats are not used: Math.round gets the x.xx5 rows wrong', () => {
    expect({
      float: Math.round(1.005 * 100),
      here: fromDecimalString('1.005', 'USD'),
    }).toEqual({ float: 100, here: { ok: true, kind: 'amount', minor: 101n } });
  });
});

describe('toDecimalString', () => {
  it('writes minor units as a plain decimal with the currency digits', () => {
    expect({
      usd: toDecimalString(123450n, 'USD'),
      usdNegative: toDecimalString(-5n, 'USD'),
      usdZero: toDecimalString(0n, 'USD'),
      jpy: toDecimalString(-1234n, 'JPY'),
      kwd: toDecimalString(7n, 'KWD'),
      clf: toDecimalString(123456789n, 'CLF'),
      huge: toDecimalString(123456789012345678901234567890n, 'USD'),
    }).toEqual({
      usd: '1234.50',
      usdNegative: '-0.05',
      usdZero: '0.00',
      jpy: '-1234',
      kwd: '0.007',
      clf: '12345.6789',
      huge: '1234567890123456789012345678.90',
    });
  });
});
