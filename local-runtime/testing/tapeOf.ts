import type { DynamoDBRecord } from 'aws-lambda';
import { tapeFromLambdaEvent } from '../../src/tape/lambdaEvent.js';
import type { Tape, TapeKeySchemaElement } from '../../src/tape/tapeFormat.js';

/**
 * What `tapeOf` cannot tell from the records themselves.
 *
 * @example
 * const options: TapeOfOptions = { keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }] };
 */
interface TapeOfOptions {
  /** @default the first record's key attributes in order, the first as HASH, a second as RANGE */
  readonly keySchema?: readonly TapeKeySchemaElement[];
  /** The shard the records are in. @default one derived from the stream ARN, as streamRecordFactory's `shardId` */
  readonly shardId?: string;
  /** When the tape says it was made. @default Date.UTC(2026, 0, 1), so that runs repeat */
  readonly startedAt?: Date;
}

/**
 * A tape of the given records (built with `streamRecordFactory`, or from a Lambda event), in one shard, in the
 * given order: for tests of code that reads tapes. Write it to a file with `writeTape` from `eddy/runtime`.
 *
 * @example
 * import { writeTape } from 'eddy/runtime';
 * import { streamRecordFactory, tapeOf } from 'eddy/testing';
 *
 * const orders = streamRecordFactory({ tableName: 'orders', keys: ['orderId'] });
 * const tape = tapeOf([orders.insert({ orderId: 'o1', total: 10 }), orders.remove({ orderId: 'o1', total: 10 })]);
 * await writeTape({ path: 'orders.tape.ndjson' }, tape);
 */
const tapeOf = (records: readonly DynamoDBRecord[], options: TapeOfOptions = {}): Tape =>
  tapeFromLambdaEvent(
    // Through JSON, as Lambda passes events: the tape shares no objects with the test.
    JSON.parse(JSON.stringify({ Records: records })),
    {
      source: 'test-kit',
      tool: 'eddy/testing',
      startedAt: options.startedAt ?? new Date(Date.UTC(2026, 0, 1)),
      ...(options.keySchema === undefined ? {} : { keySchema: options.keySchema }),
      ...(options.shardId === undefined ? {} : { shardId: options.shardId }),
    },
  );

export type { TapeOfOptions };
export { tapeOf };
