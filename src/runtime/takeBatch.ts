import type { DynamoDBRecord } from 'aws-lambda';

/** Lambda's synchronous invocation payload limit: a batch is cut before its event would pass 6 MB. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** Bytes a record adds to the event: its JSON and the comma that separates it. */
const recordBytes = (record: DynamoDBRecord): number => Buffer.byteLength(JSON.stringify(record)) + 1;

interface Batch {
  /** The records to invoke with: those the filter kept. */
  readonly records: DynamoDBRecord[];
  /** Where each of them is in the buffer. */
  readonly positions: number[];
  /** How many buffer records the batch spans, filtered-out ones included: all are done once it succeeds. */
  readonly consumed: number;
}

/**
 * ⑤ The next batch from the front of the buffer: at most `batchSize` records that pass the filter and at most
 * 6 MB of event, but always at least one record, so an oversized record is still delivered (and fails on its
 * own). Records the filter drops are spanned, not sent: Lambda checkpoints past them.
 */
const takeBatch = (
  buffer: readonly DynamoDBRecord[],
  batchSize: number,
  matches: (record: DynamoDBRecord) => boolean = () => true,
  maxBytes = MAX_PAYLOAD_BYTES,
): Batch => {
  const records: DynamoDBRecord[] = [];
  const positions: number[] = [];
  let bytes = '{"Records":[]}'.length;
  let consumed = 0;
  for (const record of buffer) {
    if (!matches(record)) {
      consumed += 1;
      continue;
    }
    if (records.length >= batchSize) break;
    bytes += recordBytes(record);
    if (records.length > 0 && bytes > maxBytes) break;
    records.push(record);
    positions.push(consumed);
    consumed += 1;
  }
  return { records, positions, consumed };
};

export type { Batch };
export { MAX_PAYLOAD_BYTES, takeBatch };
