/**
 * When a reminder fires, in its owner's time zone. A reminder says "09:00 every day", meaning 09:00
 * on the wall clock wherever its owner lives, so each occurrence is computed from the local date
 * and time and only then turned into an instant; daylight-saving changes move the instant, never
 * the wall-clock time, and no day is skipped or fired twice.
 *
 * Node 24 has no Temporal yet, so wall-clock ⇄ instant goes through Intl (the IANA database the
 * runtime ships), with Temporal's "compatible" rules at the edges: a time that does not exist
 * (the spring-forward gap, 01:30 in London on the last Sunday of March) is moved forward by the
 * gap (02:30 BST); a time that exists twice (the autumn overlap) is the earlier of the two.
 */
import type { ReminderSchedule } from '@goalpost/db';

/** A calendar date, YYYY-MM-DD. */
export type LocalDate = string;
/** A time of day, HH:MM (24-hour). */
export type LocalTime = string;

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True for an IANA zone name the runtime knows (Europe/London, UTC, America/New_York…). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock in `timeZone` at `instant`, as epoch ms of the same wall-clock reading in UTC. */
function wallMs(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

/** The zone's offset from UTC at `instant`, in ms (London in summer: +3,600,000). */
function offsetAt(instant: number, timeZone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallMs(whole, timeZone) - whole;
}

/** The local date and time at `instant` in `timeZone`. */
export function localParts(instant: Date, timeZone: string): { date: LocalDate; time: LocalTime; hour: number } {
  const iso = new Date(wallMs(instant.getTime(), timeZone)).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16), hour: Number(iso.slice(11, 13)) };
}

function wallOf(date: LocalDate, time: LocalTime): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  return Date.UTC(y, m - 1, d, hh, mm);
}

/** The instant the wall clock in `timeZone` reads `date` `time` (gap: moved forward; overlap: the earlier). */
export function zonedInstant(date: LocalDate, time: LocalTime, timeZone: string): Date {
  const wall = wallOf(date, time);
  // The offsets in force a day either side cover any single transition on this date.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const candidates = [...new Set([before, after])]
    .map((offset) => wall - offset)
    .filter((instant) => wallMs(instant, timeZone) === wall)
    .sort((a, b) => a - b);
  // No candidate: the time falls in a spring-forward gap. The offset before the change reads it
  // as the moment the gap's length later, which is what the wall clock then shows.
  return new Date(candidates[0] ?? wall - before);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The `monthsLater`-th month's occurrence of `anchor`'s day of month, the 31st meaning the last day of shorter months. */
function monthlyDate(anchor: LocalDate, monthsLater: number): LocalDate {
  const [y, m, d] = anchor.split('-').map(Number) as [number, number, number];
  const index = m - 1 + monthsLater;
  const year = y + Math.floor(index / 12);
  const month = (index % 12) + 1;
  const day = Math.min(d, daysInMonth(year, month));
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** What a wall-clock schedule is made of (the reminders row's columns). */
export interface WallClockSchedule {
  schedule: Exclude<ReminderSchedule, 'approval'>;
  /** The first local date (once, daily, weekly, monthly). */
  localDate: LocalDate | null;
  localTime: LocalTime;
  /** before_target: how many days before the goal's target date. */
  daysBefore: number | null;
  /** before_target: the goal's target date. */
  targetDate: LocalDate | null;
}

/**
 * The first occurrence strictly after `after`, or null when there is none (a one-off reminder
 * that has passed, a goal without a target date). Missed occurrences are not caught up one by
 * one: after a pause, the next one is the next that lies ahead.
 */
export function nextOccurrence(s: WallClockSchedule, after: Date, timeZone: string): Date | null {
  const at = (date: LocalDate) => zonedInstant(date, s.localTime, timeZone);
  const later = (instant: Date) => instant.getTime() > after.getTime();
  if (s.schedule === 'once' || s.schedule === 'before_target') {
    const date = s.schedule === 'once' ? s.localDate : s.targetDate && addDays(s.targetDate, -(s.daysBefore ?? 0));
    if (!date) return null;
    const instant = at(date);
    return later(instant) ? instant : null;
  }
  const start = s.localDate;
  if (!start) return null;
  // Start a day before `after`'s local date (or at the first date): the local date of an instant
  // and the date whose occurrence follows it differ by at most one.
  const from = addDays(localParts(after, timeZone).date, -1);
  const skip = Math.max(0, daysBetween(start, from));
  if (s.schedule === 'daily') {
    for (let k = skip; ; k++) {
      const instant = at(addDays(start, k));
      if (later(instant)) return instant;
    }
  }
  if (s.schedule === 'weekly') {
    for (let k = Math.floor(skip / 7); ; k++) {
      const instant = at(addDays(start, 7 * k));
      if (later(instant)) return instant;
    }
  }
  for (let k = Math.max(0, Math.floor(skip / 31) - 1); ; k++) {
    const instant = at(monthlyDate(start, k));
    if (later(instant)) return instant;
  }
}
