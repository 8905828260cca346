import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { interpretWindowResponse } from '../../../../../src/runtime/invocation/interpretWindowResponse.js';
import { streamEvent } from '../../../../../src/runtime/invocation/streamEvent.js';

const WINDOWS = 'https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-windows.html';
const batch = ['100', '200'].map((n) => ({ dynamodb: { SequenceNumber: n } }) as DynamoDBRecord);

describe(interpretWindowResponse.name, () => {
  it(`carries the returned state to the window's next invocation (${WINDOWS})`, () => {
    expect(interpretWindowResponse({ state: { n: 2 } }, batch, false)).toEqual({
      outcome: { kind: 'success' },
      state: { n: 2 },
    });
  });

  it(`fails an invocation whose response has no state object (${WINDOWS})`, () => {
    for (const response of [undefined, null, {}, { state: null }, { state: [] }, { state: 'x' }]) {
      expect(interpretWindowResponse(response, batch, true).outcome.kind).toBe('failure');
    }
  });

  it('reads batch item failures beside the state, and keeps the state of a partial success', () => {
    const answer = interpretWindowResponse(
      { state: { n: 1 }, batchItemFailures: [{ itemIdentifier: '200' }] },
      batch,
      true,
    );
    expect(answer).toEqual({ outcome: { kind: 'partial', index: 1, failures: ['200'] }, state: { n: 1 } });
  });

  it('drops the state of a failed invocation', () => {
    expect(
      interpretWindowResponse({ state: {}, batchItemFailures: [{ itemIdentifier: '9' }] }, batch, true),
    ).not.toHaveProperty('state');
  });
});

describe(streamEvent.name, () => {
  it('is the plain DynamoDBStreamEvent without tumbling windows', () => {
    expect(streamEvent(batch, undefined, { final: false, shardId: 's', streamArn: 'arn' })).toEqual({
      Records: batch,
    });
  });

  it(`carries the window, its state and whether it is the final invocation (${WINDOWS})`, () => {
    const window = { bounds: { start: 0, end: 60 }, state: { n: 1 }, terminatedEarly: true };
    expect(streamEvent([], window, { final: true, shardId: 's', streamArn: 'arn' })).toEqual({
      Records: [],
      window: { start: '1970-01-01T00:00:00Z', end: '1970-01-01T00:01:00Z' },
      state: { n: 1 },
      shardId: 's',
      eventSourceARN: 'arn',
      isFinalInvokeForWindow: true,
      isWindowTerminatedEarly: true,
    });
    expect(streamEvent(batch, window, { final: false, shardId: 's', streamArn: 'arn' })).toMatchObject({
      isFinalInvokeForWindow: false,
      isWindowTerminatedEarly: false,
    });
  });
});
