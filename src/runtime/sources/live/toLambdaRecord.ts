import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import type { StreamRecord } from '../../../records/streamRecord.js';
import { toWireMap, toWireRecord } from '../../../records/wireRecord.js';

/**
 * A record in GetRecords' wire form (as a tape stores it), as Lambda hands it to a function: its fields in
 * AWS's order, then `eventSourceARN`, and `userIdentity` with Lambda's lower-case field names
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html).
 */
const lambdaRecordOf = (record: StreamRecord, eventSourceARN: string): DynamoDBRecord => {
  const { userIdentity, ...fields } = record;
  return {
    ...fields,
    eventSourceARN,
    ...(userIdentity === undefined
      ? {}
      : { userIdentity: { type: userIdentity.Type, principalId: userIdentity.PrincipalId } }),
  } as DynamoDBRecord;
};

/** A record read through the SDK, as Lambda hands it to a function (`lambdaRecordOf` of its wire form). */
const toLambdaRecord = (record: _Record, eventSourceARN: string): DynamoDBRecord =>
  lambdaRecordOf(toWireRecord(record), eventSourceARN);

export { lambdaRecordOf, toLambdaRecord, toWireMap };
