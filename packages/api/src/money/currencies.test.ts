/**
 * The ISO 4217 table is written out by hand, so it is checked against the one other source on
 * the machine: Intl (CLDR). Where CLDR knows a code, its digits must match ours except for the
 * codes CLDR deliberately shows without decimals although ISO gives them minor units; those are
 * listed here, so a typo in the table cannot hide among them.
 */
import { describe, expect, it } from 'vitest';
import { CURRENCY_CODES, currencyDigits, isCurrency, maxMinor } from './index.ts';

describe('currencies', () => {
  it('lists every active ISO 4217 code once, sorted for pickers', () => {
    expect({
      count: CURRENCY_CODES.length,
      sorted: [...CURRENCY_CODES].sort().join() === CURRENCY_CODES.join(),
      unique: new Set(CURRENCY_CODES).size === CURRENCY_CODES.length,
      wellFormed: CURRENCY_CODES.every((code) => /^[A-Z]{3}$/.test(code)),
    }).toEqual({ count: 167, sorted: true, unique: true, wellFormed: true });
  });

  it('gives each currency its minor digits', () => {
    const codes = [
      'JPY',
      'KRW',
      'ISK',
      'XOF',
      'UYI',
      'USD',
      'EUR',
      'GBP',
      'INR',
      'CHF',
      'KWD',
      'BHD',
      'IQD',
      'JOD',
      'LYD',
      'OMR',
      'TND',
      'CLF',
      'UYW',
    ];
    expect(Object.fromEntries(codes.map((code) => [code, currencyDigits(code)]))).toEqual({
      JPY: 0,
      KRW: 0,
      ISK: 0,
      XOF: 0,
      UYI: 0,
      USD: 2,
      EUR: 2,
      GBP: 2,
      INR: 2,
      CHF: 2,
      KWD: 3,
      BHD: 3,
      IQD: 3,
      JOD: 3,
      LYD: 3,
      OMR: 3,
      TND: 3,
      CLF: 4,
      UYW: 4,
    });
  });

  it('agrees with Intl wherever CLDR does not override ISO', () => {
    const known = new Set(Intl.supportedValuesOf('currency'));
    const differences = Object.fromEntries(
      CURRENCY_CODES.filter((code) => known.has(code)).flatMap((code) => {
        const intl = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions();
        return intl.maximumFractionDigits === currencyDigits(code) ? [] : [[code, intl.maximumFractionDigits]];
      }),
    );
    const zeroInCldr = 'AFN ALL COP HUF IDR IQD IRR KPW LAK LBP MGA MMK PKR SLL SOS SYP YER'.split(' ');
    expect(differences).toEqual(Object.fromEntries(zeroInCldr.map((code) => [code, 0])));
  });

  it('refuses codes that are unknown, withdrawn, lower-case or not counted in minor units', () => {
    expect({
      guards: ['usd', 'XYZ', 'HRK', 'CUC', 'ZWL', 'XAU', 'XDR', 'XXX', '', 'USDX'].map((code) => isCurrency(code)),
      prototype: isCurrency('toString'),
    }).toEqual({ guards: Array(10).fill(false), prototype: false });
    expect(() => currencyDigits('HRK')).toThrow(
      'Unknown currency code "HRK": use an active ISO 4217 code such as USD or EUR.',
    );
  });

  it('bounds a cell so every amount fits PostgreSQL bigint', () => {
    expect({
      jpy: maxMinor('JPY'),
      usd: maxMinor('USD'),
      kwd: maxMinor('KWD'),
      clf: maxMinor('CLF'),
      fitsBigint: CURRENCY_CODES.every((code) => maxMinor(code) < 2n ** 63n - 1n),
    }).toEqual({
      jpy: 10n ** 15n - 1n,
      usd: 10n ** 17n - 1n,
      kwd: 10n ** 18n - 1n,
      clf: 10n ** 18n - 1n,
      fitsBigint: true,
    });
  });
});
