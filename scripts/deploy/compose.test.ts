/**
 * docker/compose.yaml and docker/Dockerfile, read as Compose and Docker would read them. No
 * container engine runs on these machines (and no base image could be pulled), so nothing is
 * built or started here; docker/README.md says so. What can be checked is the structure a
 * start depends on: every service Compose would start, in which order (health and completion
 * conditions), the one-shot migration, and the Goalpost containers' non-root user and read-only
 * root file system; and in the Dockerfile, that the web app is built and the runtime is not root.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { JOBS_NODE_FLAGS } from '../../apps/jobs/src/heap.ts';

const DOCKER = resolve(import.meta.dirname, '../../docker');

interface Service {
  image?: string;
  command?: string[];
  profiles?: string[];
  user?: string;
  read_only?: boolean;
  tmpfs?: string[];
  restart?: string;
  environment?: Record<string, string | null>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
}

it('starts PostgreSQL, Redis and Mailpit healthy, migrates once, then the server and the worker, locked down', () => {
  // Compose resolves YAML merge keys (<<) as the yaml package does with merge enabled.
  const compose = parse(readFileSync(resolve(DOCKER, 'compose.yaml'), 'utf8'), { merge: true }) as {
    services: Record<string, Service>;
  };
  const services = compose.services;
  const summary = Object.fromEntries(
    Object.entries(services).map(([name, s]) => [
      name,
      {
        profiles: s.profiles ?? [],
        waitsFor: Object.fromEntries(
          Object.entries(s.depends_on ?? {}).map(([dep, { condition }]) => [dep, condition]),
        ),
        health: s.healthcheck?.disable
          ? 'none'
          : (s.healthcheck?.test
              ?.join(' ')
              .match(/(readyz|healthz|pg_isready|ping|readyz|kafka-broker-api-versions)/)?.[1] ?? 'missing'),
        lockedDown: s.image === 'goalpost:local' ? { user: s.user, readOnly: s.read_only, tmp: s.tmpfs } : undefined,
      },
    ]),
  );
  const goalpost = { user: '1000:1000', readOnly: true, tmp: ['/tmp:size=256m'] };
  expect({
    summary,
    migrateIsOneShot: [services.migrate?.restart, services.migrate?.command],
    jobsCommand: services.jobs?.command,
    serverLeavesMigrations: services.app?.environment?.MIGRATE_ON_START,
    workersApart: services.app?.environment?.JOBS_IN_PROCESS,
  }).toEqual({
    summary: {
      postgres: { profiles: [], waitsFor: {}, health: 'pg_isready', lockedDown: undefined },
      redis: { profiles: [], waitsFor: {}, health: 'ping', lockedDown: undefined },
      mailpit: { profiles: [], waitsFor: {}, health: 'readyz', lockedDown: undefined },
      migrate: { profiles: [], waitsFor: { postgres: 'service_healthy' }, health: 'none', lockedDown: goalpost },
      app: {
        profiles: [],
        waitsFor: {
          migrate: 'service_completed_successfully',
          postgres: 'service_healthy',
          redis: 'service_healthy',
          mailpit: 'service_healthy',
        },
        health: 'readyz',
        lockedDown: goalpost,
      },
      jobs: {
        profiles: [],
        waitsFor: { app: 'service_healthy', mailpit: 'service_healthy' },
        health: 'readyz',
        lockedDown: goalpost,
      },
      kafka: { profiles: ['kafka'], waitsFor: {}, health: 'kafka-broker-api-versions', lockedDown: undefined },
    },
    migrateIsOneShot: ['no', ['node', 'packages/db/src/cli/migrate.ts']],
    // With the jobs process's heap limits (apps/jobs/src/heap.ts).
    jobsCommand: ['node', ...JOBS_NODE_FLAGS, 'apps/jobs/src/main.ts'],
    serverLeavesMigrations: 'false',
    workersApart: 'false',
  });
});

it('builds the web app in the image and runs it as a non-root user', () => {
  const dockerfile = readFileSync(resolve(DOCKER, 'Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages.find((s) => /^\S+ AS runtime/.test(s)) ?? '';
  const users = [...runtime.matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
  expect({
    stages: stages.map((s) => s.split('\n')[0]?.split(' AS ')[1]),
    webBuilt: /vite\.js build apps\/web/.test(dockerfile) && /COPY --from=build \/app\/apps\/web\/dist\//.test(runtime),
    runtimeUser: users.at(-1),
    command: runtime.match(/^CMD (.+)$/m)?.[1],
  }).toEqual({
    stages: ['base', 'deps', 'build', 'prod-deps', 'runtime'],
    webBuilt: true,
    runtimeUser: '1000:1000',
    command: '["node", "apps/server/src/main.ts"]',
  });
});
