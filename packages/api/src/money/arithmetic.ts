/**
 * Arithmetic on minor units. Amounts are bigints, so `+` is already exact; these exist so that
 * callers sum and split money in one way, and so a JS number slipping in (a value read from JSON
 * without the transformer) fails loudly instead of mixing float into money.
 */

export function add(a: bigint, b: bigint): bigint {
  return expectMinor(a) + expectMinor(b);
}

export function sum(amounts: Iterable<bigint>): bigint {
  let total = 0n;
  for (const amount of amounts) total += expectMinor(amount);
  return total;
}

export function negate(minor: bigint): bigint {
  return -expectMinor(minor);
}

/**
 * Splits `total` in proportion to integer `ratios` by the largest-remainder method: every share
 * is within one minor unit of its exact proportion and the shares add up to `total` exactly. Ties
 * go to the earlier share, so the same call always gives the same split. A negative total splits
 * as the mirror image of the positive one.
 */
export function allocate(total: bigint, ratios: readonly (bigint | number)[]): bigint[] {
  expectMinor(total);
  const weights = ratios.map((ratio) => {
    if (typeof ratio === 'number' && !Number.isSafeInteger(ratio)) {
      throw new RangeError(`allocate takes whole-number ratios; got ${ratio}.`);
    }
    const weight = BigInt(ratio);
    if (weight < 0n) throw new RangeError(`allocate takes ratios of zero or more; got ${ratio}.`);
    return weight;
  });
  const weightSum = sum(weights);
  if (weightSum === 0n) throw new RangeError('allocate needs at least one ratio above zero.');
  const magnitude = total < 0n ? -total : total;
  const shares = weights.map((weight) => (magnitude * weight) / weightSum);
  const remainders = weights.map((weight, index) => ({ index, remainder: (magnitude * weight) % weightSum }));
  remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  const left = Number(magnitude - sum(shares));
  for (const { index } of remainders.slice(0, left)) shares[index]! += 1n;
  return total < 0n ? shares.map((share) => -share) : shares;
}

function expectMinor(value: bigint): bigint {
  if (typeof value !== 'bigint') {
    throw new TypeError(`Money is counted in bigint minor units; got ${typeof value} ${String(value)}.`);
  }
  return value;
}
