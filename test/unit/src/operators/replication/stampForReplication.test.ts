import { describe, expect, it } from 'vitest';
import { compareStamps, stampOf } from '../../../../../src/operators/replication/lastWriterWins.js';
import {
  REPLICATION_ATTRIBUTES,
  stampForReplication,
} from '../../../../../src/operators/replication/stampForReplication.js';

describe(stampForReplication.name, () => {
  it('adds the origin region, the version and a write id', () => {
    const stamped = stampForReplication(
      { id: 'a', balance: 1 },
      { region: 'us-east-1', now: 1_767_225_600_123 },
    );
    expect(stamped).toMatchObject({
      id: 'a',
      balance: 1,
      eddy_origin: 'us-east-1',
      eddy_version: 1_767_225_600_123,
    });
    expect(stamped.eddy_write_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.keys(REPLICATION_ATTRIBUTES).map((k) => k)).toEqual(['origin', 'version', 'writeId']);
  });

  it('makes a tombstone of a key, with the TTL derived from the version', () => {
    const stamped = stampForReplication(
      { id: 'a' },
      {
        region: 'eu-west-1',
        now: 1_767_225_600_999,
        deleted: true,
        writeId: 'w',
        tombstoneTtl: { attribute: 'expiresAt', seconds: 86_400 },
      },
    );
    expect(stamped).toEqual({
      id: 'a',
      eddy_origin: 'eu-west-1',
      eddy_version: 1_767_225_600_999,
      eddy_write_id: 'w',
      eddy_deleted: true,
      expiresAt: 1_767_225_600 + 86_400,
    });
  });

  it('makes a live item of a tombstone read back and written again', () => {
    const stamped = stampForReplication(
      { id: 'a', eddy_deleted: true, expiresAt: 1 },
      { region: 'eu-west-1', now: 2, tombstoneTtl: { attribute: 'expiresAt', seconds: 86_400 } },
    );
    expect(stamped).not.toHaveProperty('eddy_deleted');
    expect(stamped).not.toHaveProperty('expiresAt');
  });

  it('refuses a time that is not epoch milliseconds', () => {
    expect(() => stampForReplication({ id: 'a' }, { region: 'r', now: 1.5 })).toThrow(/epoch milliseconds/);
    expect(() => stampForReplication({ id: 'a' }, { region: '' })).toThrow(/region/);
  });
});

describe(compareStamps.name, () => {
  const stamp = (version: number, origin: string, writeId = 'w') => ({ version, origin, writeId });

  it('orders by version, then origin region, then write id', () => {
    const ordered = [
      stamp(1, 'us-east-1', 'z'),
      stamp(2, 'ap-south-1', 'z'),
      stamp(2, 'eu-west-1', 'a'),
      stamp(2, 'eu-west-1', 'b'),
      stamp(2, 'us-east-1', 'a'),
      stamp(10, 'ap-south-1', 'a'),
    ];
    for (let i = 0; i < ordered.length; i++) {
      for (let j = 0; j < ordered.length; j++) {
        expect(Math.sign(compareStamps(ordered[i] as never, ordered[j] as never)), `${i} vs ${j}`).toBe(
          Math.sign(i - j),
        );
      }
    }
  });

  it('reads a stamp from a wire image, and none from an unstamped one', () => {
    expect(
      stampOf({ eddy_origin: { S: 'us-east-1' }, eddy_version: { N: '42' }, eddy_write_id: { S: 'w' } }),
    ).toEqual(stamp(42, 'us-east-1'));
    expect(stampOf({ id: { S: 'a' } })).toBeUndefined();
    expect(stampOf(undefined)).toBeUndefined();
  });
});
