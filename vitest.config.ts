import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** EDDY_SEED for fast-check properties. */
const FAST_CHECK_SEED = './test/helpers/fastCheckSeed.ts';

/**
 * The slowest files of the parallel projects, started first so the rest fills the other workers around them
 * (vitest's own order is by project name, then by the last run's durations, or file size on a fresh clone).
 * The DynamoDB Local bootstrap waits about two minutes for DynamoDB Local's minute stamps whatever the machine:
 * started last, it alone would set the run's length.
 */
const START_FIRST = [
  'test/differential/bootstrapDynamoDbLocal.test.ts',
  'test/integration/runtime/bootstrap.test.ts',
  'test/integration/emulator/fuzz.test.ts',
  'test/e2e/consumer.test.ts',
  'test/conformance/lambdaEvents.test.ts',
  'test/integration/operators/aggregateEvents.test.ts',
  'test/integration/emulator/control.test.ts',
  'test/differential/differential.test.ts',
];

/**
 * e2e files that run the CLI or an emulator process in their own temp folders, with no function build in the
 * repository's `.eddy/build` (which `eddy dev`, `--function` and `bootstrap` share) and no fleet of workers: they
 * run beside the parallel projects instead of in the serial e2e queue.
 */
const E2E_BESIDE_OTHERS = [
  'test/e2e/checkpointCli.test.ts',
  'test/e2e/consumer.test.ts',
  'test/e2e/emulatorDurability.test.ts',
  'test/e2e/recordCli.test.ts',
  'test/e2e/redriveCli.test.ts',
  'test/e2e/tapeCli.test.ts',
];

class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification): number => {
      const at = START_FIRST.findIndex((path) => spec.moduleId.endsWith(`/${path}`));
      return at === -1 ? START_FIRST.length : at;
    };
    // Array.prototype.sort is stable: the rest keeps vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

// One project per test layer: unit tests open no sockets, integration tests drive the
// emulator over HTTP with the real AWS SDK, e2e tests run template.yaml through `eddy dev`.
export default defineConfig({
  test: {
    // The parallel projects share one pool. vitest's default is one worker less than the cores (1 on a 2-core
    // machine: every file in turn); one more than the cores keeps them busy while files wait on sockets, child
    // processes and DynamoDB Local's minute stamps. VITEST_MAX_WORKERS overrides it.
    maxWorkers: availableParallelism() + 1,
    sequence: { sequencer: SlowestFirst },
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], setupFiles: [FAST_CHECK_SEED] } },
      { test: { name: 'integration', include: ['test/integration/**/*.test.ts'], testTimeout: 30_000 } },
      { test: { name: 'conformance', include: ['test/conformance/**/*.test.ts'], testTimeout: 30_000 } },
      {
        // Process-level tests (eddy dev, kill -9, several workers): one file at a time, so they do not starve each
        // other nor rebuild the functions another one runs; vitest runs them after the parallel projects.
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...E2E_BESIDE_OTHERS],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      // The e2e files that need no serial slot (E2E_BESIDE_OTHERS).
      {
        test: { name: 'e2e-parallel', include: E2E_BESIDE_OTHERS, testTimeout: 60_000, hookTimeout: 60_000 },
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
