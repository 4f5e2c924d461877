export * from './config.ts';
export * from './database.ts';
export * from './embedded.ts';
export * from './entities/index.ts';
export * from './insert-rows.ts';
export * from './migrate.ts';
