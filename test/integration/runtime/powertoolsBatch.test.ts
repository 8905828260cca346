import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { startTestEmulator } from '../../../local-runtime/testing/index.js';

describe('a handler written with @aws-lambda-powertools/batch', () => {
  it('runs unmodified: its partial batch responses are honoured, the failing record redelivered', async () => {
    await using eddy = await startTestEmulator({
      tables: [
        {
          TableName: 'powertools',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
        },
      ],
    });
    for (const id of ['a', 'b', 'c']) await eddy.put('powertools', { id });

    // The handler exactly as Powertools documents it for DynamoDB streams.
    const processor = new BatchProcessor(EventType.DynamoDBStreams);
    const processed: string[] = [];
    let failB = true;
    const recordHandler = async (record: DynamoDBRecord): Promise<void> => {
      const id = record.dynamodb?.NewImage?.id?.S as string;
      if (id === 'b' && failB) {
        failB = false;
        throw new Error('b fails once');
      }
      processed.push(id);
    };
    const handler = async (event: DynamoDBStreamEvent, context: Context) =>
      processPartialResponse(event, recordHandler, processor, { context });

    await using run = await eddy.runHandler(handler, {
      table: 'powertools',
      settings: { FunctionResponseTypes: ['ReportBatchItemFailures'] },
    });
    await run.settled();
    // a succeeded once; b failed and was redelivered with the records after it (c twice: once before, once after).
    expect(processed).toEqual(['a', 'c', 'b', 'c']);
    expect(run.batchItemFailures).toHaveLength(1);
  });
});
