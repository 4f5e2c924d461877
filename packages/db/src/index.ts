export * from './clock.ts';
export * from './config.ts';
export * from './database.ts';
export * from './embedded.ts';
export * from './entities/index.ts';
export * from './insert-rows.ts';
export * from './migrate.ts';
export { migrationsList } from './migrations/index.ts';
export { ROLE_LABELS } from './roles.ts';
