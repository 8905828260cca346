import { validationException } from '../errors.js';

/**
 * Shard iterators are opaque to clients and shaped like AWS's: `<StreamArn>|1|<token>` (streams-spec.md §2.5).
 * The token carries everything needed to read on, so the emulator keeps no per-iterator state: the shard,
 * the position (read records above this sequence number) and when the iterator was issued (they expire
 * after 15 minutes).
 */
interface IteratorPosition {
  readonly streamArn: string;
  readonly shardId: string;
  readonly after: bigint;
  readonly issuedAt: number;
}

/** AWS: "Shard iterators expire 15 minutes after they are returned to the requester." */
const ITERATOR_LIFETIME_MS = 15 * 60 * 1000;

const encodeShardIterator = (position: IteratorPosition): string => {
  const token = Buffer.from(
    JSON.stringify([position.shardId, position.after.toString(), position.issuedAt]),
    'utf8',
  ).toString('base64');
  return `${position.streamArn}|1|${token}`;
};

const decodeShardIterator = (iterator: string): IteratorPosition => {
  const invalid = () => validationException('Invalid ShardIterator');
  const last = iterator.lastIndexOf('|1|');
  if (last <= 0) throw invalid();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(iterator.slice(last + 3), 'base64').toString('utf8'));
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
  return {
    streamArn: iterator.slice(0, last),
    shardId: decoded[0],
    after: BigInt(decoded[1]),
    issuedAt: decoded[2],
  };
};

export type { IteratorPosition };
export { decodeShardIterator, encodeShardIterator, ITERATOR_LIFETIME_MS };
