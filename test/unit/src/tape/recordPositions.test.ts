import { describe, expect, it } from 'vitest';
import { progressLine } from '../../../../local-runtime/cli/recordProgress.js';
import { parseRecordFrom, parseRecordUntil } from '../../../../src/tape/recordPositions.js';

describe('--from and --until of eddy record', () => {
  it('reads the named positions, ISO times with a zone, and sequence numbers', () => {
    expect(parseRecordFrom('trim-horizon')).toEqual({ kind: 'trim-horizon', text: 'trim-horizon' });
    expect(parseRecordFrom('LATEST').kind).toBe('latest');
    expect(parseRecordFrom('2026-01-01T12:00:00Z')).toMatchObject({
      kind: 'time',
      at: Date.UTC(2026, 0, 1, 12),
    });
    expect(parseRecordFrom('2026-01-01T14:00:00.250+02:00')).toMatchObject({
      at: Date.UTC(2026, 0, 1, 12, 0, 0, 250),
    });
    expect(parseRecordFrom('2026-01-01')).toMatchObject({ kind: 'time', at: Date.UTC(2026, 0, 1) });
    expect(parseRecordFrom('100000000000000000042')).toMatchObject({
      kind: 'sequence-number',
      sequenceNumber: '100000000000000000042',
    });
    expect(parseRecordUntil('now').kind).toBe('now');
    expect(parseRecordUntil('follow').kind).toBe('follow');
    expect(parseRecordUntil('2026-01-01T13:00:00Z')).toMatchObject({
      kind: 'time',
      at: Date.UTC(2026, 0, 1, 13),
    });
  });

  it('refuses anything else, naming the flag and what it takes (a time without a zone is ambiguous)', () => {
    for (const bad of ['yesterday', '2026-01-01T12:00:00', '42', '']) {
      expect(() => parseRecordFrom(bad)).toThrow(
        /^--from .*: expected trim-horizon, latest, an ISO-8601 time/,
      );
    }
    expect(() => parseRecordUntil('latest')).toThrow(
      /^--until latest: expected now, follow, or an ISO-8601 time/,
    );
  });

  it('shows progress as records, shards, bytes and lag', () => {
    expect(progressLine({ records: 1200, bytes: 350_000, shardsDone: 2, shardsKnown: 5, lagMs: 2100 })).toBe(
      'eddy record: 1200 records, 2/5 shards done, 341.8 KiB, lag 2.1 s',
    );
    expect(progressLine({ records: 0, bytes: 300, shardsDone: 0, shardsKnown: 1, lagMs: undefined })).toBe(
      'eddy record: 0 records, 0/1 shards done, 300 B, lag -',
    );
  });
});
