import type { _Record, AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb-streams';
import type { AttributeMap, AttributeValue } from './attributeValue.js';
import type { StreamRecord } from './streamRecord.js';

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** A map with each attribute's value converted, the same names in the same order. */
const mapAttributes = <From, To>(
  map: Record<string, From>,
  convert: (value: From) => To,
): Record<string, To> => {
  const out: Record<string, To> = {};
  for (const [name, value] of Object.entries(map)) {
    // defineProperty: an attribute named `__proto__` stays an attribute.
    Object.defineProperty(out, name, {
      value: convert(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
};

/** The SDK decodes binary to Uint8Array; the wire (a Lambda event, a tape) carries it as base64. */
const toWireValue = (value: SdkAttributeValue): AttributeValue => {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.M !== undefined) return { M: toWireMap(value.M) };
  if (value.L !== undefined) return { L: value.L.map(toWireValue) };
  if (value.NULL !== undefined) return { NULL: true };
  return { BOOL: value.BOOL === true };
};

/**
 * An SDK attribute map (binary as Uint8Array) in wire form (binary as base64), as GetRecords sent it and
 * Lambda's events carry it.
 *
 * @example
 * toWireMap({ pk: { S: 'a' }, blob: { B: new Uint8Array([1]) } }); // { pk: { S: 'a' }, blob: { B: 'AQ==' } }
 */
const toWireMap = (map: Record<string, SdkAttributeValue>): AttributeMap => mapAttributes(map, toWireValue);

/**
 * A record read through the SDK back in the JSON form GetRecords sent: the fields in AWS's order,
 * `ApproximateCreationDateTime` as epoch seconds, binary as base64
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Record.html). A tape stores
 * records so; Lambda's event record is this plus `eventSourceARN` (`toLambdaRecord`).
 *
 * @example
 * const { Records = [] } = await streams.send(new GetRecordsCommand({ ShardIterator }));
 * const wire = Records.map(toWireRecord);
 */
const toWireRecord = (record: _Record): StreamRecord => {
  const data = record.dynamodb ?? {};
  const created = data.ApproximateCreationDateTime;
  return {
    ...(record.eventID === undefined ? {} : { eventID: record.eventID }),
    ...(record.eventName === undefined ? {} : { eventName: record.eventName }),
    ...(record.eventVersion === undefined ? {} : { eventVersion: record.eventVersion }),
    ...(record.eventSource === undefined ? {} : { eventSource: record.eventSource }),
    ...(record.awsRegion === undefined ? {} : { awsRegion: record.awsRegion }),
    dynamodb: {
      ...(created === undefined ? {} : { ApproximateCreationDateTime: created.getTime() / 1000 }),
      ...(data.Keys === undefined ? {} : { Keys: toWireMap(data.Keys) }),
      ...(data.NewImage === undefined ? {} : { NewImage: toWireMap(data.NewImage) }),
      ...(data.OldImage === undefined ? {} : { OldImage: toWireMap(data.OldImage) }),
      ...(data.SequenceNumber === undefined ? {} : { SequenceNumber: data.SequenceNumber }),
      ...(data.SizeBytes === undefined ? {} : { SizeBytes: data.SizeBytes }),
      ...(data.StreamViewType === undefined ? {} : { StreamViewType: data.StreamViewType }),
    },
    ...(record.userIdentity === undefined
      ? {}
      : {
          userIdentity: {
            Type: record.userIdentity.Type as string,
            PrincipalId: record.userIdentity.PrincipalId as string,
          },
        }),
  } as StreamRecord;
};

/** A wire value (binary as base64) as the SDK sends it (binary as bytes). */
const toSdkValue = (value: AttributeValue): SdkAttributeValue => {
  if ('B' in value) return { B: Buffer.from(value.B, 'base64') };
  if ('BS' in value) return { BS: value.BS.map((b) => Buffer.from(b, 'base64')) };
  if ('M' in value) return { M: toSdkMap(value.M) };
  if ('L' in value) return { L: value.L.map(toSdkValue) };
  return value as SdkAttributeValue;
};

/**
 * A wire attribute map (a Lambda event's image, a tape's, a checkpointed Scan key: binary as base64) as the SDK
 * sends it (binary as bytes): `toWireMap` the other way. Numbers stay their decimal strings.
 *
 * @example
 * toSdkMap({ pk: { S: 'a' }, blob: { B: 'AQ==' } }); // { pk: { S: 'a' }, blob: { B: <Buffer 01> } }
 */
const toSdkMap = (map: AttributeMap): Record<string, SdkAttributeValue> => mapAttributes(map, toSdkValue);

export { toSdkMap, toWireMap, toWireRecord };
