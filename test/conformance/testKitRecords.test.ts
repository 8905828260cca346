/**
 * The test kit's record builders against what Lambda delivered on real AWS
 * (test/fixtures/aws-recordings/test_lambda_integration_dynamodbstreams.snapshot.json,
 * `test_dynamodb_event_source_mapping`: one PutItem of a string key and a binary attribute, NEW_IMAGE).
 */
import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import { describe, expect, it } from 'vitest';
import { streamRecordFactory } from '../../local-runtime/testing/index.js';
import { type Json, recordedContent } from '../helpers/recordedSnapshot.js';

type RecordedRecord = Record<string, Json> & { dynamodb: Record<string, Json> };

describe('streamRecordFactory against a recorded Lambda event', () => {
  const recorded = (
    recordedContent(
      'test_lambda_integration_dynamodbstreams.snapshot.json',
      'test_dynamodb_event_source_mapping',
    ).event_logs as { Records: RecordedRecord[] }[]
  )[0]?.Records[0] as RecordedRecord;
  const table = streamRecordFactory({
    tableName: 'test-table',
    keys: ['my_partition_key'],
    viewType: 'NEW_IMAGE',
  });
  const ours = table.insert({ my_partition_key: 'hello world', binary_key: Buffer.from('foobar') });

  it('has the recorded fields, in Lambda’s order, at the record and the dynamodb level', () => {
    expect(Object.keys(ours)).toEqual(Object.keys(recorded));
    expect(Object.keys(ours.dynamodb ?? {})).toEqual(Object.keys(recorded.dynamodb));
  });

  it('has the recorded values: names, keys, image (binary as base64), SizeBytes, view type', () => {
    const { eventName, eventVersion, eventSource } = recorded;
    expect({
      eventName: ours.eventName,
      eventVersion: ours.eventVersion,
      eventSource: ours.eventSource,
    }).toEqual({
      eventName,
      eventVersion,
      eventSource,
    });
    const { Keys, NewImage, SizeBytes, StreamViewType } = recorded.dynamodb;
    expect(ours.dynamodb).toMatchObject({ Keys, NewImage, SizeBytes, StreamViewType });
  });

  it('has AWS’s shapes where the recording masks values: epoch seconds, sequence number, event id, ARN', () => {
    expect(ours.dynamodb?.ApproximateCreationDateTime).toSatisfy(
      (created: number) => Number.isInteger(created) && String(created).length === 10,
    );
    expect(ours.dynamodb?.SequenceNumber).toMatch(/^\d{21,40}$/);
    expect(ours.eventID).toMatch(/^[0-9a-f]{32}$/);
    expect(ours.eventSourceARN).toMatch(
      /^arn:aws:dynamodb:us-east-1:\d{12}:table\/test-table\/stream\/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/,
    );
    expect(DynamoDBStreamSchema.safeParse(table.event(ours)).success).toBe(true);
  });
});
