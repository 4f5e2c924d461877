/**
 * A budget's periods: the first day of each month (monthly) or quarter (quarterly), as ISO dates
 * ('2027-01-01'), from its first period to its last. Free of imports so the web app labels periods
 * with the same rules (`@goalpost/api/periods`).
 */
export const GRANULARITIES = ['monthly', 'quarterly'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

const STEP: Record<Granularity, number> = { monthly: 1, quarterly: 3 };

/** 'YYYY-MM-01' for a year and a 0-based month index (which may run past December). */
export function monthStart(year: number, monthIndex: number): string {
  const y = year + Math.floor(monthIndex / 12);
  const m = ((monthIndex % 12) + 12) % 12;
  return `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}-01`;
}

function parts(period: string): { year: number; month: number } {
  const match = /^(\d{4})-(\d{2})-01$/.exec(period);
  if (!match) throw new RangeError(`Not a period start: ${period}`);
  return { year: Number(match[1]), month: Number(match[2]) - 1 };
}

export function isPeriodStart(value: string, granularity: Granularity = 'monthly'): boolean {
  const match = /^(\d{4})-(\d{2})-01$/.exec(value);
  if (!match) return false;
  const month = Number(match[2]);
  return month >= 1 && month <= 12 && (month - 1) % STEP[granularity] === 0;
}

/** The period `count - 1` steps after `start`: the last of `count` periods. */
export function lastPeriod(start: string, count: number, granularity: Granularity): string {
  const { year, month } = parts(start);
  return monthStart(year, month + (count - 1) * STEP[granularity]);
}

export function periodsBetween(start: string, end: string, granularity: Granularity): string[] {
  const { year, month } = parts(start);
  const periods: string[] = [];
  for (let i = 0; ; i += STEP[granularity]) {
    const period = monthStart(year, month + i);
    if (period > end) break;
    periods.push(period);
  }
  return periods;
}

/** 'Jan 2027' or 'Q1 2027' in the viewer's language. */
export function periodLabel(period: string, granularity: Granularity, locale = 'en-GB'): string {
  const { year, month } = parts(period);
  if (granularity === 'quarterly') return `Q${Math.floor(month / 3) + 1} ${year}`;
  return new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    Date.UTC(year, month, 1),
  );
}
