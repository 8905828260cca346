import type { AttributeMap, AttributeValue } from '../../../../src/records/attributeValue.js';
import { canonicalNumber } from '../attributes/decimal.js';
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

/**
 * A deep copy with numbers in DynamoDB's canonical form, for values an update writes: DynamoDB stores
 * `SET a = :v` with `:v` = `{N: "1.50"}` as `1.5`.
 */
const cloneCanonical = (value: AttributeValue): AttributeValue => {
  if ('N' in value) return { N: canonicalNumber(value.N) };
  if ('NS' in value) return { NS: value.NS.map(canonicalNumber) };
  if ('M' in value) {
    const map: AttributeMap = {};
    for (const [name, member] of Object.entries(value.M)) setOwn(map, name, cloneCanonical(member));
    return { M: map };
  }
  if ('L' in value) return { L: value.L.map(cloneCanonical) };
  return cloneValue(value);
};

export { cloneCanonical, cloneValue };
