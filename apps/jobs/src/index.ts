export { bossSchemaPlans, startBoss } from './boss.ts';
export type { QueueHandler } from './handler.ts';
export { JOBS_NODE_FLAGS } from './heap.ts';
export { observeRuntime } from './metrics.ts';
export { handlers, startWorkers } from './workers.ts';
