/**
 * DynamoDB attribute values exactly as they travel in JSON: on the DynamoDB wire protocol, in GetRecords
 * responses and in Lambda's DynamoDBStreamEvent. Binary values are base64 strings, numbers are decimal strings.
 *
 * This is the one representation shared by the emulator, the runtime and the handler library; the SDK's
 * `Uint8Array`/`Date` forms are converted at the edges that talk to the SDK.
 *
 * @example
 * const total: AttributeValue = { N: '42.5' };
 */
type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { M: AttributeMap }
  | { L: AttributeValue[] }
  | { NULL: true }
  | { BOOL: boolean };

/**
 * An item, a key or a stream image: attribute name → value.
 *
 * @example
 * const keys: AttributeMap = record.dynamodb?.Keys ?? {};
 * const { orderId } = unmarshallImage<{ orderId: string }>(keys);
 */
type AttributeMap = Record<string, AttributeValue>;

/** The ten type descriptors DynamoDB knows. */
const ATTRIBUTE_TYPES = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'] as const;
type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

/** The type descriptor of a well-formed value (the value's only key). */
const attributeTypeOf = (value: AttributeValue): AttributeType => Object.keys(value)[0] as AttributeType;

export type { AttributeMap, AttributeType, AttributeValue };
export { ATTRIBUTE_TYPES, attributeTypeOf };
