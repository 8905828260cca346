import { DynamoDBStreamRecord, DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import { describe, expect, it } from 'vitest';
import {
  dynamoDBStreamEvent,
  streamRecordFactory,
  tumblingWindowEvent,
} from '../../../../local-runtime/testing/index.js';
import { isTtlExpiryRecord } from '../../../../src/records/isTtlExpiryRecord.js';
import { itemSize } from '../../../../src/records/itemSize.js';
import { isSequenceNumber } from '../../../../src/records/sequenceNumber.js';
import { STREAM_VIEW_TYPES } from '../../../../src/records/streamRecord.js';
import { expectWindowEvent } from '../../../helpers/windowEvents.js';

/** Every issue Powertools' parser finds, so a failure prints what is wrong. */
const issues = (schema: { safeParse(value: unknown): { error?: { issues: unknown[] } } }, value: unknown) =>
  schema.safeParse(value).error?.issues ?? [];

const before = { orderId: 'o1', total: 10, tags: new Set(['a']) };
const after = { orderId: 'o1', total: 12, tags: new Set(['a', 'b']) };

describe.each(STREAM_VIEW_TYPES)('streamRecordFactory with StreamViewType %s', (viewType) => {
  const orders = streamRecordFactory({ tableName: 'orders', keys: ['orderId'], viewType });
  const records = [
    orders.insert(before),
    orders.modify(before, after),
    orders.remove(after),
    orders.ttlRemove(after),
  ];

  it('builds records Powertools parses, each alone and as one event', () => {
    for (const record of records) expect(issues(DynamoDBStreamRecord, record)).toEqual([]);
    expect(issues(DynamoDBStreamSchema, orders.event(...records))).toEqual([]);
  });

  it('keeps the images the view type keeps (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_StreamSpecification.html)', () => {
    const keepsNew = viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES';
    const keepsOld = viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES';
    const [insert, modify, remove] = records;
    expect(insert?.dynamodb?.NewImage !== undefined).toBe(keepsNew);
    expect(insert?.dynamodb?.OldImage).toBeUndefined();
    expect(modify?.dynamodb?.NewImage !== undefined).toBe(keepsNew);
    expect(modify?.dynamodb?.OldImage !== undefined).toBe(keepsOld);
    expect(remove?.dynamodb?.NewImage).toBeUndefined();
    expect(remove?.dynamodb?.OldImage !== undefined).toBe(keepsOld);
    for (const record of records) {
      expect(record.dynamodb?.Keys).toEqual({ orderId: { S: 'o1' } });
      expect(record.dynamodb?.StreamViewType).toBe(viewType);
    }
  });

  it('sizes each record over its keys and the images it carries', () => {
    for (const record of records) {
      const data = record.dynamodb ?? {};
      const size = [data.Keys, data.NewImage, data.OldImage].reduce(
        (sum, image) => sum + (image === undefined ? 0 : itemSize(image as never)),
        0,
      );
      expect(data.SizeBytes).toBe(size);
    }
  });
});

describe('streamRecordFactory fields', () => {
  it('names INSERT, MODIFY and REMOVE from the images, and marks only TTL deletes as the DynamoDB service', () => {
    const orders = streamRecordFactory({ keys: ['orderId'] });
    const records = [
      orders.insert(before),
      orders.modify(before, after),
      orders.remove(after),
      orders.ttlRemove(after),
    ];
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE', 'REMOVE']);
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-streams.html
    expect(records[3]?.userIdentity).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
    expect(records.slice(0, 3).map((r) => r.userIdentity)).toEqual([undefined, undefined, undefined]);
    expect(records.map((r) => isTtlExpiryRecord(r))).toEqual([false, false, false, true]);
  });

  it('numbers records as AWS does: growing 21-digit sequence numbers, unique 32-hex event ids, whole-second times', () => {
    const orders = streamRecordFactory({ keys: ['orderId'], start: Date.UTC(2026, 0, 1, 0, 0, 0, 750) });
    const records = [
      orders.insert(before),
      orders.modify(before, after, { at: Date.UTC(2026, 0, 1, 0, 0, 5, 999) }),
      orders.remove(after),
    ];
    const sequences = records.map((r) => r.dynamodb?.SequenceNumber as string);
    expect(sequences.every(isSequenceNumber)).toBe(true);
    expect([...sequences].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))).toEqual(sequences);
    expect(new Set(records.map((r) => r.eventID)).size).toBe(3);
    for (const record of records) expect(record.eventID).toMatch(/^[0-9a-f]{32}$/);
    expect(records.map((r) => r.dynamodb?.ApproximateCreationDateTime)).toEqual([
      1767225600, 1767225605, 1767225605,
    ]);
    expect(records.map((r) => [r.eventVersion, r.eventSource, r.awsRegion])).toEqual(
      Array(3).fill(['1.1', 'aws:dynamodb', 'us-east-1']),
    );
  });

  it('names the stream in eventSourceARN, with the table, region and account given', () => {
    const orders = streamRecordFactory({
      tableName: 'orders',
      keys: ['orderId'],
      region: 'eu-west-1',
      accountId: '123456789012',
    });
    const record = orders.insert(before);
    expect(record.eventSourceARN).toBe(orders.streamArn);
    expect(orders.streamArn).toBe(
      'arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000',
    );
    expect(record.awsRegion).toBe('eu-west-1');
  });

  it('carries binary as base64, numbers as strings, and a composite key', () => {
    const events = streamRecordFactory({ keys: ['pk', 'sk'], viewType: 'NEW_IMAGE' });
    const record = events.insert({ pk: 'a', sk: 2, blob: Buffer.from('foobar'), n: 1.5 });
    expect(record.dynamodb?.Keys).toEqual({ pk: { S: 'a' }, sk: { N: '2' } });
    expect(record.dynamodb?.NewImage).toMatchObject({ blob: { B: 'Zm9vYmFy' }, n: { N: '1.5' } });
    expect(issues(DynamoDBStreamRecord, record)).toEqual([]);
  });

  it('refuses an item without its key, a changed key, and records out of time order', () => {
    const orders = streamRecordFactory({ keys: ['orderId'] });
    expect(() => orders.insert({ id: 'x' })).toThrow(/no key attribute "orderId"/);
    expect(() => orders.modify({ orderId: 'a' }, { orderId: 'b' })).toThrow(/same key/);
    orders.insert(before, { at: Date.UTC(2026, 0, 2) });
    expect(() => orders.insert(before, { at: Date.UTC(2026, 0, 1) })).toThrow(
      /comes before the previous one/,
    );
  });

  it('makes events that share nothing with the records (as Lambda sends JSON)', () => {
    const orders = streamRecordFactory({ keys: ['orderId'] });
    const record = orders.insert(before);
    const event = dynamoDBStreamEvent([record]);
    expect(event.Records[0]).toEqual(record);
    expect(event.Records[0]).not.toBe(record);
  });
});

