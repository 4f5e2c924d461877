/**
 * Variance of a forecast against its budget, exact in minor units: forecast − budget and
 * actual − budget per cell, line and period, and the percentage of the budget (in basis points,
 * rounded half away from zero; none where the budget is empty or zero).
 */
export interface Figures {
  budget: (bigint | null)[];
  forecast: (bigint | null)[];
  actual: (bigint | null)[];
}

export type VarianceKind = 'forecast' | 'actual';

/** x − budget, or null when x is empty. */
export function difference(x: bigint | null, budget: bigint | null): bigint | null {
  return x === null ? null : x - (budget ?? 0n);
}

/** (x − budget) / budget in basis points (1% = 100), or null when there is nothing to compare. */
export function basisPoints(x: bigint | null, budget: bigint | null): bigint | null {
  if (x === null || budget === null || budget === 0n) return null;
  const numerator = (x - budget) * 10_000n;
  const sign = numerator < 0n !== budget < 0n ? -1n : 1n;
  const abs = (v: bigint) => (v < 0n ? -v : v);
  return sign * ((abs(numerator) * 2n + abs(budget)) / (2n * abs(budget)));
}

export function sumOf(values: (bigint | null)[]): bigint | null {
  return values.some((v) => v !== null) ? values.reduce<bigint>((s, v) => s + (v ?? 0n), 0n) : null;
}

/** Per period: the column sums of the lines' figures. */
export function periodTotals(lines: Figures[], periods: number): Figures {
  const column = (pick: (l: Figures) => (bigint | null)[]) =>
    Array.from({ length: periods }, (_, i) => sumOf(lines.map((l) => pick(l)[i] ?? null)));
  return { budget: column((l) => l.budget), forecast: column((l) => l.forecast), actual: column((l) => l.actual) };
}

export function formatBasisPoints(bp: bigint, locale: string): string {
  const sign = bp < 0n ? '−' : bp > 0n ? '+' : '';
  const abs = bp < 0n ? -bp : bp;
  const whole = abs / 100n;
  const cents = String(abs % 100n).padStart(2, '0');
  const decimal = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
  return `${sign}${whole.toLocaleString(locale)}${decimal}${cents}%`;
}

/**
 * A line's variance over the periods that have a figure: comparing a year's budget with three
 * months of actuals would show a shortfall that is only time not yet passed.
 */
export function lineVariance(x: (bigint | null)[], budget: (bigint | null)[], percent: boolean): bigint | null {
  const with_ = x.flatMap((v, i) => (v === null ? [] : [i]));
  if (!with_.length) return null;
  const xs = with_.reduce((s, i) => s + (x[i] ?? 0n), 0n);
  const bs = with_.reduce((s, i) => s + (budget[i] ?? 0n), 0n);
  return percent ? basisPoints(xs, bs) : xs - bs;
}
