import { createHash } from 'node:crypto';
import { marshall, type NativeAttributeValue } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { DynamoDBStreamTumblingWindowEvent } from '../../src/handler/defineWindowedHandler.js';
import { streamArn as streamArnOf, streamLabelAt } from '../../src/records/arn.js';
import type { AttributeMap } from '../../src/records/attributeValue.js';
import type { StreamRecord, StreamViewType } from '../../src/records/streamRecord.js';
import { windowIso, windowOf } from '../../src/runtime/batching/tumblingWindow.js';
import { toWireMap } from '../../src/runtime/sources/live/toLambdaRecord.js';
import { captureChange } from '../emulator/streams/changeCapture.js';

/**
 * An item as a test writes it: plain JavaScript values, marshalled to DynamoDB's wire form by the builders.
 *
 * @example
 * const order: TestItem = { orderId: 'o1', total: 10, tags: new Set(['gift']), paid: true };
 */
type TestItem = Record<string, NativeAttributeValue>;

/**
 * Where the records come from and how the stream is configured. Every field has a default.
 *
 * @example
 * const options: StreamRecordFactoryOptions = { tableName: 'orders', keys: ['orderId'], viewType: 'NEW_IMAGE' };
 */
interface StreamRecordFactoryOptions {
  /** @default 'test-table' */
  readonly tableName?: string;
  /**
   * The key attributes (partition key, then sort key): a record's `Keys` are these attributes of its item.
   * @default ['pk']
   */
  readonly keys?: readonly string[];
  /** The table's `StreamSpecification.StreamViewType`: which images the records carry. @default 'NEW_AND_OLD_IMAGES' */
  readonly viewType?: StreamViewType;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '000000000000' */
  readonly accountId?: string;
  /**
   * When the first record is written (epoch milliseconds); later records are as old or newer. Also the stream's
   * creation time (its label). @default Date.UTC(2026, 0, 1)
   */
  readonly start?: number;
}

/**
 * Per record: when it was written (epoch ms), for records that must fall in given windows or ages.
 *
 * @example
 * orders.insert({ orderId: 'o1' }, { at: Date.UTC(2026, 0, 1, 0, 5) });
 */
interface RecordTime {
  /** Epoch milliseconds; at least the previous record's. @default the previous record's time */
  readonly at?: number;
}

/**
 * Builds Lambda's DynamoDB records and events for one table's stream. See {@link streamRecordFactory}.
 *
 * @example
 * const orders: StreamRecordFactory = streamRecordFactory({ tableName: 'orders', keys: ['orderId'] });
 * const event = orders.event(orders.insert({ orderId: 'o1' }), orders.remove({ orderId: 'o1' }));
 */
interface StreamRecordFactory {
  /** The stream the records come from (`eventSourceARN`). */
  readonly streamArn: string;
  /** The shard the records come from (`shardId` of window events). */
  readonly shardId: string;
  readonly viewType: StreamViewType;
  /** A PutItem that created `item`. */
  insert(item: TestItem, time?: RecordTime): DynamoDBRecord;
  /** A write that changed `oldItem` into `newItem` (same key). */
  modify(oldItem: TestItem, newItem: TestItem, time?: RecordTime): DynamoDBRecord;
  /** A DeleteItem of `oldItem`. */
  remove(oldItem: TestItem, time?: RecordTime): DynamoDBRecord;
  /** The delete DynamoDB's TTL makes of an expired `oldItem`: a REMOVE with the DynamoDB service as `userIdentity`. */
  ttlRemove(oldItem: TestItem, time?: RecordTime): DynamoDBRecord;
  /** The event Lambda sends with these records. */
  event(...records: DynamoDBRecord[]): DynamoDBStreamEvent;
  /**
   * The event Lambda sends to a function with `TumblingWindowInSeconds`: the window the first record falls in
   * (aligned to multiples of `windowSeconds`), the state so far, this factory's shard and stream.
   */
  windowEvent<S extends object = Record<string, unknown>>(
    records: readonly DynamoDBRecord[],
    fields?: WindowEventFields<S>,
  ): DynamoDBStreamTumblingWindowEvent<S>;
}

/**
 * The tumbling-window fields a test sets; the others follow from the records and the factory.
 *
 * @example
 * const final = orders.windowEvent([], { windowSeconds: 300, state: { count: 2 }, isFinalInvokeForWindow: true });
 */
interface WindowEventFields<S extends object> {
  /** TumblingWindowInSeconds, for the window's bounds. @default 60 */
  readonly windowSeconds?: number;
  /** Explicit bounds (ISO-8601 with a Z); wins over `windowSeconds`. */
  readonly window?: { readonly start: string; readonly end: string };
  /** The state the function returned last in this window. @default {} */
  readonly state?: S;
  /** @default false */
  readonly isFinalInvokeForWindow?: boolean;
  /** @default false */
  readonly isWindowTerminatedEarly?: boolean;
}