describe('tumbling-window events (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-windows.html)', () => {
  const orders = streamRecordFactory({ keys: ['orderId'], start: Date.UTC(2026, 0, 1, 0, 1, 30) });

  it('puts the records in the window their time falls in, with the shard and stream', () => {
    const records = [orders.insert(before), orders.modify(before, after)];
    const event = orders.windowEvent(records, { windowSeconds: 60, state: { count: '1' } });
    expect(event.window).toEqual({ start: '2026-01-01T00:01:00Z', end: '2026-01-01T00:02:00Z' });
    expect(event).toMatchObject({
      shardId: orders.shardId,
      eventSourceARN: orders.streamArn,
      isFinalInvokeForWindow: false,
      isWindowTerminatedEarly: false,
    });
    expect(event.shardId).toMatch(/^shardId-\d{20}-[0-9a-f]{8}$/);
    // With records and a state of strings, Powertools' own schema accepts it as it is.
    expect(issues(DynamoDBStreamSchema, event)).toEqual([]);
  });

  it('builds a final invocation with no records and any JSON state', () => {
    const final = orders.windowEvent([], { state: { totals: { c1: 3 } }, isFinalInvokeForWindow: true });
    expectWindowEvent(final);
    expect(final.Records).toEqual([]);
    const same = tumblingWindowEvent([], {
      window: final.window,
      state: { totals: { c1: 3 } },
      shardId: final.shardId,
      eventSourceARN: final.eventSourceARN,
      isFinalInvokeForWindow: true,
      isWindowTerminatedEarly: false,
    });
    expect(same).toEqual(final);
    expect(Object.keys(same)).toEqual([
      'Records',
      'window',
      'state',
      'shardId',
      'eventSourceARN',
      'isFinalInvokeForWindow',
      'isWindowTerminatedEarly',
    ]);
  });
});
