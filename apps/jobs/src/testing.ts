/**
 * Test helper: standalone jobs processes (`node apps/jobs/src/main.ts`, as operators run them)
 * against a test app started with JOBS_IN_PROCESS=false. `start()` spawns one with pg-boss
 * supervision every second and its probes on a free port; `stopAll()` (for afterAll) ends every one still running with SIGTERM
 * and waits for it to exit.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { TestApp } from '@goalpost/testing';
import { JOBS_NODE_FLAGS } from './heap.ts';

export interface JobsProcesses {
  /** Spawns a jobs process; `env` is added to (and overrides) the default environment. */
  start(env?: Record<string, string>): ChildProcess;
  stopAll(): Promise<void>;
}

/** `app` is read when a process starts, so it may be called before beforeAll has set the app. */
export function jobsProcesses(app: () => TestApp): JobsProcesses {
  const workers: ChildProcess[] = [];
  return {
    start(env = {}) {
      const t = app();
      const worker = spawn(process.execPath, [...JOBS_NODE_FLAGS, resolve(import.meta.dirname, 'main.ts')], {
        env: {
          ...process.env,
          DATABASE_URL: t.app.services.orm.config.get('clientUrl') as string,
          LOG_LEVEL: 'warn',
          PUBLIC_URL: t.url,
          JOBS_SUPERVISE_SECONDS: '1',
          // Its probes on a port of the system's choosing: test files running side by side each
          // spawn jobs processes, which would otherwise all want the default 3001.
          JOBS_HTTP_PORT: '0',
          ...env,
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      workers.push(worker);
      return worker;
    },
    async stopAll() {
      for (const w of workers) {
        if (w.exitCode === null && w.signalCode === null) {
          const exited = new Promise((r) => w.once('exit', r));
          w.kill('SIGTERM');
          await exited;
        }
      }
    },
  };
}
