import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { defineStreamHandler } from '../../../../src/handler/defineStreamHandler.js';
import { processEach } from '../../../../src/operators/processEach.js';
import type { AttributeMap } from '../../../../src/records/attributeValue.js';
import { unmarshallImage } from '../../../../src/records/unmarshallImage.js';
import { interpretResponse } from '../../../../src/runtime/invocation/interpretResponse.js';
import { lambdaRecord } from '../../../helpers/factories.js';

/** The business logic both handlers run: refuse orders marked as poison. */
const apply = async (order: Record<string, unknown> | undefined): Promise<void> => {
  if (order?.poison === true) throw new Error(`poison order ${String(order.id)}`);
};

/** The logic as an Eddy handler. */
const eddyHandler = defineStreamHandler(
  processEach((item) => apply(item.newImage)),
  { onRecordError: () => undefined },
);

/** The same logic as a handler written with Powertools' batch utility, as its documentation shows. */
const powertoolsHandler = (options?: { throwOnFullBatchFailure?: boolean }) => {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  return (event: DynamoDBStreamEvent) =>
    processPartialResponse(
      event,
      (record: DynamoDBRecord) => apply(unmarshallImage(record.dynamodb?.NewImage as AttributeMap)),
      processor,
      options,
    );
};

const order = (id: string, poison = false) => lambdaRecord('INSERT', { id }, { newImage: { id, poison } });

const event = (...Records: DynamoDBRecord[]): DynamoDBStreamEvent => {
  expect(DynamoDBStreamSchema.safeParse({ Records }).success).toBe(true);
  return { Records };
};

const failuresOf = (response: DynamoDBBatchResponse) =>
  response.batchItemFailures.map((f) => f.itemIdentifier);

describe('defineStreamHandler and @aws-lambda-powertools/batch', () => {
  it.each([
    ['every record succeeds', [order('a'), order('b'), order('c')]],
    ['one record fails', [order('a'), order('b', true), order('c')]],
    ['several items fail', [order('a', true), order('b'), order('c', true), order('d')]],
  ])('answer the same batchItemFailures when %s', async (_, records) => {
    const same = event(...records);
    const eddy = await eddyHandler(same);
    const reference = await powertoolsHandler()(same);
    expect(failuresOf(eddy).sort()).toEqual(failuresOf(reference).sort());
  });

  it('answer the same when every record fails, with throwOnFullBatchFailure off', async () => {
    const all = event(order('a', true), order('b', true));
    const eddy = await eddyHandler(all);
    const reference = await powertoolsHandler({ throwOnFullBatchFailure: false })(all);
    expect(failuresOf(eddy)).toEqual(failuresOf(reference));
    // By default Powertools throws instead; Lambda then retries the whole batch, as it does for Eddy's answer.
    await expect(powertoolsHandler()(all)).rejects.toThrow();
    expect(interpretResponse(eddy, all.Records, true)).toMatchObject({ kind: 'partial', index: 0 });
  });

  it("move Lambda's checkpoint to the same record when a failed item has later records", async () => {
    // Powertools reports only a1; Eddy also reports a2, which must not be applied before a1 is. Lambda resumes
    // at the lowest reported sequence number either way.
    const records = [
      order('a', true),
      order('b'),
      lambdaRecord('MODIFY', { id: 'a' }, { newImage: { id: 'a' }, oldImage: { id: 'a', poison: true } }),
    ];
    const same = event(...records);
    const eddy = await eddyHandler(same);
    const reference = await powertoolsHandler()(same);
    const seq = (r: DynamoDBRecord | undefined) => r?.dynamodb?.SequenceNumber;
    expect(failuresOf(reference)).toEqual([seq(records[0])]);
    expect(failuresOf(eddy)).toEqual([seq(records[0]), seq(records[2])]);
    expect(interpretResponse(eddy, records, true)).toMatchObject({ kind: 'partial', index: 0 });
    expect(interpretResponse(reference, records, true)).toMatchObject({ kind: 'partial', index: 0 });
  });
});
