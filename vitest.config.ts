import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/**
 * One command runs every test: `node` (services and routers against real PostgreSQL), `web`
 * (React components in happy-dom) and `e2e` (journeys in real Chromium against the real server).
 */
export default defineConfig({
  test: {
    reporters: ['default', './scripts/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'node',
          include: [
            'packages/*/src/**/*.test.ts',
            'apps/server/src/**/*.test.ts',
            'apps/jobs/src/**/*.test.ts',
            'scripts/deploy/*.test.ts',
            'scripts/docs/*.test.ts',
          ],
          environment: 'node',
          globalSetup: ['packages/db/src/test-global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'web',
          include: ['apps/web/src/**/*.test.tsx', 'packages/ui/src/**/*.test.tsx'],
          environment: 'happy-dom',
          setupFiles: ['apps/web/src/test-setup.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['apps/web/e2e/**/*.e2e.ts', 'packages/ui/e2e/**/*.e2e.ts'],
          environment: 'node',
          globalSetup: ['packages/db/src/test-global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
