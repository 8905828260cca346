import type { DynamoDBRecord } from 'aws-lambda';
import { recordJson } from '../../records/recordJson.js';

/** Lambda's synchronous invocation payload limit: a batch is cut before its event would pass 6 MB. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** Bytes a record adds to the event: its JSON, and the comma before it unless it is the first. */
const recordBytes = (record: DynamoDBRecord, first: boolean): number =>
  Buffer.byteLength(recordJson(record)) + (first ? 0 : 1);

/**
 * ⑤ The next batch from the front of a queue: at most `batchSize` records and at most 6 MB of event, but
 * always at least one record, so an oversized record is still delivered (and fails on its own).
 */
const takeBatch = (
  queue: readonly DynamoDBRecord[],
  batchSize: number,
  maxBytes = MAX_PAYLOAD_BYTES,
): DynamoDBRecord[] => {
  const batch: DynamoDBRecord[] = [];
  let bytes = '{"Records":[]}'.length;
  for (const record of queue) {
    if (batch.length >= batchSize) break;
    bytes += recordBytes(record, batch.length === 0);
    if (batch.length > 0 && bytes > maxBytes) break;
    batch.push(record);
  }
  return batch;
};

export { MAX_PAYLOAD_BYTES, takeBatch };
