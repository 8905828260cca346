import type { DynamoDBRecord } from 'aws-lambda';
import { laneOf } from '../runtime/batching/laneOf.js';
import type { FailedRange } from './FailedRange.js';

/**
 * The records of the failed batch among those read from its range, and whether they are what the failure
 * record said. With ParallelizationFactor above 1, a shard's range also holds other lanes' records (items
 * hash to lanes; a batch is one lane's): only the lane of the batch's first record is kept. Then the count
 * must be the record's `batchSize`; when it is not, `mismatch` says so (the redrive goes on with what it has).
 *
 * @example
 * const { records, mismatch } = batchOfRange(read.records, range, 1);
 */
const batchOfRange = (
  read: readonly DynamoDBRecord[],
  range: FailedRange,
  parallelizationFactor: number,
): { readonly records: readonly DynamoDBRecord[]; readonly mismatch?: string } => {
  const first = read[0];
  if (first === undefined) {
    return {
      records: [],
      mismatch: `none of its ${range.batchSize} record(s) could be read from the stream`,
    };
  }
  const lane = laneOf(first, parallelizationFactor);
  const records =
    parallelizationFactor === 1
      ? read
      : read.filter((record) => laneOf(record, parallelizationFactor) === lane);
  if (records.length === range.batchSize) return { records };
  return {
    records,
    mismatch:
      `the failure record says ${range.batchSize} record(s), the stream holds ${records.length} between ` +
      `${range.startSequenceNumber} and ${range.endSequenceNumber}` +
      (parallelizationFactor > 1
        ? ` in the batch's lane (ParallelizationFactor ${parallelizationFactor})`
        : ''),
  };
};

export { batchOfRange };