const BASE_SEQUENCE = 10n ** 20n;

/**
 * A GetRecords record as Lambda hands it to a function: the fields in AWS's order, then `eventSourceARN`, then
 * (TTL deletes only) `userIdentity` spelled `type`/`principalId` (as src/runtime/sources/live/toLambdaRecord.ts does for
 * records read from a stream).
 */
const toLambda = (record: StreamRecord, eventSourceARN: string): DynamoDBRecord => {
  const { userIdentity, ...rest } = record;
  return {
    ...rest,
    eventSourceARN,
    ...(userIdentity === undefined
      ? {}
      : { userIdentity: { type: userIdentity.Type, principalId: userIdentity.PrincipalId } }),
  } as DynamoDBRecord;
};

/** Plain values in wire form: binary (Uint8Array, Buffer) as base64, as Lambda's events carry it. */
const marshalled = (item: TestItem): AttributeMap =>
  toWireMap(marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: true }));

/**
 * Builds the DynamoDB stream records and Lambda events a table's stream would deliver, for unit tests of
 * handlers and operators: INSERT, MODIFY, REMOVE and TTL deletes, with the images the view type keeps, and
 * `SizeBytes`, `SequenceNumber` (21 digits, growing), `eventID`, `ApproximateCreationDateTime` (whole epoch
 * seconds), `awsRegion` and `eventSourceARN` as AWS fills them. The records are built by the emulator's own
 * change capture, so they are the records `eddy dev` would deliver for the same writes, and they pass
 * Powertools' `DynamoDBStreamRecord` and `DynamoDBStreamSchema`.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html#services-dynamodb-event-example
 * @example
 * import { streamRecordFactory } from 'eddy/testing';
 * import { handler } from '../handlers/ordersProjection.js';
 *
 * const orders = streamRecordFactory({ tableName: 'orders', keys: ['orderId'] });
 * const event = orders.event(
 *   orders.insert({ orderId: 'o1', total: 10 }),
 *   orders.modify({ orderId: 'o1', total: 10 }, { orderId: 'o1', total: 12 }),
 *   orders.ttlRemove({ orderId: 'o2', expiresAt: 1767225600 }),
 * );
 * const response = await handler(event, context);
 */
const streamRecordFactory = (options: StreamRecordFactoryOptions = {}): StreamRecordFactory => {
  const tableName = options.tableName ?? 'test-table';
  const keyNames = options.keys ?? ['pk'];
  const viewType = options.viewType ?? 'NEW_AND_OLD_IMAGES';
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const start = options.start ?? Date.UTC(2026, 0, 1);
  const arn = streamArnOf(region, accountId, tableName, streamLabelAt(start));
  // A shard id in AWS's shape: `shardId-` + creation time (20 digits) + `-` + 8 hex characters.
  const shardId = `shardId-${String(start).padStart(20, '0')}-${createHash('md5').update(arn).digest('hex').slice(0, 8)}`;
  let sequence = 0n;
  let now = start;

  const keysOf = (item: TestItem, what: string): AttributeMap => {
    const keys: TestItem = {};
    for (const name of keyNames) {
      if (item[name] === undefined) {
        throw new Error(
          `eddy/testing: the ${what} item has no key attribute "${name}" (keys: ${keyNames.join(', ')}); ` +
            `give every item its key, or set streamRecordFactory({ keys }) to the table's key attributes`,
        );
      }
      keys[name] = item[name];
    }
    return marshalled(keys);
  };

  // The event name follows from the images, as change capture decides it (INSERT, MODIFY, REMOVE).
  const build = (
    images: { oldItem?: TestItem; newItem?: TestItem },
    time: RecordTime | undefined,
    bySystem = false,
  ): DynamoDBRecord => {
    if (time?.at !== undefined) {
      if (time.at < now) {
        throw new Error(
          `eddy/testing: a record at ${new Date(time.at).toISOString()} comes before the previous one ` +
            `(${new Date(now).toISOString()}); a shard's records are in time order`,
        );
      }
      now = time.at;
    }
    sequence += 1n;
    const sequenceNumber = (BASE_SEQUENCE + sequence).toString();
    const keyed = images.newItem ?? images.oldItem ?? {};
    const record = captureChange(
      {
        keys: keysOf(keyed, images.newItem === undefined ? 'old' : 'new'),
        ...(images.oldItem === undefined ? {} : { oldImage: marshalled(images.oldItem) }),
        ...(images.newItem === undefined ? {} : { newImage: marshalled(images.newItem) }),
        ...(bySystem ? { bySystem: true } : {}),
      },
      {
        viewType,
        region,
        sequenceNumber,
        // eventID: 32 hex characters, unique per record (AWS's shape), derived so that runs repeat.
        eventId: createHash('md5').update(`${arn}#${sequenceNumber}`).digest('hex'),
        now,
      },
    );
    return toLambda(record, arn);
  };

  return {
    streamArn: arn,
    shardId,
    viewType,
    insert: (item, time) => build({ newItem: item }, time),
    modify: (oldItem, newItem, time) => {
      const before = JSON.stringify(keysOf(oldItem, 'old'));
      if (before !== JSON.stringify(keysOf(newItem, 'new'))) {
        throw new Error(
          'eddy/testing: modify(oldItem, newItem) needs the same key in both items; a changed key is a REMOVE and an INSERT',
        );
      }
      return build({ oldItem, newItem }, time);
    },
    remove: (oldItem, time) => build({ oldItem }, time),
    ttlRemove: (oldItem, time) => build({ oldItem }, time, true),
    event: (...records) => dynamoDBStreamEvent(records),
    windowEvent: <S extends object>(
      records: readonly DynamoDBRecord[],
      fields: WindowEventFields<S> = {},
    ) => {
      const first = records[0]?.dynamodb?.ApproximateCreationDateTime ?? Math.floor(now / 1000);
      const bounds = windowOf(first, fields.windowSeconds ?? 60);
      return tumblingWindowEvent<S>(records, {
        window: fields.window ?? { start: windowIso(bounds.start), end: windowIso(bounds.end) },
        state: fields.state ?? ({} as S),
        shardId,
        eventSourceARN: arn,
        isFinalInvokeForWindow: fields.isFinalInvokeForWindow ?? false,
        isWindowTerminatedEarly: fields.isWindowTerminatedEarly ?? false,
      });
    },
  };
};

