/**
 * A differential scenario is data: a named list of steps run in order, through the real AWS SDK v3, against
 * DynamoDB Local and against Eddy's emulator. Every step's outcome (response or error) is recorded, the two
 * transcripts are normalised by `allowedDeviations.ts` and must then be equal.
 */

/** The DynamoDB operations a step may call, by their wire names. */
type DynamoDbOperation =
  | 'CreateTable'
  | 'DescribeTable'
  | 'DeleteTable'
  | 'PutItem'
  | 'GetItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'Query'
  | 'Scan'
  | 'BatchWriteItem'
  | 'BatchGetItem'
  | 'TransactWriteItems'
  | 'TransactGetItems'
  | 'ExecuteStatement'
  | 'BatchExecuteStatement';

type Step =
  /** One request; `input` is passed to the SDK command as it is. */
  | { readonly op: DynamoDbOperation; readonly input: Record<string, unknown> }
  /**
   * Reads the table's latest stream through `@aws-sdk/client-dynamodb-streams`: DescribeStream, then every
   * record of every shard from TRIM_HORIZON, in shard lineage order. `order: 'per-item'` compares the order of
   * each item's records only, for writes DynamoDB makes in no defined order (the items of one BatchWriteItem).
   */
  | { readonly op: 'ReadStream'; readonly table: string; readonly order?: 'per-item' };

interface Scenario {
  readonly name: string;
  readonly steps: readonly Step[];
  /**
   * A difference that is a bug in Eddy's emulator (not a DynamoDB Local deviation): the scenario runs as
   * `it.fails`, so the suite stays green while the bug is there and turns red once it is fixed (then delete
   * this field). Say what differs.
   */
  readonly knownBug?: string;
}

export type { DynamoDbOperation, Scenario, Step };
