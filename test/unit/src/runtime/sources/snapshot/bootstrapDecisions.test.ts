import { describe, expect, it } from 'vitest';
import { MemoryCheckpointStore } from '../../../../../../src/checkpoint/MemoryCheckpointStore.js';
import { sortableSequence } from '../../../../../../src/operators/sortableSequence.js';
import { toStreamItem } from '../../../../../../src/pipeline/StreamItem.js';
import { isSnapshotRecord } from '../../../../../../src/records/isSnapshotRecord.js';
import {
  cutSecondOf,
  retentionOf,
  rowVerdict,
  STREAM_RETENTION_MS,
  scanMayStartAt,
  shardPassed,
  windowEndSecond,
} from '../../../../../../src/runtime/sources/snapshot/bootstrapDecisions.js';
import {
  BOOTSTRAP_STATE_SHARD,
  readState,
  writeState,
} from '../../../../../../src/runtime/sources/snapshot/bootstrapState.js';
import {
  pageOfSequence,
  snapshotRecordOf,
  snapshotSequence,
} from '../../../../../../src/runtime/sources/snapshot/snapshotRecord.js';

// ApproximateCreationDateTime is whole seconds
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_StreamRecord.html).
describe('bootstrap decisions', () => {
  it('cuts at the first whole second after the start, and scans only once the grace after it has passed', () => {
    expect(cutSecondOf(1_700_000_000_000)).toBe(1_700_000_001);
    expect(cutSecondOf(1_700_000_000_999)).toBe(1_700_000_001);
    expect(scanMayStartAt(1_700_000_001, 1000)).toBe(1_700_000_002_000);
  });

  it('cuts and widens windows to the source’s granularity (DynamoDB Local stamps whole minutes)', () => {
    expect(cutSecondOf(1_700_000_000_400, 60)).toBe(1_700_000_040);
    expect(windowEndSecond(1_700_000_005_200, 1000, 60)).toBe(1_700_000_040);
    const tip = { ended: false, newestSecond: undefined };
    expect(shardPassed({ ...tip, tipReadAtMs: 1_700_000_041_000 }, 1_700_000_040, 0, 60)).toBe(false);
    expect(shardPassed({ ...tip, tipReadAtMs: 1_700_000_100_000 }, 1_700_000_040, 0, 60)).toBe(true);
  });

  it('widens a page window to whole seconds and the grace: a write at the response’s millisecond is inside', () => {
    expect(windowEndSecond(1_700_000_005_000, 0)).toBe(1_700_000_005);
    expect(windowEndSecond(1_700_000_005_001, 0)).toBe(1_700_000_006);
    expect(windowEndSecond(1_700_000_005_200, 1000)).toBe(1_700_000_007);
  });

  it('emits a row only when its item has no tracked record at or before the window end', () => {
    expect(rowVerdict(undefined, 100)).toBe('emit');
    expect(rowVerdict(101, 100)).toBe('emit');
    expect(rowVerdict(100, 100)).toBe('superseded');
    expect(rowVerdict(50, 100)).toBe('superseded');
  });

  it('counts a shard as passed a second when it ended, read a later record, or found nothing in a read sent after it', () => {
    const open = { ended: false, newestSecond: undefined, tipReadAtMs: undefined };
    expect(shardPassed(open, 10, 0)).toBe(false);
    expect(shardPassed({ ...open, ended: true }, 10, 0)).toBe(true);
    expect(shardPassed({ ...open, newestSecond: 10 }, 10, 0)).toBe(false);
    expect(shardPassed({ ...open, newestSecond: 11 }, 10, 0)).toBe(true);
    expect(shardPassed({ ...open, tipReadAtMs: 10_999 }, 10, 0)).toBe(false);
    expect(shardPassed({ ...open, tipReadAtMs: 11_000 }, 10, 0)).toBe(true);
    expect(shardPassed({ ...open, tipReadAtMs: 11_000 }, 10, 500)).toBe(false);
  });

  it('says how far behind the cut is and stops before the 24 h retention minus the margin', () => {
    const cut = 1_000;
    expect(retentionOf(cut * 1000 + 5_000, cut, 3_600_000)).toEqual({
      behindMs: 5_000,
      leftMs: STREAM_RETENTION_MS - 5_000,
      tooClose: false,
    });
    expect(retentionOf(cut * 1000 + STREAM_RETENTION_MS - 3_600_000, cut, 3_600_000).tooClose).toBe(true);
  });
});

describe('snapshot records', () => {
  it('numbers rows per page, marks a page’s last row, and reads a checkpoint back as a page and whether it was done', () => {
    expect(snapshotSequence(3, 0, false)).toBe('000000000000003000000');
    expect(snapshotSequence(3, 7, true)).toBe('000000000000003999999');
    expect(pageOfSequence(snapshotSequence(3, 7, false))).toEqual({ page: 3, pageDone: false });
    expect(pageOfSequence(snapshotSequence(3, 7, true))).toEqual({ page: 3, pageDone: true });
  });

  it('is an INSERT with the whole item, marked so handlers see it, and orders below every stream record', () => {
    const record = snapshotRecordOf({
      keys: { pk: { S: 'o1' } },
      image: { pk: { S: 'o1' }, total: { N: '5' } },
      sequenceNumber: '000000000000000000001',
      origin: 'segment-0',
      eventSourceARN: 'arn:aws:dynamodb:eu-west-1:000000000000:table/orders/stream/2026-01-01T00:00:00.000',
      approximateCreationDateTime: 1_700_000_001,
      streamViewType: 'NEW_AND_OLD_IMAGES',
    });
    expect(record.eventName).toBe('INSERT');
    expect(record.awsRegion).toBe('eu-west-1');
    expect(isSnapshotRecord(record)).toBe(true);
    const item = toStreamItem(record);
    expect(item.snapshot).toBe(true);
    expect(item.newImage).toEqual({ pk: 'o1', total: 5 });
    expect(sortableSequence(item.sequenceNumber, item.snapshot) < sortableSequence('1')).toBe(true);
    expect(toStreamItem({ ...record, eventID: 'abc' }).snapshot).toBeUndefined();
  });

  it('keeps the bootstrap state in any checkpoint store, as digits', async () => {
    const store = new MemoryCheckpointStore();
    await writeState(store, 'm', BOOTSTRAP_STATE_SHARD, {
      cutSecond: 12,
      segments: 4,
      done: false,
      key: { pk: { S: 'é' } },
    });
    expect((await store.get('m', BOOTSTRAP_STATE_SHARD))?.sequenceNumber).toMatch(/^\d+$/);
    expect(await readState(store, 'm', BOOTSTRAP_STATE_SHARD)).toEqual({
      cutSecond: 12,
      segments: 4,
      done: false,
      key: { pk: { S: 'é' } },
    });
    expect(await readState(store, 'm', 'other')).toBeUndefined();
  });
});
