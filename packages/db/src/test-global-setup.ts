import type { TestProject } from 'vitest/node';
import { setUpTestCluster } from './testing.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    cluster: { adminUrl: string; templateName: string };
  }
}

export default async function setup(project: TestProject) {
  const cluster = await setUpTestCluster();
  project.provide('cluster', { adminUrl: cluster.adminUrl, templateName: cluster.templateName });
  return () => cluster.teardown();
}
