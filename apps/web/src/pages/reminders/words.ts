/**
 * Reminders in words: when one fires ("Every Monday at 09:00, from 7 Dec 2026") and its next
 * firing in the owner's time zone. Dates of a schedule are wall-clock dates (no zone), so they are
 * formatted as dates at noon UTC, which no zone moves to another day.
 */
import type { Reminder } from '../../trpc.ts';

const day = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'UTC' });

function wallDate(iso: string): Date {
  return new Date(`${iso}T12:00:00Z`);
}

/** "7 Dec 2026" for a wall-clock date "2026-12-07". */
export function formatWallDate(iso: string): string {
  const date = wallDate(iso);
  return Number.isNaN(date.getTime()) ? iso : day.format(date);
}

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

/** When a reminder fires, in words; `targetDate` names the goal's date when the page knows it. */
export function scheduleInWords(schedule: Reminder['schedule'], targetDate?: string | null): string {
  switch (schedule.kind) {
    case 'once':
      return `Once, on ${formatWallDate(schedule.date)} at ${schedule.time}`;
    case 'daily':
      return `Every day at ${schedule.time}, from ${formatWallDate(schedule.startDate)}`;
    case 'weekly':
      return `Every ${weekday.format(wallDate(schedule.startDate))} at ${schedule.time}, from ${formatWallDate(schedule.startDate)}`;
    case 'monthly': {
      const dayOfMonth = Number(schedule.startDate.slice(8, 10));
      const last = dayOfMonth > 28 ? ' (or the month’s last day)' : '';
      return `Every month on the ${ordinal(dayOfMonth)}${last} at ${schedule.time}, from ${formatWallDate(schedule.startDate)}`;
    }
    case 'before_target': {
      const days = schedule.daysBefore === 1 ? '1 day' : `${schedule.daysBefore} days`;
      const target = targetDate ? `the target date (${formatWallDate(targetDate)})` : 'the goal’s target date';
      return schedule.daysBefore === 0
        ? `On ${target} at ${schedule.time}`
        : `${days} before ${target} at ${schedule.time}`;
    }
    default:
      return 'While the budget waits for approval, on the approval schedule';
  }
}

/** "Mon 7 Dec 2026, 09:00" in `timeZone`. */
export function formatInZone(at: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-GB', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone,
    }).format(at);
  } catch {
    return at.toISOString();
  }
}

/** Today's wall-clock date in `timeZone`, plus `days`: the default date of a new reminder. */
export function wallDateIn(timeZone: string, now: Date, days = 0): string {
  let today: string;
  try {
    today = new Intl.DateTimeFormat('en-CA', { timeZone }).format(now);
  } catch {
    today = now.toISOString().slice(0, 10);
  }
  const date = new Date(`${today}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
