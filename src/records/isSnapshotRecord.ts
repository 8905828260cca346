import type { DynamoDBRecord } from 'aws-lambda';

/**
 * `eventID`s of bootstrap snapshot records begin with this: the mark survives every hop a Lambda record makes
 * (JSON, `@aws-lambda-powertools/parser`, an invoker over HTTP), so a handler can tell an item's state read by
 * `bootstrap` from a change the stream recorded. `StreamItem.snapshot` is derived from it.
 *
 * @example
 * if (record.eventID?.startsWith(SNAPSHOT_EVENT_ID_PREFIX)) console.log('a row of the bootstrap snapshot');
 */
const SNAPSHOT_EVENT_ID_PREFIX = 'eddy-snapshot:';

/**
 * Whether a Lambda record is a bootstrap snapshot record: an INSERT carrying an item's whole state at the
 * bootstrap's cut, not a change the stream recorded.
 *
 * @example
 * const rows = event.Records.filter(isSnapshotRecord);
 */
const isSnapshotRecord = (record: DynamoDBRecord): boolean =>
  record.eventID?.startsWith(SNAPSHOT_EVENT_ID_PREFIX) === true;

export { isSnapshotRecord, SNAPSHOT_EVENT_ID_PREFIX };
