import type { EntityManager, MikroORM } from '@mikro-orm/core';

/**
 * Where entity defaults (created_at, updated_at, at) read the time. The app's clock is registered
 * for its ORM once (`useClock`), so an entity created under a test's manual clock is stamped with
 * that clock's time, as the code that created it sees it. An ORM with no registered clock uses
 * the system time.
 */
export interface TimeSource {
  now(): Date;
}

const clocks = new WeakMap<object, TimeSource>();

export function useClock(orm: MikroORM, clock: TimeSource): void {
  clocks.set(orm.config, clock);
}

export function clockOf(em: EntityManager): TimeSource {
  return clocks.get(em.config) ?? systemTime;
}

const systemTime: TimeSource = { now: () => new Date() };
