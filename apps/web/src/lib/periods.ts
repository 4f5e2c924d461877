import { type Granularity, periodLabel } from '@goalpost/api/periods';
import { userLocale } from './money.ts';

export type { Granularity };

/** 'Jan 2027' or 'Q1 2027' in the reader's language. */
export function labelOf(period: string, granularity: Granularity = 'monthly'): string {
  return periodLabel(period, granularity, userLocale());
}

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** A calendar date ('2027-12-31') as "31 Dec 2027". */
export function formatDate(iso: string | null | undefined, fallback = '—'): string {
  if (!iso) return fallback;
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? iso : DATE.format(date);
}
