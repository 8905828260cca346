import type { AttributeMap, AttributeValue } from '../../../../src/records/attributeValue.js';
import { compareValues, isOrderable, valuesEqual } from '../attributes/compareValues.js';
import type { KeyCondition } from './compiled.js';
import { getOwn } from './documentPath.js';
import { evaluateCondition } from './evaluateCondition.js';

/** Whether a sort key value satisfies a key condition's sort key condition. */
const matchesSortKey = (sortKey: NonNullable<KeyCondition['sortKey']>, value: AttributeValue): boolean => {
  const [first, second] = sortKey.values as [AttributeValue, AttributeValue | undefined];
  if (sortKey.operator === 'begins_with') {
    return evaluateCondition(
      { kind: 'begins_with', left: { kind: 'value', value }, right: { kind: 'value', value: first } },
      undefined,
    );
  }
  if (!isOrderable(value, first)) return false;
  const order = compareValues(value, first);
  switch (sortKey.operator) {
    case '=':
      return order === 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    default:
      return (
        order >= 0 && second !== undefined && isOrderable(value, second) && compareValues(value, second) <= 0
      );
  }
};

/** Whether an item is selected by a key condition: its partition key equals, its sort key satisfies. */
const matchesKeyCondition = (keyCondition: KeyCondition, item: AttributeMap): boolean => {
  const partition = getOwn(item, keyCondition.partitionKey.name);
  if (partition === undefined || !valuesEqual(partition, keyCondition.partitionKey.value)) return false;
  if (keyCondition.sortKey === undefined) return true;
  const sort = getOwn(item, keyCondition.sortKey.name);
  return sort !== undefined && matchesSortKey(keyCondition.sortKey, sort);
};

export { matchesKeyCondition, matchesSortKey };
