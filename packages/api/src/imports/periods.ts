/**
 * Reading the period in a column header. A period is the first day of its month, `YYYY-MM-01`; a
 * quarter is named by its first month and flagged `quarterly`. Recognised headers (case and
 * spacing do not matter):
 *
 * - months: `Jan 2027`, `January 2027`, `Jan-27`, `Jan '27`, `2027 Jan`, `2027-01`, `2027/01`,
 *   `2027-01-01` (any day names its month), `01/2027`, `1.2027`; month names in English and in the
 *   file's locale (`Januar 2027`, `janv. 2027`), learnt from Intl;
 * - quarters: `Q1 2027`, `2027 Q1`, `Q1-27` (calendar quarters);
 * - fiscal: `FY27 M01`, `FY2027 P01`, `M01 FY27`, `FY27 Q1`, `Q1 FY27`. `FY27` is the fiscal year
 *   that ENDS in 2027 (the usual corporate and US federal convention); its first month is the
 *   `fiscalYearStartMonth` option (default January, when FY27 is the calendar year 2027). With a
 *   July start, `FY27 M01` is July 2026 and `FY27 M07` is January 2027;
 * - dates: header cells typed as dates (exceljs gives a Date) and date serial numbers (46388 is
 *   2027-01-01; formula results and Google's unformatted values come as serials).
 *
 * Headers without a year (`January`, `Q1`, `M01`) take it from a cell above them in the header
 * band (a merged `2027` or `FY27` spanning the months) or from the `year` option; see mapping.ts.
 */

export type Granularity = 'monthly' | 'quarterly';
/** The first day of a month: `2027-01-01`. */
export type Period = string;

export type HeaderReading =
  /** A complete period: a month, or a quarter named by its first month. */
  | { kind: 'period'; granularity: Granularity; year: number; month: number }
  /** A month name without a year (`January`, `Jan`). */
  | { kind: 'month'; month: number }
  /** A fiscal month number without a year (`M01`, `P01`). */
  | { kind: 'fiscal-month'; month: number }
  /** A quarter without a year (`Q1`). */
  | { kind: 'quarter'; quarter: number }
  /** A year alone (`2027`, `FY27`): context for the headers below it, or a year-total column. */
  | { kind: 'year'; year: number; fiscal: boolean };

export interface PeriodContext {
  /** Locale of the file: month names are also read in it. */
  locale: string;
  /** 1-12: the month a fiscal year starts in. */
  fiscalYearStartMonth: number;
  /** The 1904 date system (old Mac Excel files): serials count from 1904-01-01. */
  date1904?: boolean;
}

/** Date serials from 2000-01-01 to 2099-12-31: far from any plausible budget amount of a header. */
const SERIAL_MIN = 36_526;
const SERIAL_MAX = 73_050;

