import type { AttributeMap } from '../../../../src/records/attributeValue.js';
import { itemSize } from '../../../../src/records/itemSize.js';
import { validationException } from '../../errors.js';

/** DynamoDB's item size limit: 400 KB, names and values counted (DynamoDB developer guide, Service quotas). */
const MAX_ITEM_BYTES = 400 * 1024;

/** Throws DynamoDB's ValidationException for an item over 400 KB; returns the item's size otherwise. */
const checkItemSize = (item: AttributeMap): number => {
  const size = itemSize(item);
  if (size > MAX_ITEM_BYTES) throw validationException('Item size has exceeded the maximum allowed size');
  return size;
};

export { checkItemSize, MAX_ITEM_BYTES };
