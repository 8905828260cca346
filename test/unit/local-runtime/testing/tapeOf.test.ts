import { describe, expect, it } from 'vitest';
import { streamRecordFactory } from '../../../../local-runtime/testing/streamRecordFactory.js';
import { tapeOf } from '../../../../local-runtime/testing/tapeOf.js';
import { tapeToLambdaEvent } from '../../../../src/tape/lambdaEvent.js';

describe('tapeOf', () => {
  it("builds a tape of the factory's records, in its shard, that gives the same event back", () => {
    const orders = streamRecordFactory({
      tableName: 'orders',
      keys: ['customerId', 'orderId'],
      viewType: 'NEW_IMAGE',
    });
    const records = [
      orders.insert({ customerId: 'c1', orderId: 'o1' }),
      orders.remove({ customerId: 'c1', orderId: 'o1' }),
    ];
    const tape = tapeOf(records, { shardId: orders.shardId });
    expect(tape.header).toMatchObject({
      streamArn: orders.streamArn,
      tableName: 'orders',
      streamViewType: 'NEW_IMAGE',
      keySchema: [
        { AttributeName: 'customerId', KeyType: 'HASH' },
        { AttributeName: 'orderId', KeyType: 'RANGE' },
      ],
      recording: { source: 'test-kit', tool: 'eddy/testing', startedAt: '2026-01-01T00:00:00.000Z' },
    });
    expect(tape.records.map((r) => r.shardId)).toEqual([orders.shardId, orders.shardId]);
    expect(tapeToLambdaEvent(tape)).toEqual(orders.event(...records));
  });
});
