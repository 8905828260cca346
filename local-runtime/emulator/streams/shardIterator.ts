import { createHmac, timingSafeEqual } from 'node:crypto';
import { validationException } from '../errors.js';

/**
 * Shard iterators are opaque to clients and shaped like AWS's: `<StreamArn>|1|<token>`. The token carries
 * everything needed to read on, so the emulator keeps no per-iterator state: the shard, the position (read
 * records above this sequence number) and when the iterator was issued (they expire after 15 minutes).
 *
 * Because the token carries the issue time, it is authenticated: an HMAC-SHA-256 (cut to 16 bytes) over the
 * stream ARN and the payload, with the emulator's iterator key. A forged or altered iterator (a later issue
 * time that would never expire, another shard, another position) is refused as an invalid one.
 */
interface IteratorPosition {
  readonly streamArn: string;
  readonly shardId: string;
  readonly after: bigint;
  readonly issuedAt: number;
}

/**
 * AWS: "A shard iterator expires 15 minutes after it is returned to the requester."
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html
 */
const ITERATOR_LIFETIME_MS = 15 * 60 * 1000;

/** Bytes of the HMAC kept: 128 bits, far beyond guessing, and the iterator stays well under 2048 characters. */
const MAC_BYTES = 16;

const mac = (key: Buffer, streamArn: string, payload: Buffer): Buffer =>
  createHmac('sha256', key).update(streamArn).update('\n').update(payload).digest().subarray(0, MAC_BYTES);

/** The iterator for a position, signed with `key` (the emulator's iterator key). */
const encodeShardIterator = (position: IteratorPosition, key: Buffer): string => {
  const payload = Buffer.from(
    JSON.stringify([position.shardId, position.after.toString(), position.issuedAt]),
    'utf8',
  );
  const token = Buffer.concat([mac(key, position.streamArn, payload), payload]).toString('base64');
  return `${position.streamArn}|1|${token}`;
};

/**
 * The position an iterator names, once its HMAC holds.
 *
 * @throws AwsServiceError - ValidationException `Invalid ShardIterator` for anything not issued by this key
 */
const decodeShardIterator = (iterator: unknown, key: Buffer): IteratorPosition => {
  const invalid = () => validationException('Invalid ShardIterator');
  // Whatever the wire layer let through, a non-string is no iterator (never a TypeError, never a 500).
  if (typeof iterator !== 'string') throw invalid();
  const last = iterator.lastIndexOf('|1|');
  if (last <= 0) throw invalid();
  const streamArn = iterator.slice(0, last);
  const token = iterator.slice(last + 3);
  const bytes = Buffer.from(token, 'base64');
  // Only the canonical base64 of the bytes: no second spelling of one iterator.
  if (bytes.length <= MAC_BYTES || bytes.toString('base64') !== token) throw invalid();
  const payload = bytes.subarray(MAC_BYTES);
  if (!timingSafeEqual(bytes.subarray(0, MAC_BYTES), mac(key, streamArn, payload))) throw invalid();
  let decoded: unknown;
  try {
    decoded = JSON.parse(payload.toString('utf8'));
  } catch {
    throw invalid();
  }
  if (
    !Array.isArray(decoded) ||
    typeof decoded[0] !== 'string' ||
    typeof decoded[1] !== 'string' ||
    !/^-?\d+$/.test(decoded[1]) ||
    typeof decoded[2] !== 'number'
  ) {
    throw invalid();
  }
  return { streamArn, shardId: decoded[0], after: BigInt(decoded[1]), issuedAt: decoded[2] };
};

export type { IteratorPosition };
export { decodeShardIterator, encodeShardIterator, ITERATOR_LIFETIME_MS };
