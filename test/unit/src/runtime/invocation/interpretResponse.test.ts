import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { interpretResponse } from '../../../../../src/runtime/invocation/interpretResponse.js';

const batch = ['100000000000000000001', '100000000000000000002', '100000000000000000003'].map(
  (SequenceNumber) => ({ dynamodb: { SequenceNumber } }) as DynamoDBRecord,
);

describe(interpretResponse.name, () => {
  // https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html, and AWS's recorded
  // batch-item-failure scenarios.
  it.each([
    ['null', null],
    ['an empty object', {}],
    ['an empty list of failures', { batchItemFailures: [] }],
    ['null failures', { batchItemFailures: null }],
    ['a top-level empty list', []],
  ])('treats %s as success', (_name, response) => {
    expect(interpretResponse(response, batch, true)).toEqual({ kind: 'success' });
  });

  it.each([
    ['an empty identifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null identifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a key other than itemIdentifier', { batchItemFailures: [{ foo: 'bar' }] }],
    ['an identifier not in the batch', { batchItemFailures: [{ itemIdentifier: '123' }] }],
  ])('fails the whole batch on %s', (_name, response) => {
    expect(interpretResponse(response, batch, true).kind).toBe('failure');
  });

  it('resumes at the lowest reported sequence number, whatever the order of the report', () => {
    const response = {
      batchItemFailures: [
        { itemIdentifier: '100000000000000000003' },
        { itemIdentifier: '100000000000000000002' },
      ],
    };
    expect(interpretResponse(response, batch, true)).toEqual({
      kind: 'partial',
      index: 1,
      failures: ['100000000000000000002', '100000000000000000003'],
    });
  });

  it('ignores batchItemFailures unless ReportBatchItemFailures is on', () => {
    const response = { batchItemFailures: [{ itemIdentifier: '100000000000000000001' }] };
    expect(interpretResponse(response, batch, false)).toEqual({ kind: 'success' });
  });
});
