import { filter, map, type OperatorFunction, pipe } from 'rxjs';
import { MissingImageError } from '../pipeline/errors.js';
import { failRecord } from '../pipeline/failRecord.js';
import type { Item, StreamItem } from '../pipeline/StreamItem.js';

/**
 * Maps each record to its new image: the item as it is after the change, unmarshalled to a plain object
 * (numbers as `number`, sets as `Set`, binary as `Uint8Array`) and typed as `T`.
 *
 * Records without a new image by nature, REMOVEs, are dropped and count as handled. An INSERT or MODIFY
 * without one is not dropped: it means the stream's StreamViewType (KEYS_ONLY or OLD_IMAGE) never carries new
 * images, so the record is reported as a failure (a {@link MissingImageError} naming the StreamViewType) rather
 * than silently doing nothing for every record.
 *
 * The image no longer says which record it came from, so use it where the record is no longer needed, such as
 * a fold in `defineWindowedHandler`; `processEach` and `project` take `StreamItem`s.
 *
 * ```
 * items:   --i--m--r--k--|   newImage()     k: an INSERT on a KEYS_ONLY stream
 * result:  --I--M--------|                  I, M: the images of i and m; k is reported as failed
 * ```
 *
 * @example
 * defineWindowedHandler<{ total: number }, Order>((records, { state }) =>
 *   records.pipe(newImage(), reduce((s, order) => ({ total: s.total + order.total }), state)),
 * );
 */
const newImage = <T extends Item = Item>(): OperatorFunction<StreamItem<T>, T> =>
  pipe(
    filter((item): item is StreamItem<T> & { readonly newImage: T } => {
      if (item.newImage !== undefined) return true;
      if (item.eventName !== 'REMOVE') {
        failRecord(
          item,
          new MissingImageError(item, 'NewImage', 'newImage()', ['NEW_IMAGE', 'NEW_AND_OLD_IMAGES']),
        );
      }
      return false;
    }),
    map((item) => item.newImage),
  );

export { newImage };
