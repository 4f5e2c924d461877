/**
 * A budget in another currency than its goal carries a rate the owner entered (units of the
 * goal's currency per unit of the budget's). Conversions are worked by hand below, across
 * currencies with 0, 2, 3 and 4 decimals. A goal's total over several budgets rounds once, at the
 * end: three budgets of 0.01 USD at 150 JPY/USD are 4.5 yen together, which is 5 yen, while
 * rounding each budget first would say 6.
 */
import { describe, expect, it } from 'vitest';
import { convert, sumConverted } from './index.ts';

describe('convert', () => {
  it('converts at the owner-entered rate, rounding once half away from zero', () => {
    expect({
      // 100.00 × 150.5 = 15,050 yen
      usdToJpy: convert(10000n, { from: 'USD', to: 'JPY', rate: '150.5' }),
      // 0.01 × 150 = 1.5 yen, half away from zero: 2 and -2
      halfUp: convert(1n, { from: 'USD', to: 'JPY', rate: '150' }),
      halfDown: convert(-1n, { from: 'USD', to: 'JPY', rate: '150' }),
      // 1.234 KWD × 3.25 = 4.0105 USD → 4.01
      kwdToUsd: convert(1234n, { from: 'KWD', to: 'USD', rate: '3.25' }),
      // 1,000 JPY × 0.002 = 2.000 KWD
      jpyToKwd: convert(1000n, { from: 'JPY', to: 'KWD', rate: '0.002' }),
      // 1,000 JPY × 2 = 2,000.000 KWD (the rate has fewer decimals than the gap in digits)
      jpyToKwdWhole: convert(1000n, { from: 'JPY', to: 'KWD', rate: '2' }),
      // 19.99 × 1.0845 = 21.679155 → 21.68
      eurToUsd: convert(1999n, { from: 'EUR', to: 'USD', rate: '1.0845' }),
      // 100.00 × 0.0256 = 2.5600 CLF
      usdToClf: convert(10000n, { from: 'USD', to: 'CLF', rate: '0.0256' }),
      // 0.5 BHD × 1.3333333333 = 0.66666666665 → 0.667 KWD (rounded once, not 0.666)
      bhdToKwd: convert(500n, { from: 'BHD', to: 'KWD', rate: '1.3333333333' }),
      sameCurrency: convert(123n, { from: 'USD', to: 'USD' }),
      sameCurrencyAtOne: convert(123n, { from: 'USD', to: 'USD', rate: '1.000' }),
      beyondFloat: convert(9007199254740993n, { from: 'JPY', to: 'USD', rate: '1' }),
    }).toEqual({
      usdToJpy: 15050n,
      halfUp: 2n,
      halfDown: -2n,
      kwdToUsd: 401n,
      jpyToKwd: 2000n,
      jpyToKwdWhole: 2000000n,
      eurToUsd: 2168n,
      usdToClf: 25600n,
      bhdToKwd: 667n,
      sameCurrency: 123n,
      sameCurrencyAtOne: 123n,
      beyondFloat: 900719925474099300n,
    });
  });

  it('throws on rates that are missing or malformed: they come from storage, not from a person', () => {
    const message = (run: () => unknown) => {
      try {
        run();
        return 'no error';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect({
      missing: message(() => convert(1n, { from: 'USD', to: 'EUR' })),
      comma: message(() => convert(1n, { from: 'USD', to: 'EUR', rate: '1,08' })),
      exponent: message(() => convert(1n, { from: 'USD', to: 'EUR', rate: '1e2' })),
      zero: message(() => convert(1n, { from: 'USD', to: 'EUR', rate: '0.000' })),
      negative: message(() => convert(1n, { from: 'USD', to: 'EUR', rate: '-1.1' })),
      sameCurrencyOtherRate: message(() => convert(1n, { from: 'USD', to: 'USD', rate: '1.1' })),
      unknownCurrency: message(() => convert(1n, { from: 'USD', to: 'XXX', rate: '1' })),
    }).toEqual({
      missing: 'Converting USD to EUR needs a rate.',
      comma: 'Exchange rate "1,08" must be a plain decimal such as "1.0845".',
      exponent: 'Exchange rate "1e2" must be a plain decimal such as "1.0845".',
      zero: 'Exchange rate "0.000" must be above zero.',
      negative: 'Exchange rate "-1.1" must be above zero.',
      sameCurrencyOtherRate: 'A USD amount converts to USD at 1, not at 1.1.',
      unknownCurrency: 'Unknown currency code "XXX": use an active ISO 4217 code such as USD or EUR.',
    });
  });
});

describe('sumConverted', () => {
  it("adds a goal's budgets in several currencies exactly and rounds once, at the end", () => {
    const cent = { minor: 1n, currency: 'USD', rate: '150' };
    const fils = { minor: 1n, currency: 'KWD', rate: '3.25' };
    const perBudget = (parts: { minor: bigint; currency: string; rate: string }[], to: string) =>
      parts.reduce((total, part) => total + convert(part.minor, { from: part.currency, to, rate: part.rate }), 0n);
    expect({
      threeCents: sumConverted([cent, cent, cent], 'JPY'),
      threeCentsRoundedEach: perBudget([cent, cent, cent], 'JPY'),
      withYen: sumConverted([cent, cent, cent, { minor: 100n, currency: 'JPY' }], 'JPY'),
      // 0.001 KWD is 0.325 US cents: three of them are 0.975 cents, one cent.
      threeFils: sumConverted([fils, fils, fils], 'USD'),
      threeFilsRoundedEach: perBudget([fils, fils, fils], 'USD'),
      mixedSigns: sumConverted([cent, { ...cent, minor: -2n }, { minor: 3n, currency: 'JPY' }], 'JPY'),
      nothing: sumConverted([], 'EUR'),
    }).toEqual({
      threeCents: 5n,
      threeCentsRoundedEach: 6n,
      withYen: 105n,
      threeFils: 1n,
      threeFilsRoundedEach: 0n,
      // 1.5 − 3 + 3 = 1.5 yen → 2
      mixedSigns: 2n,
      nothing: 0n,
    });
  });
});
