/**
 * The production topology: servers with JOBS_IN_PROCESS=false and a separate jobs process. A
 * bulk registration queued through the server stays queued until the jobs process (started as
 * operators start it, `node apps/jobs/src/main.ts`) picks it up and finishes it. Its HTTP port
 * answers the probes and, with the bearer token, /metrics with the job counted; its log line
 * carries the trace and span ids.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from '@goalpost/db';
import { eventually, startTestApp, type TestApp } from '@goalpost/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

let t: TestApp;
let worker: ChildProcess | undefined;
let workerLog = '';
const TOKEN = 'jobs-metrics-token-0123456789';
beforeAll(async () => {
  t = await startTestApp({ JOBS_IN_PROCESS: 'false' });
});
afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((r) => worker?.once('exit', r));
    worker.kill('SIGTERM');
    await exited;
  }
  await t?.close();
});

it('leaves jobs queued without a worker, and the standalone jobs process completes them', async () => {
  const admin = await t.admin();
  const csv = 'email,name\nsolo1@jobs.test,Solo One\nsolo2@jobs.test,Solo Two\n';
  const { importId } = await admin.trpc.users.bulkValidate.mutate({ fileName: 'solo.csv', csv });
  await admin.trpc.users.bulkCommit.mutate({ importId });
  const whileNoWorker = (await admin.trpc.users.bulkStatus.query({ importId })).status;

  const databaseUrl = t.app.services.orm.config.get('clientUrl');
  const port = await freePort();
  worker = spawn(process.execPath, [resolve(import.meta.dirname, 'main.ts')], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'info',
      PUBLIC_URL: t.url,
      JOBS_HTTP_PORT: String(port),
      METRICS_TOKEN: TOKEN,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout?.on('data', (chunk: Buffer) => {
    workerLog += chunk.toString();
  });
  worker.stderr?.on('data', (chunk: Buffer) => {
    workerLog += chunk.toString();
  });
  const done = await eventually(async () => {
    const status = await admin.trpc.users.bulkStatus.query({ importId });
    return status.status === 'done' ? status : undefined;
  }, 60_000).catch((error: Error) => {
    throw new Error(`${error.message}\nworker output:\n${workerLog}`);
  });
  // The job's log line is written just after its work commits: wait for it too.
  const jobLine = await eventually(async () =>
    workerLog
      .split('\n')
      .filter(Boolean)
      .map(
        (line) =>
          JSON.parse(line) as { msg?: string; queue?: string; outcome?: string; trace_id?: string; span_id?: string },
      )
      .find((line) => line.msg === 'job done' && line.queue === 'users-bulk-register'),
  ).catch(() => undefined);
  // The orchestrator's probes (the chart's jobs Deployment): alive, and ready once the workers run.
  const probe = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    return [res.status, await res.json()];
  };
  const metrics = async (authorization?: string) => {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, {
      headers: authorization ? { Authorization: authorization } : {},
    });
    return [res.status, await res.text()] as const;
  };
  const [metricsStatus, metricsText] = await eventually(async () => {
    const answer = await metrics(`Bearer ${TOKEN}`);
    return answer[1].includes('goalpost_queue_jobs{') ? answer : undefined;
  }).catch(() => metrics(`Bearer ${TOKEN}`));
  expect({
    whileNoWorker,
    done: [done.status, done.processedRows],
    jobLine: [
      jobLine?.outcome,
      /^[0-9a-f]{32}$/.test(jobLine?.trace_id ?? ''),
      /^[0-9a-f]{16}$/.test(jobLine?.span_id ?? ''),
    ],
    metrics: [
      metricsStatus,
      metricsText.includes('goalpost_jobs_total{queue="users-bulk-register",outcome="done"} 1'),
      metricsText.includes('goalpost_queue_jobs{queue="users-bulk-register",state="queued"}'),
      (await metrics())[0],
    ],
    healthz: await probe('/healthz'),
    // Ready once every worker is registered, which may finish after the first job did.
    readyz: await eventually(async () => {
      const answer = await probe('/readyz');
      return answer[0] === 200 ? answer : undefined;
    }),
  }).toEqual({
    whileNoWorker: 'queued',
    done: ['done', 2],
    jobLine: ['done', true, true],
    metrics: [200, true, true, 401],
    healthz: [200, { status: 'ok' }],
    readyz: [200, { status: 'ready' }],
  });
});
