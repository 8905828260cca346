import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { type NativeAttributeValue, unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeMap, AttributeValue } from './attributeValue.js';

/** Lambda events carry binary as base64; the SDK's unmarshall expects bytes. */
const toSdkValue = (value: AttributeValue): SdkAttributeValue => {
  if ('B' in value) return { B: Buffer.from(value.B, 'base64') };
  if ('BS' in value) return { BS: value.BS.map((b) => Buffer.from(b, 'base64')) };
  if ('M' in value) return { M: toSdkMap(value.M) };
  if ('L' in value) return { L: value.L.map(toSdkValue) };
  return value as SdkAttributeValue;
};

const toSdkMap = (map: AttributeMap): Record<string, SdkAttributeValue> => {
  const out: Record<string, SdkAttributeValue> = {};
  for (const [name, value] of Object.entries(map)) {
    Object.defineProperty(out, name, {
      value: toSdkValue(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
};

/**
 * A stream image (wire JSON, as in a Lambda event) as a plain object, with `@aws-sdk/util-dynamodb`'s rules:
 * numbers become `number` (or throw when they would lose precision), sets become `Set`, binary `Uint8Array`.
 *
 * @example
 * const order = unmarshallImage<Order>(record.dynamodb?.NewImage ?? {});
 */
const unmarshallImage = <T = Record<string, NativeAttributeValue>>(image: AttributeMap): T =>
  unmarshall(toSdkMap(image)) as T;

export { unmarshallImage };
