import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { defineStreamHandler, type StreamPipeline } from '../../src/handler/defineStreamHandler.js';
import { AggregateConflictError } from '../../src/operators/aggregates/AggregateConflictError.js';
import { type EmulatorHarness, startHarness } from './emulatorHarness.js';
import {
  createKeyedTable,
  type MappingRun,
  type Order,
  type Redeliveries,
  seededRandom,
  startRedelivered,
  stopMappings,
  waitForDrain,
  writeOrders,
} from './operatorRuns.js';

/** The run's setup: an aggregation of orders into `tableName` by the pipeline `operator` makes. */
interface OrderAggregationSetup {
  /** The workload's seed: orders are drawn from `seed + 1`, the first run's redeliveries from `seed`. */
  readonly seed: number;
  readonly tableName: string;
  readonly mappingId: string;
  /** The pipeline under test, writing to `tableName` with `client` (and the ledger name a run asks for). */
  readonly operator: (
    tableName: string,
    client: DynamoDBClient,
    ledgerName?: string,
  ) => StreamPipeline<Order>;
}

/** What the tests of an exactly-once aggregation share, once `beforeAll` has run. */
interface OrderAggregation {
  readonly h: EmulatorHarness;
  /** The `orders` table's stream (NEW_AND_OLD_IMAGES, 4 shards). */
  readonly sourceStream: string;
  /** What the first run's mapping redelivered. */
  readonly redeliveries: Redeliveries;
  /** Every error reported to onRecordError by any run of the file. */
  readonly recordErrors: unknown[];
  /**
   * The errors other than a lost race: a batch may lose the race for a hot key's row to concurrent lanes and
   * duplicates often enough to give up (AggregateConflictError), and its records are then delivered again,
   * which is safe. Nothing else may fail.
   */
  unexpectedErrors(): unknown[];
  /** Another run of `operator` into `tableName` over the whole stream, with redeliveries drawn from `seed`. */
  start(
    tableName: string,
    mappingId: string,
    seed: number,
    ledgerName?: string,
  ): { run: MappingRun; counts: Redeliveries };
}

/**
 * The shared setup of the exactly-once aggregation tests (test/integration/operators/aggregate.test.ts and
 * aggregateEvents.test.ts): an emulator, an `orders` table with a 4-shard stream, 300 seeded orders over 16 ids,
 * and the operator run into `tableName` by the event source mapping (4 shards, 3 lanes each, so records of one
 * aggregate key arrive out of sequence order and concurrently) with duplicates, failures and crashes injected,
 * until it has checkpointed the whole stream. Registers its own beforeAll, afterEach and afterAll.
 */
const useOrderAggregation = (setup: OrderAggregationSetup): OrderAggregation => {
  let h: EmulatorHarness | undefined;
  let sourceStream: string | undefined;
  let redeliveries: Redeliveries | undefined;
  const recordErrors: unknown[] = [];
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useOrderAggregation: read in a test, after beforeAll');
    return value;
  };
  const start = (tableName: string, mappingId: string, seed: number, ledgerName?: string) => {
    const harness = ready(h);
    return startRedelivered(
      harness,
      defineStreamHandler<Order>(setup.operator(tableName, harness.dynamodb, ledgerName), {
        onRecordError: (error) => recordErrors.push(error),
      }),
      {
        streamArn: ready(sourceStream),
        mappingId,
        seed,
        config: { BatchSize: 7, ParallelizationFactor: 3 },
      },
    );
  };
  beforeAll(async () => {
    h = await startHarness({ streams: { shardCount: 4 } });
    sourceStream = (await createKeyedTable(h.dynamodb, 'orders', 'id', 'NEW_AND_OLD_IMAGES')) as string;
    await createKeyedTable(h.dynamodb, setup.tableName, 'pk');
    const { run, counts } = start(setup.tableName, setup.mappingId, setup.seed);
    await writeOrders(h.dynamodb, 'orders', seededRandom(setup.seed + 1), 300, 16);
    await waitForDrain(h.streams, sourceStream, run, 60_000);
    redeliveries = counts;
  }, 90_000);
  afterEach(() => stopMappings());
  afterAll(() => h?.close());
  return {
    get h() {
      return ready(h);
    },
    get sourceStream() {
      return ready(sourceStream);
    },
    get redeliveries() {
      return ready(redeliveries);
    },
    recordErrors,
    unexpectedErrors: () => recordErrors.filter((error) => !(error instanceof AggregateConflictError)),
    start,
  };
};

export type { OrderAggregation };
export { useOrderAggregation };
