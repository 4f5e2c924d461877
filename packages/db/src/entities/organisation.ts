import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { createdStamp, uuidKey } from './columns.ts';

/** The tenant. One exists today; every other table carries org_id so more can follow. */
export const Organisation = defineEntity({
  name: 'Organisation',
  tableName: 'organisations',
  properties: {
    id: uuidKey(),
    name: p.string().length(200),
    createdAt: createdStamp(),
  },
});
export type Organisation = InferEntity<typeof Organisation>;

/** The tenant column every other table carries (org_id), removed with its organisation. */
export const tenant = () => p.manyToOne(Organisation).deleteRule('cascade');
