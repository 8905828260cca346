import { describe, expect, it } from 'vitest';
import {
  decodeShardIterator,
  encodeShardIterator,
} from '../../../../../local-runtime/emulator/streams/shardIterator.js';

const KEY = Buffer.alloc(32, 7);
const OTHER_KEY = Buffer.alloc(32, 8);
const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026-01-01T00:00:00.000';
const POSITION = {
  streamArn: ARN,
  shardId: 'shardId-00000001767225600000-0a1b2c3d',
  after: 42n,
  issuedAt: 1_000,
};

describe('shard iterators', () => {
  it('round-trip, shaped like AWS iterators (<StreamArn>|1|<token>) and under the 2048-character limit', () => {
    const iterator = encodeShardIterator(POSITION, KEY);
    expect(iterator).toMatch(new RegExp(`^${ARN.replace(/[.]/g, '\\.')}\\|1\\|[A-Za-z0-9+/]+=*$`));
    expect(iterator.length).toBeLessThan(2048);
    expect(decodeShardIterator(iterator, KEY)).toEqual(POSITION);
  });

  it('refuse an iterator of another key, every one-character change, and a token with its MAC cut off', () => {
    const iterator = encodeShardIterator(POSITION, KEY);
    const invalid = { name: 'ValidationException', message: 'Invalid ShardIterator' };
    expect(() => decodeShardIterator(iterator, OTHER_KEY)).toThrow(expect.objectContaining(invalid));
    const tokenAt = iterator.lastIndexOf('|1|') + 3;
    for (let at = 0; at < iterator.length; at += 1) {
      if (at >= tokenAt - 3 && at < tokenAt) continue;
      const changed = `${iterator.slice(0, at)}${iterator[at] === 'A' ? 'B' : 'A'}${iterator.slice(at + 1)}`;
      expect(() => decodeShardIterator(changed, KEY), `changed at ${at}`).toThrow(
        expect.objectContaining(invalid),
      );
    }
    const payloadOnly = Buffer.from(iterator.slice(tokenAt), 'base64').subarray(16).toString('base64');
    expect(() => decodeShardIterator(`${ARN}|1|${payloadOnly}`, KEY)).toThrow(
      expect.objectContaining(invalid),
    );
    expect(() => decodeShardIterator('garbage', KEY)).toThrow(expect.objectContaining(invalid));
    for (const notText of [5, null, ['x'], { toString: () => iterator }]) {
      expect(() => decodeShardIterator(notText, KEY)).toThrow(expect.objectContaining(invalid));
    }
  });
});
