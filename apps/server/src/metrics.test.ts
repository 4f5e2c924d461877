/**
 * GET /metrics as an operator's Prometheus sees it. The first test reads the text the server
 * answers: the token is required, and a sign-in, a refused call and a queued job move the counters
 * they should (read as differences: the registry is the process's, shared with other apps a test
 * file starts). The second starts a real Prometheus (Debian's package, installed by
 * scripts/ensure-prometheus.sh from `npm test`'s pretest) on a free port with a config and storage
 * of its own, lets it scrape this server with the bearer token, and reads the sign-in counter back
 * through Prometheus's HTTP API, as a dashboard would. The third serves /metrics on METRICS_PORT
 * alone: the traffic port then has none.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@goalpost/db';
import { ADMIN, eventually, startTestApp, type TestApp } from '@goalpost/testing';
import { rawCall } from '@goalpost/testing/client';
import { afterAll, beforeAll, expect, it } from 'vitest';

const TOKEN = 'metrics-token-for-the-test-0123456789';
const PROMETHEUS = '/usr/bin/prometheus';

let t: TestApp;
let prometheus: ChildProcess | undefined;
let promDir: string | undefined;
beforeAll(async () => {
  t = await startTestApp({ METRICS_TOKEN: TOKEN });
});
afterAll(async () => {
  if (prometheus && prometheus.exitCode === null) {
    const exited = new Promise((r) => prometheus?.once('exit', r));
    prometheus.kill('SIGTERM');
    await exited;
  }
  if (promDir) await rm(promDir, { recursive: true, force: true });
  await t?.close();
});

async function scrape(url = `${t.url}/metrics`): Promise<string> {
  const res = await fetch(url, { headers: { Authorization: `Bearer ${TOKEN}` } });
  if (res.status !== 200) throw new Error(`GET /metrics answered ${res.status}`);
  return res.text();
}

/** The value of one sample (`name{labels}`, labels in the order prom-client writes them), 0 if absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

it('answers only with the token, and counts procedures by outcome, jobs by queue, and the database parts', async () => {
  const login = 'goalpost_trpc_requests_total{procedure="auth.login",type="mutation",outcome="ok"}';
  const meRefused = 'goalpost_trpc_requests_total{procedure="users.list",type="query",outcome="UNAUTHORIZED"}';
  const loginTimed =
    'goalpost_trpc_request_duration_seconds_count{procedure="auth.login",type="mutation",outcome="ok"}';
  const resetJob = 'goalpost_jobs_total{queue="password-reset-request",outcome="done"}';
  const before = await scrape();

  await t.admin();
  await rawCall(t.url, 'users.list', { type: 'query', input: {} });
  await rawCall(t.url, 'auth.requestPasswordReset', { input: { email: ADMIN.email }, headers: { Origin: t.url } });
  const after = await eventually(async () => {
    const text = await scrape();
    return sample(text, resetJob) > sample(before, resetJob) ? text : undefined;
  });

  const unauthorised = await Promise.all(
    [undefined, 'Bearer wrong-token-of-the-same-sort-0000', TOKEN].map(
      async (authorization) =>
        (await fetch(`${t.url}/metrics`, { headers: authorization ? { Authorization: authorization } : {} })).status,
    ),
  );
  const refusedScrapes = 'goalpost_http_requests_total{route="/metrics",status="401"}';
  const afterRefusals = await scrape();
  const names = new Set(after.split('\n').map((l) => /^# TYPE (\S+)/.exec(l)?.[1]));
  expect({
    unauthorised,
    login: sample(after, login) - sample(before, login),
    loginTimed: sample(after, loginTimed) - sample(before, loginTimed),
    meRefused: sample(after, meRefused) - sample(before, meRefused),
    resetJob: sample(after, resetJob) - sample(before, resetJob),
    refusedScrapes: sample(afterRefusals, refusedScrapes) - sample(after, refusedScrapes),
    pool: {
      max: sample(after, 'goalpost_db_pool_connections{state="max"}'),
      hasTotal: after.includes('goalpost_db_pool_connections{state="total"}'),
      hasWaiting: after.includes('goalpost_db_pool_connections{state="waiting"}'),
    },
    queueDepth: after.includes('goalpost_queue_jobs{queue="password-reset-request",state="queued"}'),
    outboxLag: sample(after, 'goalpost_outbox_lag_seconds') >= 0 && after.includes('goalpost_outbox_lag_seconds '),
    names: [
      'goalpost_trpc_requests_total',
      'goalpost_trpc_request_duration_seconds',
      'goalpost_http_requests_total',
      'goalpost_jobs_total',
      'goalpost_job_duration_seconds',
      'goalpost_queue_jobs',
      'goalpost_outbox_lag_seconds',
      'goalpost_db_pool_connections',
      'nodejs_eventloop_lag_seconds',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
    ].filter((name) => !names.has(name)),
  }).toEqual({
    unauthorised: [401, 401, 401],
    login: 1,
    loginTimed: 1,
    meRefused: 1,
    resetJob: 1,
    refusedScrapes: 3,
    pool: { max: 10, hasTotal: true, hasWaiting: true },
    queueDepth: true,
    outboxLag: true,
    names: [],
  });
});

it('is scraped by a real Prometheus with the bearer token, and a counter reads back through its query API', async () => {
  expect(existsSync(PROMETHEUS), `${PROMETHEUS} is missing: run bash scripts/ensure-prometheus.sh`).toBe(true);
  // One more sign-in, so the series exists whatever ran before.
  await t.admin();
  promDir = await mkdtemp(join(tmpdir(), 'goalpost-prometheus-'));
  const port = await freePort();
  const target = new URL(t.url).host;
  await writeFile(
    join(promDir, 'prometheus.yml'),
    [
      'global:',
      '  scrape_interval: 1s',
      'scrape_configs:',
      '  - job_name: goalpost',
      '    metrics_path: /metrics',
      '    authorization:',
      '      type: Bearer',
      `      credentials: ${TOKEN}`,
      '    static_configs:',
      `      - targets: ['${target}']`,
      '',
    ].join('\n'),
  );
  let output = '';
  prometheus = spawn(
    PROMETHEUS,
    [
      `--config.file=${join(promDir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(promDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  prometheus.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  prometheus.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const query = async (promql: string) => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as {
      status: string;
      data: { result: { metric: object; value: [number, string] }[] };
    };
    return body.data.result;
  };
  const read = await eventually(async () => {
    const result = await query(
      'sum(goalpost_trpc_requests_total{job="goalpost",procedure="auth.login",outcome="ok"})',
    ).catch(() => []);
    return result.length ? result : undefined;
  }, 25_000).catch((error: Error) => {
    throw new Error(`${error.message}\nprometheus output:\n${output}`);
  });
  const up = await query('up{job="goalpost"}');
  expect({
    up: up.map((r) => r.value[1]),
    signIns: Number(read[0]?.value[1]) >= 1,
  }).toEqual({ up: ['1'], signIns: true });
});

it('serves /metrics only on METRICS_PORT when that is set', async () => {
  const apart = await startTestApp({ METRICS_PORT: '0' }, { sameDatabaseAs: t });
  try {
    const onTraffic = await fetch(`${apart.url}/metrics`);
    const onTrafficText = await onTraffic.text();
    const text = await (await fetch(apart.app.metricsUrl)).text();
    const elsewhere = await fetch(apart.app.metricsUrl.replace('/metrics', '/trpc/auth.me'));
    expect({
      separatePort: new URL(apart.app.metricsUrl).port !== new URL(apart.url).port,
      onTraffic: [onTraffic.status === 200 && onTrafficText.includes('goalpost_'), onTrafficText.includes('# TYPE')],
      apart: text.includes('# TYPE goalpost_trpc_requests_total counter'),
      elsewhere: elsewhere.status,
    }).toEqual({ separatePort: true, onTraffic: [false, false], apart: true, elsewhere: 404 });
  } finally {
    await apart.close();
  }
});
