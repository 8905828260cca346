import { describeRecord } from '../pipeline/errors.js';
import type { StreamItem } from '../pipeline/StreamItem.js';
import type { StreamViewType } from '../records/streamRecord.js';

/**
 * An operator got a record from a stream whose StreamViewType does not carry the images it needs (`replicate`
 * and `aggregate` need NEW_AND_OLD_IMAGES). Raised at the first record, whatever its event name, rather than at
 * the first MODIFY or REMOVE: a misconfigured stream is loud from the start.
 *
 * @example
 * if (error instanceof StreamViewTypeError) console.error(error.message); // says which StreamViewType the operator needs
 */
class StreamViewTypeError extends Error {
  readonly sequenceNumber: string;
  readonly streamViewType: StreamViewType | undefined;
  readonly needs: StreamViewType;

  constructor(item: StreamItem, operator: string, needs: StreamViewType) {
    const viewType = item.record.dynamodb?.StreamViewType as StreamViewType | undefined;
    super(
      `${describeRecord(item)}: ${operator} needs a stream with StreamViewType ${needs}, and this record's ` +
        `stream has ${viewType ?? 'no StreamViewType'} (set StreamSpecification.StreamViewType: ${needs})`,
    );
    this.name = 'StreamViewTypeError';
    this.sequenceNumber = item.sequenceNumber;
    this.streamViewType = viewType;
    this.needs = needs;
  }
}

/**
 * Throws a {@link StreamViewTypeError} unless the record comes from a NEW_AND_OLD_IMAGES stream and carries
 * the images its event name implies (INSERT: new; MODIFY: both; REMOVE: old).
 * @internal
 */
const requireNewAndOldImages = (item: StreamItem, operator: string): void => {
  const viewType = item.record.dynamodb?.StreamViewType;
  const complete =
    (item.eventName === 'REMOVE' || item.newImage !== undefined) &&
    (item.eventName === 'INSERT' || item.oldImage !== undefined);
  if ((viewType !== undefined && viewType !== 'NEW_AND_OLD_IMAGES') || !complete) {
    throw new StreamViewTypeError(item, operator, 'NEW_AND_OLD_IMAGES');
  }
};

export { requireNewAndOldImages, StreamViewTypeError };
