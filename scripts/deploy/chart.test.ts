/**
 * The Helm chart, checked without Helm (it cannot be installed on these machines). Helm does three
 * things with a chart, and each is reproduced here with the same kind of part:
 *
 * - It checks the values against values.schema.json: here ajv (draft-07) checks values.yaml and
 *   values-production.yaml, and that wrong values are refused.
 * - It renders the templates with Go's text/template and the Sprig function library: here
 *   scripts/deploy/chart-render (Go, built from Debian's golang and Sprig packages by
 *   scripts/ensure-chart-tools.sh) renders them the same way, adding Helm's own few functions.
 * - It sends the objects to the API server, which checks them against its OpenAPI schemas: here
 *   each rendered object is validated with the `kubernetes-models` schemas of its kind
 *   (CloudNativePG's Cluster and ScheduledBackup have none there and are checked by shape).
 *
 * Not done here: a real cluster (admission, the CloudNativePG operator, scheduling), hooks running,
 * and Helm's own quirks beyond its template functions. The chart's README says so too.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { JOBS_NODE_FLAGS } from '../../apps/jobs/src/heap.ts';

const CHART = resolve(import.meta.dirname, '../../charts/goalpost');
const work = mkdtempSync(join(tmpdir(), 'goalpost-chart-'));
const renderer = join(work, 'chart-render');
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(() => {
  try {
    execFileSync('go', ['build', '-o', renderer, '.'], {
      cwd: resolve(import.meta.dirname, 'chart-render'),
      env: { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: join(work, 'go-cache') },
      stdio: 'pipe',
    });
  } catch (error) {
    const detail = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    throw new Error(`Cannot build the chart renderer; run \`bash scripts/ensure-chart-tools.sh\`.\n${detail}`);
  }
}, 120_000);

type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string>; labels?: Record<string, string> };
} & {
  // biome-ignore lint/suspicious/noExplicitAny: rendered manifests are read by path in the assertions
  [key: string]: any;
};

/** `helm template` with -f files and --set-string pairs: the objects, NOTES.txt, or Helm's error. */
function render(files: string[] = [], set: Record<string, string> = {}) {
  const args = [
    CHART,
    ...files.flatMap((f) => ['-f', f]),
    ...Object.entries(set).flatMap(([k, v]) => ['--set-string', `${k}=${v}`]),
  ];
  const out = JSON.parse(execFileSync(renderer, args, { encoding: 'utf8' })) as {
    manifests?: Record<string, string>;
    error?: string;
  };
  if (out.error) return { error: out.error.replace(/^.*?error calling fail: /s, ''), objects: [], notes: '' };
  const objects: K8sObject[] = [];
  for (const [template, text] of Object.entries(out.manifests ?? {})) {
    if (template.endsWith('NOTES.txt')) continue;
    for (const doc of parseAllDocuments(text)) {
      const object = doc.toJS() as K8sObject | null;
      if (object) objects.push(object);
    }
  }
  return { error: null, objects, notes: out.manifests?.['goalpost/templates/NOTES.txt'] ?? '' };
}

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

/** Each object against its kind's schema; the problems found, by object. */
function schemaProblems(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const object of objects) {
    const kind = `${object.apiVersion}/${object.kind}`;
    const Model = MODELS[kind];
    if (kind === 'postgresql.cnpg.io/v1/Cluster') {
      if (!object.spec?.instances || !object.spec?.storage?.size || !object.spec?.bootstrap)
        problems.push(`${kind}: incomplete`);
      continue;
    }
    if (kind === 'monitoring.coreos.com/v1/ServiceMonitor') {
      const endpoint = object.spec?.endpoints?.[0];
      if (!object.spec?.selector?.matchLabels || !endpoint?.port || !/^\d+(ms|s|m|h)$/.test(endpoint?.interval ?? ''))
        problems.push(`${kind}: incomplete`);
      continue;
    }
    if (kind === 'postgresql.cnpg.io/v1/ScheduledBackup') {
      if (!/^(\S+\s+){5}\S+$/.test(object.spec?.schedule ?? '') || !object.spec?.cluster?.name)
        problems.push(`${kind}: incomplete`);
      continue;
    }
    if (!Model) {
      problems.push(`${kind}: no schema to check it against`);
      continue;
    }
    try {
      new Model(object as never).validate();
    } catch (error) {
      problems.push(`${kind} ${object.metadata.name}: ${(error as Error).message}`);
    }
  }
  return problems;
}

