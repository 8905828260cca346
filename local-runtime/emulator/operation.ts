import type { StreamViewType } from '../../src/records/streamRecord.js';
import type { Clock } from '../../src/time/clock.js';
import type { Table } from './dynamodb/Table.js';
import type { RandomSource } from './persistence/RandomSource.js';
import type { Region } from './Region.js';
import type { SequenceNumbers } from './streams/SequenceNumbers.js';
import type { Shard } from './streams/Shard.js';
import type { Stream } from './streams/Stream.js';
import type { StreamSettings } from './streams/streamSettings.js';

/**
 * Turns a table's stream on or off (streams/enableStream.ts). The emulator hands it to table operations in their
 * context, so CreateTable and UpdateTable reach the stream wiring without dynamodb/ importing streams/.
 */
interface TableStreams {
  enable(table: Table, viewType: StreamViewType, context: OperationContext): Stream;
  disable(table: Table, context: OperationContext): void;
}

/** What an operation gets besides its input: the caller's region namespace and the emulator's services. */
interface OperationContext {
  readonly region: Region;
  readonly clock: Clock;
  readonly sequenceNumbers: SequenceNumbers;
  /** Randomness for ids; seeded per request so the journal replays it. */
  readonly random: RandomSource;
  readonly streamSettings: StreamSettings;
  /** How long tables stay CREATING, UPDATING and DELETING (EmulatorOptions.tableStatusDelayMs). */
  readonly tableStatusDelayMs: number;
  /** Iterators issued before this instant count as expired (the control surface's expireIterators). */
  readonly iteratorsValidFrom: number;
  /** The key shard iterators are signed with (shardIterator.ts). */
  readonly iteratorKey: Buffer;
  /** The wake-up hint: called after a record is appended to a shard. */
  readonly onRecord: (stream: Stream, shard: Shard) => void;
  /** Turns a table's stream on or off, for CreateTable and UpdateTable. */
  readonly tableStreams: TableStreams;
}

/** One AWS operation: parsed JSON input in, JSON output out; throws AwsServiceError for the client. */
type Operation = (input: Record<string, unknown>, context: OperationContext) => unknown;

export type { Operation, OperationContext, TableStreams };
