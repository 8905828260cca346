import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { EventSourceMapping } from '../../../src/runtime/EventSourceMapping.js';
import { inProcessInvoker } from '../../../src/runtime/inProcessInvoker.js';
import { createStreamTable } from '../../helpers/createStreamTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { waitFor } from '../../helpers/waitFor.js';

let h: EmulatorHarness;
afterEach(() => h.close());

describe('a handler written with @aws-lambda-powertools/batch', () => {
  it('runs unmodified: its partial batch responses are honoured, the failing record redelivered', async () => {
    h = await startHarness();
    const streamArn = await createStreamTable(h.dynamodb, 'powertools', 'NEW_IMAGE', 'id');
    for (const id of ['a', 'b', 'c']) {
      await h.dynamodb.send(new PutItemCommand({ TableName: 'powertools', Item: { id: { S: id } } }));
    }

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

    const mapping = new EventSourceMapping({
      mappingId: 'powertools',
      streamArn,
      client: h.streams,
      config: { StartingPosition: 'TRIM_HORIZON', FunctionResponseTypes: ['ReportBatchItemFailures'] },
      pollIntervalMs: 10,
      retryBackoff: { baseMs: 1, maxMs: 5 },
      invoker: inProcessInvoker(handler),
    });
    mapping.start();
    await waitFor(
      () => processed.filter((id) => id === 'b').length === 1 && processed.includes('c'),
      'b to succeed on redelivery',
    );
    await mapping.stop();
    // a succeeded once; b failed and was redelivered with the records after it (c twice: once before, once after).
    expect(processed).toEqual(['a', 'c', 'b', 'c']);
  });
});
