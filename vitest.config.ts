import { defineConfig } from 'vitest/config';

/** EDDY_SEED for fast-check properties. */
const FAST_CHECK_SEED = './test/helpers/fastCheckSeed.ts';

// One project per test layer: unit tests open no sockets, integration tests drive the
// emulator over HTTP with the real AWS SDK, e2e tests run template.yaml through `eddy dev`.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], setupFiles: [FAST_CHECK_SEED] } },
      { test: { name: 'integration', include: ['test/integration/**/*.test.ts'], testTimeout: 30_000 } },
      { test: { name: 'conformance', include: ['test/conformance/**/*.test.ts'], testTimeout: 30_000 } },
      {
        // Process-level tests (eddy dev, kill -9, several workers): one file at a time, so they do not starve each other.
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      // fast-check properties: the expression engine against independent models, and random write sequences
      // through the SDK against an in-memory model (runs bounded so the project takes seconds).
      {
        test: {
          name: 'property',
          include: ['test/property/**/*.test.ts'],
          testTimeout: 60_000,
          setupFiles: [FAST_CHECK_SEED],
        },
      },
      // The same scripted requests against DynamoDB Local (a java process) and the emulator, compared.
      {
        test: {
          name: 'differential',
          include: ['test/differential/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
