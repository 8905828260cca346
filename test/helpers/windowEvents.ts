import { DynamoDBStreamRecord, DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { expect } from 'vitest';
import { z } from 'zod';
import { tumblingWindowEvent } from '../../local-runtime/testing/index.js';
import type { DynamoDBStreamTumblingWindowEvent } from '../../src/handler/defineWindowedHandler.js';

/**
 * The base fields of a tumbling-window event, checked with Powertools' schemas. Its `DynamoDBStreamSchema` types
 * `state` as a map of strings and wants at least one record, while a window's state is any JSON object and the
 * final invocation of a window comes with no records
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-windows.html), so those two are relaxed here.
 */
const WindowEventBase = DynamoDBStreamSchema.omit({ state: true }).extend({
  Records: z.array(DynamoDBStreamRecord),
  window: z.object({ start: z.iso.datetime(), end: z.iso.datetime() }),
  state: z.record(z.string(), z.unknown()),
  shardId: z.string(),
  eventSourceARN: z.string(),
  isFinalInvokeForWindow: z.boolean(),
  isWindowTerminatedEarly: z.boolean(),
});

/** Fails the test unless `event` has the base fields of a Lambda tumbling-window event. */
const expectWindowEvent = (event: unknown): void => {
  const parsed = WindowEventBase.safeParse(event);
  expect(parsed.error?.issues ?? [], JSON.stringify(event).slice(0, 300)).toEqual([]);
};

const STREAM_ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/2026-01-01T00:00:00.000';

/**
 * A tumbling-window event as the runtime sends it (the test kit's `tumblingWindowEvent`, in the field order of
 * src/runtime/invocation/streamEvent.ts), with this file's defaults, and checked against Powertools' schemas.
 */
const windowEvent = (
  records: DynamoDBRecord[],
  fields: Partial<Omit<DynamoDBStreamTumblingWindowEvent<object>, 'Records'>> = {},
): DynamoDBStreamTumblingWindowEvent => {
  const event = tumblingWindowEvent(records, {
    window: fields.window ?? { start: '2026-01-01T00:00:00Z', end: '2026-01-01T00:01:00Z' },
    state: fields.state ?? {},
    shardId: fields.shardId ?? 'shardId-00000001767225600000-0a1b2c3d',
    eventSourceARN: fields.eventSourceARN ?? STREAM_ARN,
    isFinalInvokeForWindow: fields.isFinalInvokeForWindow ?? false,
    isWindowTerminatedEarly: fields.isWindowTerminatedEarly ?? false,
  }) as DynamoDBStreamTumblingWindowEvent;
  expectWindowEvent(event);
  return event;
};

export { expectWindowEvent, STREAM_ARN, windowEvent };
