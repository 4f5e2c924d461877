export { bossJobQueue, queueOptions, startBoss } from './boss.ts';
export { handlers, startWorkers, type WorkerDeps } from './workers.ts';
