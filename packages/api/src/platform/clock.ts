import { systemClock as systemTimers, TestClock, type Clock as TimerClock } from 'pg-boss';

/**
 * Code reads "now" from the clock it is given, never from `new Date()`: services, entity defaults
 * (registered with the ORM through `useClock`), bootstrap, and pg-boss, which takes `timers` for
 * its polls, retries and schedules and, under a test clock, reads the same time inside PostgreSQL.
 * So a test moves time by hand and JavaScript, the database and the job queue agree on it.
 */
export interface Clock {
  now(): Date;
  /** The same clock in pg-boss's shape (epoch ms and timers). */
  readonly timers: TimerClock;
}

export const systemClock: Clock = { now: () => new Date(), timers: systemTimers };

/**
 * A clock a test sets and advances by hand (pg-boss's TestClock underneath). Time moves only
 * through `advance` and `set`; pg-boss's timers (worker polls, schedules) fire only as it moves,
 * so a test waiting for a job advances the clock (the harness's `eventually` does).
 */
export class ManualClock implements Clock {
  readonly timers: TestClock;
  constructor(start: Date = new Date('2027-01-04T09:00:00Z')) {
    this.timers = new TestClock(start);
  }
  now(): Date {
    return new Date(this.timers.now());
  }
  /**
   * Moves time forward by `ms`. pg-boss timers the jump passes fire once, as after a sleep (not
   * once per period skipped: a month's jump does not replay a million one-second polls).
   */
  async advance(ms: number): Promise<void> {
    await this.timers.setTime(this.timers.now() + ms);
    await this.timers.tick(0);
  }
  set(at: Date): Promise<void> {
    return this.timers.setTime(at);
  }
}
