import { describe, expect, it } from 'vitest';
import {
  type StartFacts,
  startPositionOf,
} from '../../../../../../src/runtime/sources/live/startPositionOf.js';

const STREAMS = 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html';
const PARAMS = 'https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html';

const shard = (overrides: Partial<StartFacts> = {}): StartFacts => ({
  parentPending: false,
  checkpoint: undefined,
  closed: false,
  initial: true,
  startingPosition: 'TRIM_HORIZON',
  ...overrides,
});

describe(startPositionOf.name, () => {
  it(`waits while the parent is still being read: parents before children (${STREAMS})`, () => {
    expect(startPositionOf(shard({ parentPending: true }))).toEqual({ kind: 'wait' });
  });

  it('counts a shard whose checkpoint says it ended as finished', () => {
    expect(startPositionOf(shard({ checkpoint: { sequenceNumber: '5', shardEnded: true } }))).toEqual({
      kind: 'finished',
    });
  });

  it('resumes after the checkpoint, whatever the StartingPosition', () => {
    expect(
      startPositionOf(shard({ checkpoint: { sequenceNumber: '5' }, startingPosition: 'LATEST' })),
    ).toEqual({
      kind: 'start',
      startAt: { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '5' },
    });
  });

  it(`reads from the oldest record with TRIM_HORIZON (${PARAMS})`, () => {
    expect(startPositionOf(shard())).toEqual({ kind: 'start', startAt: { type: 'TRIM_HORIZON' } });
  });

  it(`starts open shards at LATEST on the first look, and skips closed ones (${PARAMS})`, () => {
    expect(startPositionOf(shard({ startingPosition: 'LATEST' }))).toEqual({
      kind: 'start',
      startAt: { type: 'LATEST' },
    });
    expect(startPositionOf(shard({ startingPosition: 'LATEST', closed: true }))).toEqual({
      kind: 'finished',
    });
  });

  it('reads shards that appear while the mapping runs from their start, even with LATEST', () => {
    expect(startPositionOf(shard({ startingPosition: 'LATEST', initial: false }))).toEqual({
      kind: 'start',
      startAt: { type: 'TRIM_HORIZON' },
    });
  });
});
