import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  recordsInWindow,
  stateBytes,
  windowDue,
  windowIso,
  windowOf,
} from '../../../../../src/runtime/batching/tumblingWindow.js';

const WINDOWS = 'https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-windows.html';
const window = { bounds: { start: 60, end: 120 }, terminatedEarly: false };
const lane = { now: 100_000, graceMs: 300, next: undefined, queued: 0, shardEnded: false };
const created = (seconds: number) =>
  ({ dynamodb: { ApproximateCreationDateTime: seconds } }) as DynamoDBRecord;

describe(windowOf.name, () => {
  it(`puts a record in the fixed, non-overlapping window of its creation time (${WINDOWS})`, () => {
    expect(windowOf(119.5, 60)).toEqual({ start: 60, end: 120 });
    expect(windowOf(120, 60)).toEqual({ start: 120, end: 180 });
  });

  it('writes window times as the event carries them, to the second', () => {
    expect(windowIso(0)).toBe('1970-01-01T00:00:00Z');
    expect(stateBytes({ a: 1 })).toBe(7);
  });
});

describe(windowDue.name, () => {
  it('never closes a window that is not open', () => {
    expect(windowDue(undefined, { ...lane, shardEnded: true })).toBe(false);
  });

  it('keeps a window open before its end', () => {
    expect(windowDue(window, lane)).toBe(false);
  });

  it(`closes a window when the clock passes its end and the grace for late reads (${WINDOWS})`, () => {
    expect(windowDue(window, { ...lane, now: 120_299 })).toBe(false);
    expect(windowDue(window, { ...lane, now: 120_300 })).toBe(true);
  });

  it('closes a window when the next record belongs to a later one', () => {
    expect(windowDue(window, { ...lane, next: 120, queued: 1 })).toBe(true);
  });

  it(`closes a window early when its state passed 1 MB (${WINDOWS})`, () => {
    expect(windowDue({ ...window, terminatedEarly: true }, lane)).toBe(true);
  });

  it(`closes a window when the shard ended with nothing left to add (${WINDOWS}: no resharding support)`, () => {
    expect(windowDue(window, { ...lane, shardEnded: true, queued: 1, next: 100 })).toBe(false);
    expect(windowDue(window, { ...lane, shardEnded: true })).toBe(true);
  });
});

describe(recordsInWindow.name, () => {
  it('never lets a batch span two windows', () => {
    expect(recordsInWindow([created(60), created(119), created(120), created(61)], 120)).toBe(2);
    expect(recordsInWindow([created(60)], 120)).toBe(1);
  });
});