/**
 * The event Lambda sends for a batch of DynamoDB stream records (`{ Records }`), passed through JSON as Lambda
 * passes it, so a handler never shares objects with the test.
 *
 * @example
 * import { dynamoDBStreamEvent, streamRecordFactory } from 'eddy/testing';
 *
 * const orders = streamRecordFactory({ tableName: 'orders', keys: ['orderId'] });
 * const event = dynamoDBStreamEvent([orders.insert({ orderId: 'o1' })]);
 */
const dynamoDBStreamEvent = (records: readonly DynamoDBRecord[]): DynamoDBStreamEvent =>
  JSON.parse(JSON.stringify({ Records: records })) as DynamoDBStreamEvent;

/**
 * Every field of a tumbling-window event besides its records.
 *
 * @example
 * const fields: TumblingWindowEventFields<{ count: number }> = {
 *   window: { start: '2026-01-01T00:00:00Z', end: '2026-01-01T00:01:00Z' },
 *   state: { count: 1 },
 *   shardId: orders.shardId,
 *   eventSourceARN: orders.streamArn,
 *   isFinalInvokeForWindow: false,
 *   isWindowTerminatedEarly: false,
 * };
 */
interface TumblingWindowEventFields<S extends object> {
  readonly window: { readonly start: string; readonly end: string };
  readonly state: S;
  readonly shardId: string;
  readonly eventSourceARN: string;
  readonly isFinalInvokeForWindow: boolean;
  readonly isWindowTerminatedEarly: boolean;
}

/**
 * The event Lambda sends to a function with `TumblingWindowInSeconds`, in the field order of
 * src/runtime/invocation/streamEvent.ts (what `eddy dev` sends), passed through JSON. A window's final invocation may come
 * with no records. Most tests build it with {@link StreamRecordFactory.windowEvent}, which fills the window
 * from the records' times.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-windows.html
 * @example
 * import { tumblingWindowEvent } from 'eddy/testing';
 *
 * const final = tumblingWindowEvent([], {
 *   window: { start: '2026-01-01T00:00:00Z', end: '2026-01-01T00:01:00Z' },
 *   state: { count: 3 },
 *   shardId: orders.shardId,
 *   eventSourceARN: orders.streamArn,
 *   isFinalInvokeForWindow: true,
 *   isWindowTerminatedEarly: false,
 * });
 */
const tumblingWindowEvent = <S extends object = Record<string, unknown>>(
  records: readonly DynamoDBRecord[],
  fields: TumblingWindowEventFields<S>,
): DynamoDBStreamTumblingWindowEvent<S> =>
  JSON.parse(
    JSON.stringify({
      Records: records,
      window: fields.window,
      state: fields.state,
      shardId: fields.shardId,
      eventSourceARN: fields.eventSourceARN,
      isFinalInvokeForWindow: fields.isFinalInvokeForWindow,
      isWindowTerminatedEarly: fields.isWindowTerminatedEarly,
    }),
  ) as DynamoDBStreamTumblingWindowEvent<S>;

export type {
  RecordTime,
  StreamRecordFactory,
  StreamRecordFactoryOptions,
  TestItem,
  TumblingWindowEventFields,
  WindowEventFields,
};
export { dynamoDBStreamEvent, streamRecordFactory, tumblingWindowEvent };
