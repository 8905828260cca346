import { type NativeAttributeValue, unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeMap, AttributeValue } from './attributeValue.js';
import { toSdkMap } from './wireRecord.js';

/** Whether a wire value holds binary (base64 text the SDK's `unmarshall` would leave a string), at any depth. */
const holdsBinary = (value: AttributeValue): boolean => {
  if ('B' in value || 'BS' in value) return true;
  if ('M' in value) return mapHoldsBinary(value.M);
  if ('L' in value) return value.L.some(holdsBinary);
  return false;
};

const mapHoldsBinary = (map: AttributeMap): boolean => {
  for (const name in map) {
    if (Object.hasOwn(map, name) && holdsBinary(map[name] as AttributeValue)) return true;
  }
  return false;
};

/**
 * A stream image (wire JSON, as in a Lambda event) as a plain object, with `@aws-sdk/util-dynamodb`'s rules:
 * numbers become `number` (or throw when they would lose precision), sets become `Set`, binary `Uint8Array`.
 *
 * Only an image with binary is converted to the SDK's form first (base64 to bytes): every other wire value is
 * already what `unmarshall` takes, and it reads its input without changing it: the copy cost the example
 * projection ~4 % of its CPU per record (bench/examplePipelines.ts).
 *
 * @example
 * const order = unmarshallImage<Order>(record.dynamodb?.NewImage ?? {});
 */
const unmarshallImage = <T = Record<string, NativeAttributeValue>>(image: AttributeMap): T =>
  unmarshall(mapHoldsBinary(image) ? toSdkMap(image) : (image as never)) as T;

export { unmarshallImage };