export function period(year: number, month: number): Period {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`;
}

export function periodParts(value: Period): { year: number; month: number } {
  return { year: Number(value.slice(0, 4)), month: Number(value.slice(5, 7)) };
}

export function addMonths(value: Period, months: number): Period {
  const { year, month } = periodParts(value);
  const index = year * 12 + (month - 1) + months;
  return period(Math.floor(index / 12), (index % 12) + 1);
}

/** `Jan 2027` for a month, `Q1 2027` (calendar) or `Jan–Mar 2027` style for a quarter start. */
export function periodLabel(value: Period, granularity: Granularity = 'monthly'): string {
  const { year, month } = periodParts(value);
  const name = ENGLISH_SHORT[month - 1];
  if (granularity === 'monthly') return `${name} ${year}`;
  const last = periodParts(addMonths(value, 2));
  return `${name} ${year}–${ENGLISH_SHORT[last.month - 1]} ${last.year}`;
}

/** The calendar month `fiscalMonth` (1-12) of fiscal year `fiscalYear` (the year it ends in). */
export function fiscalPeriod(fiscalYear: number, fiscalMonth: number, startMonth: number): Period {
  const startYear = startMonth === 1 ? fiscalYear : fiscalYear - 1;
  return addMonths(period(startYear, startMonth), fiscalMonth - 1);
}

/** A date serial (days since 1899-12-30, or 1904-01-01) as a UTC date; Lotus's 1900-02-29 aside. */
export function serialToDate(serial: number, date1904 = false): Date {
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  return new Date(epoch + Math.round(serial * 86_400_000));
}

export function isDateSerial(value: number): boolean {
  return Number.isInteger(value) && value >= SERIAL_MIN && value <= SERIAL_MAX;
}

const twoOrFour = (digits: string) => (digits.length === 2 ? 2000 + Number(digits) : Number(digits));
const monthNumber = (value: string) => {
  const n = Number(value);
  return n >= 1 && n <= 12 ? n : null;
};
const monthly = (year: number, month: number | null | undefined): HeaderReading | null =>
  month ? { kind: 'period', granularity: 'monthly', year, month } : null;
const quarterly = (year: number, quarter: number): HeaderReading => ({
  kind: 'period',
  granularity: 'quarterly',
  year,
  month: (quarter - 1) * 3 + 1,
});
function fiscal(fy: number, fiscalMonth: number, granularity: Granularity, ctx: PeriodContext): HeaderReading | null {
  if (fiscalMonth < 1 || fiscalMonth > 12) return null;
  const { year, month } = periodParts(fiscalPeriod(fy, fiscalMonth, ctx.fiscalYearStartMonth));
  return { kind: 'period', granularity, year, month };
}

type Rule = [RegExp, (m: string[], ctx: PeriodContext) => HeaderReading | null];

/** Header spellings, tried in order on the lower-cased, single-spaced text. */
const RULES: Rule[] = [
  // 2027-01, 2027/01, 2027.01, 2027-01-15
  [/^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?$/, (m) => monthly(Number(m[1]), monthNumber(m[2]!))],
  // 01/2027, 1.2027, 01-2027
  [/^(\d{1,2})[-/.](\d{4})$/, (m) => monthly(Number(m[2]), monthNumber(m[1]!))],
  // FY27 M01, FY2027 P1, FY 27-M01; M01 FY27
  [
    /^fy ?'?(\d{2}|\d{4}) ?[-/ ]? ?[mp] ?(\d{1,2})$/,
    (m, ctx) => fiscal(twoOrFour(m[1]!), Number(m[2]), 'monthly', ctx),
  ],
  [
    /^[mp] ?(\d{1,2}) ?[-/ ]? ?fy ?'?(\d{2}|\d{4})$/,
    (m, ctx) => fiscal(twoOrFour(m[2]!), Number(m[1]), 'monthly', ctx),
  ],
  // FY27 Q1, Q1 FY27
  [
    /^fy ?'?(\d{2}|\d{4}) ?[-/ ]? ?q([1-4])$/,
    (m, ctx) => fiscal(twoOrFour(m[1]!), (Number(m[2]) - 1) * 3 + 1, 'quarterly', ctx),
  ],
  [
    /^q([1-4]) ?[-/ ]? ?fy ?'?(\d{2}|\d{4})$/,
    (m, ctx) => fiscal(twoOrFour(m[2]!), (Number(m[1]) - 1) * 3 + 1, 'quarterly', ctx),
  ],
  // Q1 2027, Q1-27, Q1 '27; 2027 Q1, 2027-Q1; Q1 alone
  [/^q([1-4]) ?[-/ ]? ?'?(\d{2}|\d{4})$/, (m) => quarterly(twoOrFour(m[2]!), Number(m[1]))],
  [/^(\d{4}) ?[-/ ]? ?q([1-4])$/, (m) => quarterly(Number(m[1]), Number(m[2]))],
  [/^q([1-4])$/, (m) => ({ kind: 'quarter', quarter: Number(m[1]) })],
  // M01 alone
  [
    /^[mp] ?(\d{1,2})$/,
    (m) => {
      const month = monthNumber(m[1]!);
      return month ? { kind: 'fiscal-month', month } : null;
    },
  ],
  // FY27, 2027
  [/^fy ?'?(\d{2}|\d{4})$/, (m) => ({ kind: 'year', year: twoOrFour(m[1]!), fiscal: true })],
  [
    /^(\d{4})$/,
    (m) => {
      const year = Number(m[1]);
      return year >= 1900 && year <= 2200 ? { kind: 'year', year, fiscal: false } : null;
    },
  ],
  // Jan 2027, January 2027, Jan-27, Jan '27, janv. 2027; 2027 Jan; January alone
  [/^(\p{L}+)\.? ?[-/ ]? ?'?(\d{2}|\d{4})$/u, (m, ctx) => monthly(twoOrFour(m[2]!), monthNames(ctx.locale).get(m[1]!))],
  [/^(\d{4}) ?[-/ ]? ?(\p{L}+)\.?$/u, (m, ctx) => monthly(Number(m[1]), monthNames(ctx.locale).get(m[2]!))],
  [
    /^(\p{L}+)\.?$/u,
    (m, ctx) => {
      const month = monthNames(ctx.locale).get(m[1]!);
      return month ? { kind: 'month', month } : null;
    },
  ],
];

/** Reads a header cell's text; null when it names no period or year. */
export function readHeaderText(text: string, ctx: PeriodContext): HeaderReading | null {
  const t = text.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
  if (t === '' || t.length > 40) return null;
  for (const [pattern, read] of RULES) {
    const match = pattern.exec(t);
    if (match) return read(match, ctx);
  }
  return null;
}

/** A header cell typed as a date, or a date serial number. */
export function readHeaderDate(date: Date): HeaderReading {
  return { kind: 'period', granularity: 'monthly', year: date.getUTCFullYear(), month: date.getUTCMonth() + 1 };
}

const ENGLISH_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const monthNameCache = new Map<string, Map<string, number>>();

/**
 * Month names, long and short, in English and in `locale` (format and stand-alone forms), lower
 * case, with and without accents and trailing dots: `januar`, `janv`, `févr`, `fevr`, `sept`.
 */
function monthNames(locale: string): Map<string, number> {
  const cached = monthNameCache.get(locale);
  if (cached) return cached;
  const names = new Map<string, number>([['sept', 9]]);
  for (const where of ['en', locale]) {
    for (const style of ['long', 'short'] as const) {
      const standAlone = new Intl.DateTimeFormat(where, { month: style, timeZone: 'UTC' });
      const inDate = new Intl.DateTimeFormat(where, { month: style, day: 'numeric', timeZone: 'UTC' });
      for (let mo = 1; mo <= 12; mo++) {
        const date = new Date(Date.UTC(2027, mo - 1, 15));
        const forms = [
          standAlone.format(date),
          inDate.formatToParts(date).find((part) => part.type === 'month')?.value ?? '',
        ];
        for (const form of forms) {
          const name = form.toLowerCase().replace(/\.$/, '').trim();
          if (!/^\p{L}+$/u.test(name)) continue;
          if (!names.has(name)) names.set(name, mo);
          const plain = name.normalize('NFD').replace(/\p{M}/gu, '');
          if (!names.has(plain)) names.set(plain, mo);
        }
      }
    }
  }
  monthNameCache.set(locale, names);
  return names;
}
