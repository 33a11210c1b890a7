import { defineConfig } from 'vitest/config'

// In CI the in-process suites share two cores with the real-cluster lane (scripts/test.sh), and a few
// tests measure time under that load; a failed test is run once more there before the run fails.
const ciRetry = process.env.CI === 'true' || process.env.CI === '1' ? 1 : 0

// Unit tests sit beside the code; cross-boundary suites live in test/ and are
// selected by the project names below so scripts/test.sh can run each on its own.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          retry: ciRetry,
          include: [
            'simulator/**/*.test.ts',
            'labs/**/*.test.ts',
            'web/src/**/*.test.ts',
            // Components render in a light DOM (happy-dom, chosen per file with `@vitest-environment`).
            'web/src/**/*.test.tsx',
            'scripts/**/*.test.ts',
          ],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'suites',
          retry: ciRetry,
          include: ['test/**/*.test.ts'],
          exclude: [
            'test/e2e/**',
            'test/kind/**',
            'test/conformance/**',
            'test/load/**',
            'test/kubernetes/**',
          ],
          testTimeout: 60_000,
        },
      },
      {
        // The isolation load test (20 attempts under attack; minutes): run on its own.
        test: {
          name: 'load',
          include: ['test/load/**/*.test.ts'],
          testTimeout: 900_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'conformance',
          include: ['test/conformance/**/*.test.ts'],
          testTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          retry: ciRetry,
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        // Real clusters on Docker made by the real kind CLI (scripts/ci/kind-suite.sh prepares kind,
        // its images and the engine): the driver, a browser terminal on a real node, the labs on one
        // and three real control planes, and the simulator held against a real node. One file at a
        // time: each brings up real control planes.
        test: {
          name: 'kind',
          include: ['test/kind/**/*.test.ts'],
          testTimeout: 900_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
      {
        // The kubernetes driver, the manifests and the ckalab image against one real Kubernetes 1.20 API
        // server (the kind-node-1.20 fixture's node image on Docker, started once by the global setup).
        test: {
          name: 'kubernetes',
          include: ['test/kubernetes/**/*.test.ts'],
          globalSetup: ['test/kubernetes/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
