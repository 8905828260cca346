import { describe, expect, it } from 'vitest';
import { takeBatch } from '../../../../../src/runtime/batching/takeBatch.js';
import { eventJson } from '../../../../../src/runtime/invocation/eventJson.js';
import { streamEvent } from '../../../../../src/runtime/invocation/streamEvent.js';
import { lambdaRecord } from '../../../../helpers/factories.js';

const records = [
  lambdaRecord(
    'INSERT',
    { id: 'a' },
    { newImage: { id: 'a', text: 'quote " backslash \\ é \u0001', n: 1.5 } },
  ),
  lambdaRecord(
    'MODIFY',
    { id: 'b' },
    { newImage: { id: 'b', bin: new Uint8Array([1, 2]) }, oldImage: { id: 'b' } },
  ),
  lambdaRecord('REMOVE', { id: 'c' }, { oldImage: { id: 'c', list: [1, { deep: true }] } }),
];

describe('eventJson: the event text joined from its records written once', () => {
  it('is the JSON.stringify of a plain event', () => {
    const event = streamEvent(takeBatch(records, 10), undefined, {
      final: false,
      shardId: 's',
      streamArn: 'arn',
    });
    expect(eventJson(event)).toBe(JSON.stringify(event));
  });

  it('parses to the same event with a tumbling window and its state', () => {
    const event = streamEvent(
      records,
      {
        bounds: { start: 1_767_225_600, end: 1_767_225_660 },
        state: { count: 2, note: 'x"y' },
        terminatedEarly: false,
      },
      { final: true, shardId: 'shard-1', streamArn: 'arn' },
    );
    expect(JSON.parse(eventJson(event))).toEqual(JSON.parse(JSON.stringify(event)));
    expect(JSON.parse(eventJson({ Records: [] }))).toEqual({ Records: [] });
  });

  it('takeBatch sizes a batch by the same text: the event of the records it takes is within its bytes', () => {
    const exact = Buffer.byteLength(eventJson({ Records: records.slice(0, 2) }));
    expect(takeBatch(records, 10, exact)).toEqual(records.slice(0, 2));
    expect(takeBatch(records, 10, exact - 1)).toEqual(records.slice(0, 1));
  });
});
