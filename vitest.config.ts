import { defineConfig } from 'vitest/config'

// Unit tests sit beside the code; cross-boundary suites live in test/ and are
// selected by the project names below so scripts/test.sh can run each on its own.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'simulator/**/*.test.ts',
            'labs/**/*.test.ts',
            'web/src/**/*.test.ts',
            'scripts/**/*.test.ts',
          ],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'suites',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'test/kind/**', 'test/conformance/**'],
          testTimeout: 60_000,
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
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'kind',
          include: ['test/kind/**/*.test.ts'],
          exclude: ['test/kind/labs-*.test.ts', 'test/kind/compare-*.test.ts', 'test/kind/kind-ha.test.ts'],
          testTimeout: 900_000,
          fileParallelism: false,
        },
      },
      {
        // Three control planes, labs end to end on real nodes and the simulator-against-real
        // comparison: ~20 min on two cores, so they run on demand (`npm run test:kind-long`)
        // rather than in every `npm test`.
        test: {
          name: 'kind-long',
          include: ['test/kind/labs-*.test.ts', 'test/kind/compare-*.test.ts', 'test/kind/kind-ha.test.ts'],
          testTimeout: 900_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
