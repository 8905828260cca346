import type { AttributeMap } from './attributeValue.js';

/**
 * A DynamoDB Streams record as GetRecords returns it on the wire and as Lambda hands it to a function
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Record.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html). Lambda adds `eventSourceARN`; GetRecords never carries
 * it.
 *
 * @example
 * const viewType: StreamViewType = 'NEW_AND_OLD_IMAGES';
 */
type StreamViewType = 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';
/**
 * What happened to the item: `INSERT`, `MODIFY` or `REMOVE` (a DynamoDB stream record's `eventName`).
 *
 * @example
 * const changed = (name: EventName) => name !== 'REMOVE';
 */
type EventName = 'INSERT' | 'MODIFY' | 'REMOVE';

interface StreamRecordData {
  /** Epoch seconds, rounded down to the second on GetRecords. */
  ApproximateCreationDateTime: number;
  Keys: AttributeMap;
  NewImage?: AttributeMap;
  OldImage?: AttributeMap;
  SequenceNumber: string;
  SizeBytes: number;
  StreamViewType: StreamViewType;
}

/**
 * A record as DynamoDB Streams' GetRecords returns it (the SDK's shape, in its JSON form).
 *
 * @example
 * const { Records = [] } = await streams.send(new GetRecordsCommand({ ShardIterator }));
 * const first = Records[0] as StreamRecord | undefined;
 */
interface StreamRecord {
  eventID: string;
  eventName: EventName;
  eventVersion: string;
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: StreamRecordData;
  /**
   * Only on TTL deletes. GetRecords spells it `{ Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' }`;
   * Lambda's event spells the same fields `type` and `principalId`.
   */
  userIdentity?: { Type: string; PrincipalId: string };
}

const STREAM_VIEW_TYPES: readonly StreamViewType[] = [
  'NEW_IMAGE',
  'OLD_IMAGE',
  'NEW_AND_OLD_IMAGES',
  'KEYS_ONLY',
];

export type { EventName, StreamRecord, StreamRecordData, StreamViewType };
export { STREAM_VIEW_TYPES };
