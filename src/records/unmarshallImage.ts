import { type NativeAttributeValue, unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeMap } from './attributeValue.js';
import { toSdkMap } from './wireRecord.js';

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
