import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { onFailureRecord } from '../../../../../../src/runtime/failures/destinations/onFailureRecord.js';
import {
  s3FailureKeyTime,
  s3FailureObject,
  s3FailureObjectKey,
} from '../../../../../../src/runtime/failures/destinations/s3FailureObject.js';
import { lambdaRecord } from '../../../../../helpers/factories.js';

// AWS's example S3 invocation record for a DynamoDB stream
// (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html, "Example Amazon S3 invocation record").
const AWS_SHARD = 'shardId-00000001573689847184-864758bb';
const AWS_STREAM = 'arn:aws:dynamodb:us-east-2:123456789012:table/mytable/stream/2019-11-14T00:04:06.388';
const AWS_EXAMPLE_KEYS = [
  'requestContext',
  'responseContext',
  'version',
  'timestamp',
  'DDBStreamBatchInfo',
  'payload',
];

const record = (sequenceNumber: string): DynamoDBRecord => {
  const r = lambdaRecord(
    'INSERT',
    { pk: 'order#1' },
    { newImage: { pk: 'order#1', total: 3 } },
    sequenceNumber,
  );
  return { ...r, dynamodb: { ...r.dynamodb, ApproximateCreationDateTime: 1573690399 } };
};
const batch = [record('800000000003126276362')];
const failure = onFailureRecord({
  requestId: '316aa6d0-8154-xmpl-9af7-85d5f4a6bc81',
  functionArn: 'arn:aws:lambda:us-east-2:123456789012:function:myfunction',
  condition: 'RetryAttemptsExhausted',
  approximateInvokeCount: 1,
  functionThrew: true,
  records: batch,
  shardId: AWS_SHARD,
  streamArn: AWS_STREAM,
  now: Date.parse('2019-11-14T00:13:49.717Z'),
});

describe(s3FailureObjectKey.name, () => {
  it("follows AWS's naming convention aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<Random UUID> in UTC", () => {
    const key = s3FailureObjectKey({
      mappingId: '14e0db71-5d35-4eb5-b481-8945cf9d10c2',
      shardId: AWS_SHARD,
      at: Date.parse('2019-11-04T03:05:09.717Z'),
      id: '0b2e6d0c-0000-4000-8000-000000000001',
    });
    expect(key).toBe(
      `aws/lambda/14e0db71-5d35-4eb5-b481-8945cf9d10c2/${AWS_SHARD}/2019/11/04/2019-11-04T03.05.09-0b2e6d0c-0000-4000-8000-000000000001`,
    );
    expect(s3FailureKeyTime(key)).toBe(Date.UTC(2019, 10, 4, 3, 5, 9));
    expect(s3FailureKeyTime(`some/prefix/${key}`)).toBe(Date.UTC(2019, 10, 4, 3, 5, 9));
  });

  it('finds no time in a key outside the layout', () => {
    expect(s3FailureKeyTime('aws/lambda/m/shard/2019/11/04/notes.txt')).toBeUndefined();
    expect(s3FailureKeyTime('aws/lambda/m/shard/2019/11/04/.2019-11-04T03.05.09-x.partial')).toBeUndefined();
  });
});

describe(s3FailureObject.name, () => {
  it("writes AWS's S3 example record: the SQS/SNS fields in their order, then payload as an escaped JSON string", () => {
    const { key, body } = s3FailureObject(failure, { mappingId: 'esm-1', records: batch }, 'id-1');
    expect(key).toBe(`aws/lambda/esm-1/${AWS_SHARD}/2019/11/14/2019-11-14T00.13.49-id-1`);
    const parsed = JSON.parse(body) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(AWS_EXAMPLE_KEYS);
    expect(parsed).toMatchObject({
      requestContext: {
        requestId: '316aa6d0-8154-xmpl-9af7-85d5f4a6bc81',
        condition: 'RetryAttemptsExhausted',
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: '2019-11-14T00:13:49.717Z',
      DDBStreamBatchInfo: {
        shardId: AWS_SHARD,
        startSequenceNumber: '800000000003126276362',
        endSequenceNumber: '800000000003126276362',
        approximateArrivalOfFirstRecord: '2019-11-14T00:13:19Z',
        approximateArrivalOfLastRecord: '2019-11-14T00:13:19Z',
        batchSize: 1,
        streamArn: AWS_STREAM,
      },
    });
    expect(typeof parsed.payload).toBe('string');
    const event = JSON.parse(parsed.payload as string);
    expect(event).toEqual({ Records: batch });
    expect(DynamoDBStreamSchema.safeParse(event).success).toBe(true);
  });

  it('leaves the SQS/SNS record without a payload', () => {
    expect(Object.keys(failure)).toEqual(AWS_EXAMPLE_KEYS.slice(0, -1));
  });
});
