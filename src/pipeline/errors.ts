import type { StreamViewType } from '../records/streamRecord.js';
import type { StreamItem } from './StreamItem.js';

/**
 * Which image of a stream record.
 *
 * @example
 * const which: ImageName = 'NewImage'; // or 'OldImage'
 */
type ImageName = 'NewImage' | 'OldImage';

/**
 * One problem a schema found in an image: where (attribute path) and what.
 *
 * @example
 * if (error instanceof RecordValidationError) for (const issue of error.issues) console.log(issue.path, issue.message);
 */
interface SchemaIssue {
  /** Attribute names and list indexes from the image's root; empty for the image itself. */
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * A record as error messages name it: its sequence number, event name and key, e.g.
 * `record 4421584500000000017450439091 (MODIFY orderId="o-1")`.
 */
const describeRecord = (item: StreamItem): string => {
  const keys = Object.keys(item.keys)
    .sort()
    .map((name) => `${name}=${formatKey(item.keys[name])}`)
    .join(' ');
  return `record ${item.sequenceNumber} (${item.eventName}${keys === '' ? '' : ` ${keys}`})`;
};

const formatKey = (value: unknown): string =>
  value instanceof Uint8Array ? `<${Buffer.from(value).toString('base64')}>` : JSON.stringify(value);

const formatIssue = (issue: SchemaIssue): string =>
  issue.path.length === 0 ? issue.message : `${issue.path.map(String).join('.')}: ${issue.message}`;

/**
 * A record whose image does not match the schema given to `decodeWith`. The record is reported in
 * `batchItemFailures`; the message names the record, the image and every issue.
 *
 * @example
 * defineStreamHandler(pipe(decodeWith(OrderSchema), processEach(save)), {
 *   onRecordError: (error) => {
 *     if (error instanceof RecordValidationError) console.warn(error.message); // names the record, image and fields
 *   },
 * });
 */
class RecordValidationError extends Error {
  readonly sequenceNumber: string;
  readonly image: ImageName;
  readonly issues: readonly SchemaIssue[];

  constructor(item: StreamItem, image: ImageName, issues: readonly SchemaIssue[], options?: ErrorOptions) {
    super(
      `${describeRecord(item)}: ${image} does not match the schema: ${issues.map(formatIssue).join('; ')}`,
      options,
    );
    this.name = 'RecordValidationError';
    this.sequenceNumber = item.sequenceNumber;
    this.image = image;
    this.issues = issues;
  }
}

/**
 * A record that lacks an image an operator needs because of the stream's StreamViewType (a MODIFY without
 * OldImage on a NEW_IMAGE stream, say). Reported as a failure rather than dropped, so a misconfigured stream
 * is loud instead of silently doing nothing.
 *
 * @example
 * if (error instanceof MissingImageError) console.error('the stream view type lacks an image the operator needs');
 */
class MissingImageError extends Error {
  readonly sequenceNumber: string;
  readonly image: ImageName;
  readonly streamViewType: StreamViewType | undefined;

  constructor(item: StreamItem, image: ImageName, operator: string, needs: readonly StreamViewType[]) {
    const viewType = item.record.dynamodb?.StreamViewType as StreamViewType | undefined;
    super(
      `${describeRecord(item)} has no ${image}: ${operator} needs StreamViewType ${needs.join(' or ')}, ` +
        `and the record's stream has ${viewType ?? 'no StreamViewType'}`,
    );
    this.name = 'MissingImageError';
    this.sequenceNumber = item.sequenceNumber;
    this.image = image;
    this.streamViewType = viewType;
  }
}

/**
 * A record failed without running because an earlier record of the same item failed in this batch: applying
 * it would reorder the item's changes. `cause` is the earlier record's error.
 *
 * @example
 * onRecordError: (error) => {
 *   if (error instanceof EarlierRecordFailedError) return; // reported already, with the record that failed first
 *   console.error(error);
 * }
 */
class EarlierRecordFailedError extends Error {
  /** The sequence number of the earlier record that failed. */
  readonly failedSequenceNumber: string;

  constructor(failedSequenceNumber: string, cause: unknown) {
    super(`an earlier record of this item failed (${failedSequenceNumber})`, { cause });
    this.name = 'EarlierRecordFailedError';
    this.failedSequenceNumber = failedSequenceNumber;
  }
}

/**
 * `failRecord` was given a record that no handler invocation is processing.
 *
 * @example
 * failRecord(itemFromAnotherInvocation, new Error('bad')); // throws RecordNotInInvocationError
 */
class RecordNotInInvocationError extends Error {
  constructor(item: StreamItem) {
    super(
      `${describeRecord(item)} is not part of a handler invocation, so its failure cannot be reported: ` +
        'run the pipeline through defineStreamHandler or defineWindowedHandler',
    );
    this.name = 'RecordNotInInvocationError';
  }
}

export type { ImageName, SchemaIssue };
export {
  describeRecord,
  EarlierRecordFailedError,
  MissingImageError,
  RecordNotInInvocationError,
  RecordValidationError,
};
