import type { DynamoDBRecord, AttributeValue as LambdaAttributeValue } from 'aws-lambda';
import type { AttributeMap } from '../../../records/attributeValue.js';
import { SNAPSHOT_EVENT_ID_PREFIX } from '../../../records/isSnapshotRecord.js';

interface SnapshotRecordFields {
  /** The item's key attributes (wire form). */
  readonly keys: AttributeMap;
  /** The whole item (wire form). */
  readonly image: AttributeMap;
  /** Unique within the bootstrap's virtual shard, digits only (see `snapshotSequence`). */
  readonly sequenceNumber: string;
  /** Where the row came from, for the eventID: `segment-3` or `stream`. */
  readonly origin: string;
  readonly eventSourceARN: string;
  /** Epoch seconds the row describes the item at. */
  readonly approximateCreationDateTime: number;
  /** The stream's view type, as its real records carry it. */
  readonly streamViewType: string;
}

/**
 * A snapshot row as a Lambda record: an INSERT with the whole item as its NewImage, so a handler that does not
 * know snapshots treats it as the item's creation (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html).
 */
const snapshotRecordOf = (fields: SnapshotRecordFields): DynamoDBRecord => {
  const region = fields.eventSourceARN.split(':')[3] ?? '';
  const keysOnly = fields.streamViewType === 'KEYS_ONLY';
  return {
    eventID: `${SNAPSHOT_EVENT_ID_PREFIX}${fields.origin}:${fields.sequenceNumber}`,
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: {
      ApproximateCreationDateTime: fields.approximateCreationDateTime,
      Keys: fields.keys as Record<string, LambdaAttributeValue>,
      ...(keysOnly ? {} : { NewImage: fields.image as Record<string, LambdaAttributeValue> }),
      SequenceNumber: fields.sequenceNumber,
      SizeBytes: Buffer.byteLength(JSON.stringify(fields.image)),
      StreamViewType: fields.streamViewType as 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN: fields.eventSourceARN,
  };
};

/** Rows of one scanned page at most (the Scan `Limit` the bootstrap uses is below it). */
const ROWS_PER_PAGE = 1_000_000;
/** The row index that marks a page's last emitted row: a checkpoint on it means the whole page is done. */
const LAST_ROW = ROWS_PER_PAGE - 1;

/**
 * A snapshot record's sequence number in its virtual shard: page `page` (counted per segment, re-reads
 * included) times a million plus the row's index, the page's last row at index 999999, as 21 digits, the
 * shortest sequence number form. Digits only and growing, so the runtime checkpoints the virtual shard like a
 * real one; a checkpoint on a last row says the page is done, so a resumed bootstrap starts at the next page.
 *
 * @example
 * snapshotSequence(3, 0, false); // '000000000000003000000'
 */
const snapshotSequence = (page: number, row: number, last: boolean): string =>
  (BigInt(page) * BigInt(ROWS_PER_PAGE) + BigInt(last ? LAST_ROW : row)).toString().padStart(21, '0');

/** The page and whether it was done, from a virtual shard's checkpoint. */
const pageOfSequence = (sequenceNumber: string): { readonly page: number; readonly pageDone: boolean } => {
  const n = BigInt(sequenceNumber);
  return {
    page: Number(n / BigInt(ROWS_PER_PAGE)),
    pageDone: n % BigInt(ROWS_PER_PAGE) === BigInt(LAST_ROW),
  };
};

export type { SnapshotRecordFields };
export { pageOfSequence, ROWS_PER_PAGE, snapshotRecordOf, snapshotSequence };
