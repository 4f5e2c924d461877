import { randomUUID } from 'node:crypto';
import { p } from '@mikro-orm/core';
import { clockOf } from '../clock.ts';

/**
 * Columns most tables share, written once: a random uuid key and timestamps taken
 * from the app's clock (see clock.ts), never from `new Date()` behind the clock's back.
 */
export const uuidKey = () =>
  p
    .uuid()
    .primary()
    .onCreate(() => randomUUID());

/** Set once, when the row is created. */
export const createdStamp = () => p.datetime().onCreate((_entity, em) => clockOf(em).now());

/** Set when the row is created and on every update through the ORM. */
export const updatedStamp = () =>
  p
    .datetime()
    .onCreate((_entity, em) => clockOf(em).now())
    .onUpdate((_entity, em) => clockOf(em).now());
