import { expect, it } from 'vitest';
import { basisPoints, difference, formatBasisPoints, lineVariance, periodTotals, sumOf } from './variance.ts';

it('computes differences and percentages of the budget exactly, rounding half away from zero', () => {
  expect({
    over: [difference(110_00n, 100_00n), basisPoints(110_00n, 100_00n)],
    under: [difference(95_50n, 100_00n), basisPoints(95_50n, 100_00n)],
    third: basisPoints(1n, 3n), // +(1 − 3) / 3 = −66.666…% → −6,667 bp
    half: basisPoints(100_005n, 10_000_000n), // (100,005 − 10⁷) / 10⁷ = −98.99995 % → −9,899.995 bp → −9,900
    noBudget: [difference(5n, null), basisPoints(5n, null), basisPoints(5n, 0n)],
    empty: [difference(null, 7n), basisPoints(null, 7n)],
    negativeBudget: basisPoints(-90n, -100n), // spending 90 of a −100 budget: (−90 + 100) / −100 = −10 %
    sums: [sumOf([1n, null, -3n]), sumOf([null, null])],
    text: [formatBasisPoints(1_050n, 'en-US'), formatBasisPoints(-6_667n, 'de-DE'), formatBasisPoints(0n, 'en-US')],
  }).toEqual({
    over: [10_00n, 1_000n],
    under: [-4_50n, -450n],
    third: -6_667n,
    half: -9_900n,
    noBudget: [5n, null, null],
    empty: [null, null],
    negativeBudget: -1_000n,
    sums: [-2n, null],
    text: ['+10.50%', '−66,67%', '0.00%'],
  });
});

it('totals each period over the lines, leaving periods with no figures empty', () => {
  const lines = [
    { budget: [100n, null], forecast: [90n, null], actual: [null, null] },
    { budget: [50n, 10n], forecast: [null, null], actual: [60n, null] },
  ];
  expect(periodTotals(lines, 2)).toEqual({ budget: [150n, 10n], forecast: [90n, null], actual: [60n, null] });
});

it('compares a line over the periods that have a figure only', () => {
  const budget = [100n, 100n, 100n];
  expect({
    twoActuals: lineVariance([90n, 120n, null], budget, false),
    percent: lineVariance([90n, 120n, null], budget, true),
    none: lineVariance([null, null, null], budget, false),
  }).toEqual({ twoActuals: 10n, percent: 500n, none: null });
});
