import type { _Record, AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import type { AttributeMap, AttributeValue } from '../../../records/attributeValue.js';

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** The SDK decodes binary to Uint8Array; Lambda events carry it as base64 again. */
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

/** An SDK attribute map (binary as Uint8Array) in wire form (binary as base64), as Lambda's events carry it. */
const toWireMap = (map: Record<string, SdkAttributeValue>): AttributeMap => {
  const out: AttributeMap = {};
  for (const [name, value] of Object.entries(map)) {
    Object.defineProperty(out, name, {
      value: toWireValue(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
};

/**
 * A record read through the SDK, as Lambda hands it to a function: the GetRecords fields in AWS's order, then
 * `eventSourceARN`; `ApproximateCreationDateTime` as epoch seconds (a number), binary as base64
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html).
 */
const toLambdaRecord = (record: _Record, eventSourceARN: string): DynamoDBRecord => {
  const data = record.dynamodb ?? {};
  const created = data.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: record.eventSource,
    awsRegion: record.awsRegion,
    dynamodb: {
      ...(created === undefined ? {} : { ApproximateCreationDateTime: created.getTime() / 1000 }),
      ...(data.Keys === undefined ? {} : { Keys: toWireMap(data.Keys) }),
      ...(data.NewImage === undefined ? {} : { NewImage: toWireMap(data.NewImage) }),
      ...(data.OldImage === undefined ? {} : { OldImage: toWireMap(data.OldImage) }),
      ...(data.SequenceNumber === undefined ? {} : { SequenceNumber: data.SequenceNumber }),
      ...(data.SizeBytes === undefined ? {} : { SizeBytes: data.SizeBytes }),
      ...(data.StreamViewType === undefined ? {} : { StreamViewType: data.StreamViewType }),
    },
    eventSourceARN,
    ...(record.userIdentity === undefined
      ? {}
      : { userIdentity: { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId } }),
  } as DynamoDBRecord;
};

export { toLambdaRecord, toWireMap };
