import type { AttributeMap, AttributeValue } from '../../../../src/records/attributeValue.js';
import { setOwn } from './documentPath.js';

/**
 * A deep copy of a value, so an item built by an update or a projection shares nothing mutable with the item
 * it came from or with the expression's values.
 */
const cloneValue = (value: AttributeValue): AttributeValue => {
  if ('M' in value) {
    const map: AttributeMap = {};
    for (const [name, member] of Object.entries(value.M)) setOwn(map, name, cloneValue(member));
    return { M: map };
  }
  if ('L' in value) return { L: value.L.map(cloneValue) };
  if ('SS' in value) return { SS: [...value.SS] };
  if ('NS' in value) return { NS: [...value.NS] };
  if ('BS' in value) return { BS: [...value.BS] };
  return { ...value } as AttributeValue;
};

export { cloneValue };
