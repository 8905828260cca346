import { filter, type MonoTypeOperatorFunction } from 'rxjs';
import { MissingImageError } from '../pipeline/errors.js';
import { failRecord } from '../pipeline/failRecord.js';
import type { Item, StreamItem } from '../pipeline/StreamItem.js';
import { valuesEqual } from '../records/valuesEqual.js';

/**
 * Keeps the MODIFY records where at least one of the given top-level attributes really changed between the old
 * and the new image: added, removed, or given a different value. Values are compared deeply on the unmarshalled
 * images, sets as sets (`SS ["a","b"]` equals `SS ["b","a"]`), so an update that rewrites the same value is not
 * a change. INSERTs, REMOVEs and MODIFYs that left those attributes alone are dropped and count as handled.
 *
 * Needs a stream with StreamViewType NEW_AND_OLD_IMAGES. A MODIFY without both images is not dropped: it is
 * reported as a failure (a {@link MissingImageError} naming the stream's StreamViewType), so a stream with the
 * wrong view type is loud instead of silently passing nothing.
 *
 * ```
 * items:   --a--b--c--d--|   changed('status')
 * result:  --a-----c-----|   a: status PAID → SHIPPED; b: only total changed; c: status added;
 *                            d: a MODIFY on a NEW_IMAGE stream, reported as failed
 * ```
 *
 * @example
 * pipe(changed<Order>('status'), processEach((item) => notifyCustomer(item.newImage)))
 */
const changed = <T extends Item = Item>(
  ...attributes: [keyof T & string, ...(keyof T & string)[]]
): MonoTypeOperatorFunction<StreamItem<T>> =>
  filter((item) => {
    if (item.eventName !== 'MODIFY') return false;
    const { oldImage, newImage } = item;
    if (oldImage === undefined || newImage === undefined) {
      const missing = oldImage === undefined ? 'OldImage' : 'NewImage';
      const operator = `changed(${attributes.map((name) => JSON.stringify(name)).join(', ')})`;
      failRecord(item, new MissingImageError(item, missing, operator, ['NEW_AND_OLD_IMAGES']));
      return false;
    }
    return attributes.some(
      (name) =>
        Object.hasOwn(oldImage, name) !== Object.hasOwn(newImage, name) ||
        !valuesEqual(oldImage[name], newImage[name]),
    );
  });

export { changed };
