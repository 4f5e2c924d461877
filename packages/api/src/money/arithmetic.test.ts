/**
 * Splitting money must never create or lose a minor unit: a yearly budget of 1,000.00 split over
 * 12 months is eight months of 83.33 and four of 83.34, adding up to 1,000.00 exactly. allocate
 * uses the largest-remainder method; besides worked examples, every total from -40 to 40 is split
 * by every triple of ratios from 0 to 4, and the properties that matter are checked for each.
 */
import { describe, expect, it } from 'vitest';
import { add, allocate, negate, sum } from './index.ts';

describe('allocate', () => {
  it('splits totals by ratios, worked by hand', () => {
    expect({
      thirds: allocate(100n, [1, 1, 1]),
      negativeThirds: allocate(-100n, [1, 1, 1]),
      months: allocate(100000n, Array(12).fill(1)),
      weighted: allocate(100n, [1n, 2n, 3n]),
      exact: allocate(10n, [3, 7]),
      oneCent: allocate(1n, [1, 1]),
      zeroRatio: allocate(5n, [0, 1, 0]),
      zeroTotal: allocate(0n, [1, 2]),
      huge: allocate(10n ** 30n + 1n, [1, 1]),
    }).toEqual({
      thirds: [34n, 33n, 33n],
      negativeThirds: [-34n, -33n, -33n],
      months: [8334n, 8334n, 8334n, 8334n, 8333n, 8333n, 8333n, 8333n, 8333n, 8333n, 8333n, 8333n],
      // 16.67, 33.33, 50: remainders 4/6, 2/6, 0/6, so the first share takes the spare unit.
      weighted: [17n, 33n, 50n],
      exact: [3n, 7n],
      oneCent: [1n, 0n],
      zeroRatio: [0n, 5n, 0n],
      zeroTotal: [0n, 0n],
      huge: [500000000000000000000000000001n, 500000000000000000000000000000n],
    });
  });

  it('always adds up, stays within one unit of the exact share, and mirrors for negatives', () => {
    const broken: string[] = [];
    let splits = 0;
    for (let total = -40n; total <= 40n; total++) {
      for (let a = 0; a <= 4; a++) {
        for (let b = 0; b <= 4; b++) {
          for (let c = 0; c <= 4; c++) {
            if (a + b + c === 0) continue;
            const ratios = [a, b, c];
            const shares = allocate(total, ratios);
            const weight = BigInt(a + b + c);
            splits += 1;
            const addsUp = sum(shares) === total;
            // |share − total × ratio / weight| < 1, kept in integers.
            const close = shares.every((share, i) => {
              const gap = share * weight - total * BigInt(ratios[i]!);
              return gap < weight && -gap < weight;
            });
            const mirrored = allocate(-total, ratios).every((share, i) => share === -shares[i]!);
            const zeroForZero = ratios.every((ratio, i) => ratio !== 0 || shares[i] === 0n);
            if (!(addsUp && close && mirrored && zeroForZero)) broken.push(`${total} by ${ratios}: ${shares}`);
          }
        }
      }
    }
    expect({ splits, broken }).toEqual({ splits: 81 * 124, broken: [] });
  });

  it('refuses ratios that cannot split money', () => {
    const message = (run: () => unknown) => {
      try {
        run();
        return 'no error';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect({
      none: message(() => allocate(100n, [])),
      allZero: message(() => allocate(100n, [0, 0])),
      negative: message(() => allocate(100n, [-1, 2])),
      fractional: message(() => allocate(100n, [1.5, 1])),
      numberTotal: message(() => allocate(100 as unknown as bigint, [1])),
    }).toEqual({
      none: 'allocate needs at least one ratio above zero.',
      allZero: 'allocate needs at least one ratio above zero.',
      negative: 'allocate takes ratios of zero or more; got -1.',
      fractional: 'allocate takes whole-number ratios; got 1.5.',
      numberTotal: 'Money is counted in bigint minor units; got number 100.',
    });
  });
});

describe('add, sum, negate', () => {
  it('count exactly in bigint and refuse a JS number slipping in', () => {
    expect({
      add: add(9007199254740993n, 2n),
      sum: sum([1n, -2n, 3n]),
      sumOfNothing: sum([]),
      sumOfGenerator: sum(
        (function* () {
          yield 10n ** 20n;
          yield 1n;
        })(),
      ),
      negate: negate(-5n),
    }).toEqual({
      add: 9007199254740995n,
      sum: 2n,
      sumOfNothing: 0n,
      sumOfGenerator: 100000000000000000001n,
      negate: 5n,
    });
    expect(() => sum([1n, 0.1 as unknown as bigint])).toThrow(
      'Money is counted in bigint minor units; got number 0.1.',
    );
  });
});
