import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { toWireMap, toWireRecord } from '../../../records/wireRecord.js';

/**
 * A record read through the SDK, as Lambda hands it to a function: the GetRecords fields in AWS's order
 * (`toWireRecord`), then `eventSourceARN`, and `userIdentity` with Lambda's lower-case field names
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html).
 */
const toLambdaRecord = (record: _Record, eventSourceARN: string): DynamoDBRecord => {
  const { userIdentity, ...wire } = toWireRecord(record) as ReturnType<typeof toWireRecord> & {
    userIdentity?: { Type: string; PrincipalId: string };
  };
  return {
    eventID: wire.eventID,
    eventName: wire.eventName,
    eventVersion: wire.eventVersion,
    eventSource: wire.eventSource,
    awsRegion: wire.awsRegion,
    dynamodb: wire.dynamodb,
    eventSourceARN,
    ...(userIdentity === undefined
      ? {}
      : { userIdentity: { type: userIdentity.Type, principalId: userIdentity.PrincipalId } }),
  } as DynamoDBRecord;
};

export { toLambdaRecord, toWireMap };
