/**
 * Wall-clock schedules across daylight-saving changes, on the runtime's own zone database. London
 * moves its clocks on 28 March 2027 (01:00 GMT → 02:00 BST) and 31 October 2027 (02:00 BST →
 * 01:00 GMT); New York on 14 March 2027; Sydney (southern hemisphere) on 4 April 2027 and
 * 3 October 2027. A daily 09:00 reminder must read 09:00 on the wall clock on every day either
 * side, which means 23 or 25 hours between two occurrences, never a skipped or doubled day.
 */
import { expect, it } from 'vitest';
import { localParts, nextOccurrence, type WallClockSchedule, zonedInstant } from './schedule.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;

function occurrences(s: WallClockSchedule, from: string, count: number, zone: string): string[] {
  const out: string[] = [];
  let after = new Date(from);
  for (let i = 0; i < count; i++) {
    const next = nextOccurrence(s, after, zone);
    if (!next) break;
    out.push(`${next.toISOString()} ${localParts(next, zone).date} ${localParts(next, zone).time}`);
    after = next;
  }
  return out;
}

const daily = (localDate: string, localTime = '09:00'): WallClockSchedule => ({
  schedule: 'daily',
  localDate,
  localTime,
  daysBefore: null,
  targetDate: null,
});

it('turns wall-clock times into instants, moving a time in the spring gap forward and taking the earlier of an autumn overlap', () => {
  expect({
    winter: iso(zonedInstant('2027-01-15', '09:00', 'Europe/London')),
    summer: iso(zonedInstant('2027-07-15', '09:00', 'Europe/London')),
    gap: iso(zonedInstant('2027-03-28', '01:30', 'Europe/London')),
    overlap: iso(zonedInstant('2027-10-31', '01:30', 'Europe/London')),
    newYork: iso(zonedInstant('2027-03-14', '02:30', 'America/New_York')),
    kolkata: iso(zonedInstant('2027-03-28', '09:00', 'Asia/Kolkata')),
    utc: iso(zonedInstant('2027-03-28', '09:00', 'UTC')),
  }).toEqual({
    winter: '2027-01-15T09:00:00.000Z',
    summer: '2027-07-15T08:00:00.000Z',
    gap: '2027-03-28T01:30:00.000Z', // 02:30 BST
    overlap: '2027-10-31T00:30:00.000Z', // the first 01:30, still BST
    newYork: '2027-03-14T07:30:00.000Z', // 03:30 EDT
    kolkata: '2027-03-28T03:30:00.000Z',
    utc: '2027-03-28T09:00:00.000Z',
  });
});

it('fires a daily 09:00 reminder at 09:00 local on each day across both London changes, once a day', () => {
  expect({
    spring: occurrences(daily('2027-03-26'), '2027-03-26T00:00:00Z', 4, 'Europe/London'),
    autumn: occurrences(daily('2027-10-29'), '2027-10-29T00:00:00Z', 4, 'Europe/London'),
    sydney: occurrences(daily('2027-04-03'), '2027-04-02T00:00:00Z', 3, 'Australia/Sydney'),
  }).toEqual({
    spring: [
      '2027-03-26T09:00:00.000Z 2027-03-26 09:00',
      '2027-03-27T09:00:00.000Z 2027-03-27 09:00',
      '2027-03-28T08:00:00.000Z 2027-03-28 09:00',
      '2027-03-29T08:00:00.000Z 2027-03-29 09:00',
    ],
    autumn: [
      '2027-10-29T08:00:00.000Z 2027-10-29 09:00',
      '2027-10-30T08:00:00.000Z 2027-10-30 09:00',
      '2027-10-31T09:00:00.000Z 2027-10-31 09:00',
      '2027-11-01T09:00:00.000Z 2027-11-01 09:00',
    ],
    sydney: [
      '2027-04-02T22:00:00.000Z 2027-04-03 09:00',
      '2027-04-03T23:00:00.000Z 2027-04-04 09:00',
      '2027-04-04T23:00:00.000Z 2027-04-05 09:00',
    ],
  });
});

it('fires a reminder set inside the gap or the overlap once on those days', () => {
  expect({
    gap: occurrences(daily('2027-03-27', '01:30'), '2027-03-27T00:00:00Z', 3, 'Europe/London'),
    overlap: occurrences(daily('2027-10-30', '01:30'), '2027-10-30T00:00:00Z', 3, 'Europe/London'),
  }).toEqual({
    gap: [
      '2027-03-27T01:30:00.000Z 2027-03-27 01:30',
      '2027-03-28T01:30:00.000Z 2027-03-28 02:30',
      '2027-03-29T00:30:00.000Z 2027-03-29 01:30',
    ],
    overlap: [
      '2027-10-30T00:30:00.000Z 2027-10-30 01:30',
      '2027-10-31T00:30:00.000Z 2027-10-31 01:30',
      '2027-11-01T01:30:00.000Z 2027-11-01 01:30',
    ],
  });
});

it('keeps the weekday of a weekly reminder and the day of a monthly one (the last day of shorter months)', () => {
  const weekly: WallClockSchedule = { ...daily('2027-03-22'), schedule: 'weekly' }; // a Monday
  const monthly: WallClockSchedule = { ...daily('2027-01-31', '18:15'), schedule: 'monthly' };
  expect({
    weekly: occurrences(weekly, '2027-03-23T00:00:00Z', 3, 'Europe/London'),
    monthly: occurrences(monthly, '2027-01-01T00:00:00Z', 4, 'America/New_York'),
    // Years after the start, the next occurrence is found directly.
    later: iso(nextOccurrence(daily('2020-01-01'), new Date('2027-06-10T12:00:00Z'), 'Europe/London')),
  }).toEqual({
    weekly: [
      '2027-03-29T08:00:00.000Z 2027-03-29 09:00',
      '2027-04-05T08:00:00.000Z 2027-04-05 09:00',
      '2027-04-12T08:00:00.000Z 2027-04-12 09:00',
    ],
    monthly: [
      '2027-01-31T23:15:00.000Z 2027-01-31 18:15',
      '2027-02-28T23:15:00.000Z 2027-02-28 18:15',
      '2027-03-31T22:15:00.000Z 2027-03-31 18:15',
      '2027-04-30T22:15:00.000Z 2027-04-30 18:15',
    ],
    later: '2027-06-11T08:00:00.000Z',
  });
});

it('fires a one-off and a before-target reminder once, and not at all once passed or without a target date', () => {
  const once: WallClockSchedule = { ...daily('2027-05-01', '07:45'), schedule: 'once' };
  const before: WallClockSchedule = {
    schedule: 'before_target',
    localDate: null,
    localTime: '10:00',
    daysBefore: 3,
    targetDate: '2027-12-31',
  };
  expect({
    once: occurrences(once, '2027-04-01T00:00:00Z', 3, 'Europe/Berlin'),
    passed: iso(nextOccurrence(once, new Date('2027-05-02T00:00:00Z'), 'Europe/Berlin')),
    before: occurrences(before, '2027-01-01T00:00:00Z', 3, 'Asia/Tokyo'),
    noTarget: iso(nextOccurrence({ ...before, targetDate: null }, new Date('2027-01-01T00:00:00Z'), 'Asia/Tokyo')),
  }).toEqual({
    once: ['2027-05-01T05:45:00.000Z 2027-05-01 07:45'],
    passed: null,
    before: ['2027-12-28T01:00:00.000Z 2027-12-28 10:00'],
    noTarget: null,
  });
});