const find = (objects: K8sObject[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name) as K8sObject;
const container = (object: K8sObject) => object.spec.template.spec.containers[0];
const envOf = (object: K8sObject) =>
  Object.fromEntries(
    (
      container(object).env as {
        name: string;
        value?: string;
        valueFrom?: { secretKeyRef: { name: string; key: string } };
      }[]
    ).map((e) => [e.name, e.value ?? `${e.valueFrom?.secretKeyRef.name}/${e.valueFrom?.secretKeyRef.key}`]),
  );

/** The smallest working install: a Secret for DATABASE_URL and a public URL. */
const MINIMAL = { 'secrets.existingSecret': 'goalpost', 'env.PUBLIC_URL': 'https://goalpost.example.com' };
const PRODUCTION = join(CHART, 'values-production.yaml');

describe('values.schema.json', () => {
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
  const validate = ajv.compile(JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')));
  const defaults = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8'));
  const errors = (values: unknown) =>
    validate(values) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);

  it('accepts the default and the production values, and refuses wrong ones as helm install would', () => {
    const production = structuredClone(defaults);
    // Helm merges -f files over values.yaml key by key.
    const merge = (base: Record<string, unknown>, over: Record<string, unknown>) => {
      for (const [key, value] of Object.entries(over)) {
        const here = base[key];
        if (value && typeof value === 'object' && !Array.isArray(value) && here && typeof here === 'object') {
          merge(here as Record<string, unknown>, value as Record<string, unknown>);
        } else base[key] = value;
      }
      return base;
    };
    merge(production, parse(readFileSync(PRODUCTION, 'utf8')));
    const wrong = structuredClone(defaults);
    wrong.server.replicaCount = 'two';
    wrong.postgresql.mode = 'embedded';
    wrong.ingress.hosts[0].paths[0].path = 'no-slash';
    wrong.metrics.serviceMonitor.enabled = 'yes';
    wrong.serverr = {};
    expect({ defaults: errors(defaults), production: errors(production), wrong: errors(wrong) }).toEqual({
      defaults: [],
      production: [],
      wrong: [
        '/ must NOT have additional properties',
        '/postgresql/mode must be equal to one of the allowed values',
        '/server/replicaCount must be integer',
        '/ingress/hosts/0/paths/0/path must match pattern "^/"',
        '/metrics/serviceMonitor/enabled must be boolean',
      ],
    });
  });
});

describe('the rendered chart', () => {
  it('renders the default values into valid Kubernetes objects', () => {
    const { error, objects, notes } = render([], MINIMAL);
    const server = find(objects, 'Deployment', 'goalpost-server');
    const jobs = find(objects, 'Deployment', 'goalpost-jobs');
    const hook = find(objects, 'Job', 'goalpost-migrations');
    const config = find(objects, 'ConfigMap', 'goalpost');
    expect({
      error,
      problems: schemaProblems(objects),
      kinds: objects.map((o) => `${o.kind}/${o.metadata.name}`).sort(),
      server: {
        env: envOf(server),
        probes: [container(server).startupProbe, container(server).livenessProbe, container(server).readinessProbe].map(
          (p) => p.httpGet.path,
        ),
        readOnlyRoot: container(server).securityContext.readOnlyRootFilesystem,
        nonRoot: server.spec.template.spec.securityContext.runAsNonRoot,
      },
      jobs: {
        env: envOf(jobs),
        command: container(jobs).command,
        port: container(jobs).ports,
        probes: [container(jobs).startupProbe, container(jobs).livenessProbe, container(jobs).readinessProbe].map(
          (p) => `${p.httpGet.path} on ${p.httpGet.port}`,
        ),
      },
      hook: { when: hook.metadata.annotations?.['helm.sh/hook'], env: envOf(hook) },
      config: {
        PUBLIC_URL: config.data.PUBLIC_URL,
        TRUST_PROXY: config.data.TRUST_PROXY,
        JOBS_HTTP_PORT: config.data.JOBS_HTTP_PORT,
        METRICS_PORT: config.data.METRICS_PORT,
      },
      notesFindAdmin: notes.includes("grep -A4 'First admin'"),
    }).toEqual({
      error: null,
      problems: [],
      kinds: [
        'ConfigMap/goalpost',
        'Deployment/goalpost-jobs',
        'Deployment/goalpost-server',
        'HorizontalPodAutoscaler/goalpost-server',
        'Job/goalpost-migrations',
        'NetworkPolicy/goalpost-jobs',
        'NetworkPolicy/goalpost-server',
        'PodDisruptionBudget/goalpost-jobs',
        'PodDisruptionBudget/goalpost-server',
        'Service/goalpost',
        'ServiceAccount/goalpost',
      ],
      server: {
        env: {
          JOBS_IN_PROCESS: 'false',
          MIGRATE_ON_START: 'false',
          DATABASE_URL: 'goalpost/DATABASE_URL',
          REDIS_URL: 'goalpost/REDIS_URL',
          SMTP_URL: 'goalpost/SMTP_URL',
          FIRST_ADMIN_PASSWORD: 'goalpost/FIRST_ADMIN_PASSWORD',
        },
        probes: ['/healthz', '/healthz', '/readyz'],
        readOnlyRoot: true,
        nonRoot: true,
      },
      jobs: {
        env: { JOBS_CONCURRENCY_POOL: '6', DATABASE_URL: 'goalpost/DATABASE_URL', SMTP_URL: 'goalpost/SMTP_URL' },
        // With the jobs process's heap limits (apps/jobs/src/heap.ts), as in docker/compose.yaml.
        command: ['node', ...JOBS_NODE_FLAGS, 'apps/jobs/src/main.ts'],
        port: [
          { name: 'health', containerPort: 3001, protocol: 'TCP' },
          { name: 'metrics', containerPort: 9464, protocol: 'TCP' },
        ],
        probes: ['/healthz on health', '/healthz on health', '/readyz on health'],
      },
      hook: {
        when: 'pre-install,pre-upgrade',
        env: { NODE_ENV: 'production', LOG_LEVEL: 'info', DATABASE_URL: 'goalpost/DATABASE_URL' },
      },
      config: {
        PUBLIC_URL: 'https://goalpost.example.com',
        TRUST_PROXY: '1',
        JOBS_HTTP_PORT: '3001',
        METRICS_PORT: '9464',
      },
      notesFindAdmin: true,
    });
  });

  it('serves /metrics apart: metrics ports, the token from its Secret, a ServiceMonitor and the Grafana dashboard', () => {
    const monitoring = join(work, 'monitoring.yaml');
    writeFileSync(
      monitoring,
      [
        'metrics:',
        '  token: { secretName: goalpost-metrics, key: token }',
        '  serviceMonitor: { enabled: true, interval: 15s, labels: { release: kube-prometheus-stack } }',
        '  dashboard: { enabled: true }',
      ].join('\n'),
    );
    const { error, objects } = render([monitoring], MINIMAL);
    const monitor = find(objects, 'ServiceMonitor', 'goalpost');
    const dashboard = find(objects, 'ConfigMap', 'goalpost-dashboard');
    const service = find(objects, 'Service', 'goalpost');
    const json = JSON.parse(dashboard?.data?.['goalpost.json'] ?? '{}') as {
      panels: { targets?: { expr: string }[] }[];
    };
    const queried = json.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)).join('\n');
    const metricServices = objects.filter((o) => o.kind === 'Service' && o.metadata.name.endsWith('-metrics'));
    const defaults = render([], MINIMAL).objects;
    expect({
      error,
      problems: schemaProblems(objects),
      token: ['goalpost-server', 'goalpost-jobs'].map((name) => envOf(find(objects, 'Deployment', name)).METRICS_TOKEN),
      serverPorts: container(find(objects, 'Deployment', 'goalpost-server')).ports.map((p: { name: string }) => p.name),
      trafficService: service.spec.ports.map((p: { name: string }) => p.name),
      metricServices: metricServices.map((s) => ({
        name: s.metadata.name,
        headless: s.spec.clusterIP,
        ports: s.spec.ports.map((p: { port: number; targetPort: string }) => `${p.port}->${p.targetPort}`),
        component: s.spec.selector['app.kubernetes.io/component'],
        selected: Object.entries(monitor.spec.selector.matchLabels).every(
          ([k, v]) => (s.metadata.labels as Record<string, string>)[k] === v,
        ),
      })),
      monitor: {
        labels: monitor.metadata.labels?.release,
        endpoint: monitor.spec.endpoints,
      },
      dashboard: {
        label: dashboard.metadata.labels?.grafana_dashboard,
        title: (json as unknown as { title: string }).title,
        missing: [
          'goalpost_trpc_requests_total',
          'goalpost_trpc_request_duration_seconds_bucket',
          'goalpost_http_requests_total',
          'goalpost_jobs_total',
          'goalpost_job_duration_seconds_bucket',
          'goalpost_queue_jobs',
          'goalpost_outbox_lag_seconds',
          'goalpost_db_pool_connections',
          'nodejs_eventloop_lag_p99_seconds',
          'process_resident_memory_bytes',
        ].filter((name) => !queried.includes(name)),
      },
      byDefault: defaults.filter((o) => o.kind === 'ServiceMonitor' || o.metadata.name.endsWith('-dashboard')).length,
    }).toEqual({
      error: null,
      problems: [],
      token: ['goalpost-metrics/token', 'goalpost-metrics/token'],
      serverPorts: ['http', 'metrics'],
      trafficService: ['http'],
      metricServices: [
        {
          name: 'goalpost-server-metrics',
          headless: 'None',
          ports: ['9464->metrics'],
          component: 'server',
          selected: true,
        },
        {
          name: 'goalpost-jobs-metrics',
          headless: 'None',
          ports: ['9464->metrics'],
          component: 'jobs',
          selected: true,
        },
      ],
      monitor: {
        labels: 'kube-prometheus-stack',
        endpoint: [
          {
            port: 'metrics',
            path: '/metrics',
            interval: '15s',
            scrapeTimeout: '10s',
            authorization: { type: 'Bearer', credentials: { name: 'goalpost-metrics', key: 'token' } },
          },
        ],
      },
      dashboard: { label: '1', title: 'Goalpost', missing: [] },
      byDefault: 0,
    });
  });

  it('renders the production values: CloudNativePG with WAL archiving, TLS ingress that takes a 25 MB upload', () => {
    const { error, objects } = render([PRODUCTION]);
    const cluster = find(objects, 'Cluster', 'goalpost-pg');
    const ingress = find(objects, 'Ingress', 'goalpost');
    const hook = find(objects, 'Job', 'goalpost-migrations');
    expect({
      error,
      problems: schemaProblems(objects),
      image: container(find(objects, 'Deployment', 'goalpost-server')).image,
      database: envOf(find(objects, 'Deployment', 'goalpost-server')).DATABASE_URL,
      hook: {
        when: hook.metadata.annotations?.['helm.sh/hook'],
        waits: hook.spec.template.spec.initContainers[0].name,
      },
      archive: {
        destination: cluster.spec.backup.barmanObjectStore.destinationPath,
        wal: cluster.spec.backup.barmanObjectStore.wal.compression,
        archiveTimeout: cluster.spec.postgresql.parameters.archive_timeout,
        bootstrap: Object.keys(cluster.spec.bootstrap),
      },
      schedule: find(objects, 'ScheduledBackup', 'goalpost-pg').spec.schedule,
      bodySize: ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/proxy-body-size'],
      publicUrl: find(objects, 'ConfigMap', 'goalpost').data.PUBLIC_URL,
    }).toEqual({
      error: null,
      problems: [],
      image: 'registry.example.com/goalpost@sha256:0000000000000000000000000000000000000000000000000000000000000000',
      database: 'goalpost-pg-app/uri',
      hook: { when: 'post-install,pre-upgrade', waits: 'wait-for-postgres' },
      archive: {
        destination: 's3://goalpost-backups-eu-west-2/production',
        wal: 'gzip',
        archiveTimeout: '5min',
        bootstrap: ['initdb'],
      },
      schedule: '0 0 2 * * *',
      bodySize: '25m',
      publicUrl: 'https://goalpost.example.com',
    });
  });

  it('renders a recovery into a new cluster, a mounted database CA, and extraEnvFrom on the migration hook', () => {
    const recoveryValues = join(work, 'recovery.yaml');
    writeFileSync(
      recoveryValues,
      [
        'fullnameOverride: goalpost-restored',
        'postgresql:',
        '  cloudnativePg:',
        '    backup: { destinationPath: s3://goalpost-backups-eu-west-2/restored }',
        '    recovery:',
        '      enabled: true',
        '      sourceServerName: goalpost-pg',
        '      destinationPath: s3://goalpost-backups-eu-west-2/production',
        '      targetTime: "2027-03-01T09:55:00Z"',
      ].join('\n'),
    );
    const restored = render([PRODUCTION, recoveryValues]);
    const cluster = find(restored.objects, 'Cluster', 'goalpost-restored-pg');
    const external = render([], { ...MINIMAL, 'postgresql.external.caSecret.name': 'db-ca' });
    const withEnvFrom = join(work, 'env-from.yaml');
    writeFileSync(withEnvFrom, 'extraEnvFrom:\n  - secretRef: { name: goalpost-extra }\n');
    const hook = find(render([withEnvFrom], MINIMAL).objects, 'Job', 'goalpost-migrations');
    const mounts = (name: string, kind = 'Deployment') =>
      container(find(external.objects, kind, name)).volumeMounts.find((m: { name: string }) => m.name === 'db-ca');
    expect({
      problems: schemaProblems([...restored.objects, ...external.objects]),
      recovery: {
        bootstrap: cluster.spec.bootstrap,
        source: cluster.spec.externalClusters[0].barmanObjectStore.serverName,
        newArchive: cluster.spec.backup.barmanObjectStore.destinationPath,
      },
      caMounts: [mounts('goalpost-server'), mounts('goalpost-jobs'), mounts('goalpost-migrations', 'Job')],
      hookEnvFrom: container(hook).envFrom,
    }).toEqual({
      problems: [],
      recovery: {
        bootstrap: {
          recovery: {
            source: 'origin',
            database: 'goalpost',
            owner: 'goalpost',
            recoveryTarget: { targetTime: '2027-03-01T09:55:00Z' },
          },
        },
        source: 'goalpost-pg',
        newArchive: 's3://goalpost-backups-eu-west-2/restored',
      },
      caMounts: Array(3).fill({ name: 'db-ca', mountPath: '/etc/goalpost/db-ca', readOnly: true }),
      hookEnvFrom: [{ secretRef: { name: 'goalpost-extra' } }],
    });
  });

  it('refuses to render what could not work, saying what to set', () => {
    const noTls = render([], { 'secrets.existingSecret': 'goalpost', 'ingress.enabled': 'true' });
    const noDatabase = render([], { 'env.PUBLIC_URL': 'https://goalpost.example.com' });
    const noArchive = render([], { ...MINIMAL, 'postgresql.mode': 'cloudnative-pg' });
    expect([noTls.error, noDatabase.error, noArchive.error]).toEqual([
      'goalpost: ingress.tls does not cover goalpost.example.com, so https://goalpost.example.com would not answer. Add a tls entry for it, or set env.PUBLIC_URL to the https URL where TLS ends (e.g. a load balancer in front of the ingress).',
      'goalpost: DATABASE_URL is required. Set secrets.existingSecret (or secrets.databaseUrl.secretName) to a Secret holding it, or postgresql.mode=cloudnative-pg; without it the app would start an embedded PostgreSQL inside the pod.',
      'goalpost: postgresql.cloudnativePg.backup.destinationPath is required (s3://bucket/path for WAL archiving and base backups), or set backup.enabled=false.',
    ]);
  });
});
