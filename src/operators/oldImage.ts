import { filter, map, type OperatorFunction, pipe } from 'rxjs';
import { MissingImageError } from '../pipeline/errors.js';
import { failRecord } from '../pipeline/failRecord.js';
import type { Item, StreamItem } from '../pipeline/StreamItem.js';

/**
 * Maps each record to its old image: the item as it was before the change, unmarshalled to a plain object
 * (numbers as `number`, sets as `Set`, binary as `Uint8Array`) and typed as `T`.
 *
 * Records without an old image by nature, INSERTs, are dropped and count as handled. A MODIFY or REMOVE
 * without one is not dropped: it means the stream's StreamViewType (KEYS_ONLY or NEW_IMAGE) never carries old
 * images, so the record is reported as a failure (a {@link MissingImageError} naming the StreamViewType) rather
 * than silently doing nothing for every record.
 *
 * The image no longer says which record it came from, so use it where the record is no longer needed, such as
 * a fold in `defineWindowedHandler`; `processEach` and `project` take `StreamItem`s.
 *
 * ```
 * items:   --i--m--r--k--|   oldImage()     k: a REMOVE on a NEW_IMAGE stream
 * result:  -----M--R-----|                  M, R: the images of m and r; k is reported as failed
 * ```
 *
 * @example
 * defineWindowedHandler<{ removed: number }, Order>((records, { state }) =>
 *   records.pipe(removes(), oldImage(), count(), map((n) => ({ removed: state.removed + n }))),
 * );
 */
const oldImage = <T extends Item = Item>(): OperatorFunction<StreamItem<T>, T> =>
  pipe(
    filter((item): item is StreamItem<T> & { readonly oldImage: T } => {
      if (item.oldImage !== undefined) return true;
      if (item.eventName !== 'INSERT') {
        failRecord(
          item,
          new MissingImageError(item, 'OldImage', 'oldImage()', ['OLD_IMAGE', 'NEW_AND_OLD_IMAGES']),
        );
      }
      return false;
    }),
    map((item) => item.oldImage),
  );

export { oldImage };
