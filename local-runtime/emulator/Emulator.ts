import type { Clock } from '../../src/time/clock.js';
import { systemClock } from '../../src/time/clock.js';
import { EmulatorControl } from './control/EmulatorControl.js';
import { type AwsServiceError, unknownOperationException } from './errors.js';
import type { OperationContext } from './operation.js';
import { operationFor } from './operations.js';
import { Region } from './Region.js';
import { SequenceNumbers } from './streams/SequenceNumbers.js';
import { DEFAULT_STREAM_SETTINGS, type StreamSettings } from './streams/streamSettings.js';

/** Told when a shard receives a record: the wake-up hint that lets local consumers skip timed polling. */
type RecordListener = (event: { region: string; streamArn: string; shardId: string }) => void;

interface EmulatorOptions {
  readonly clock?: Clock;
  /** The account every region belongs to (ARNs). @default '000000000000' */
  readonly accountId?: string;
  /** Shards per stream, rollover and retention; AWS's behaviour by default. */
  readonly streams?: Partial<StreamSettings>;
}

/**
 * The emulator's state and its dispatch, without any HTTP: DynamoDB and DynamoDB Streams for any number of
 * regions. `startEmulator` puts a server in front of it; tests may call `dispatch` directly.
 */
class Emulator {
  readonly clock: Clock;
  readonly accountId: string;
  readonly #regions = new Map<string, Region>();
  readonly #sequenceNumbers = new SequenceNumbers();
  readonly #listeners = new Set<RecordListener>();
  readonly streamSettings: StreamSettings;
  /** The test control surface: clock, shards, iterators, faults. */
  readonly control = new EmulatorControl(this);

  constructor(options: EmulatorOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.accountId = options.accountId ?? '000000000000';
    this.streamSettings = { ...DEFAULT_STREAM_SETTINGS, ...options.streams };
  }

  region(name: string): Region {
    let region = this.#regions.get(name);
    if (region === undefined) {
      region = new Region(name, this.accountId);
      this.#regions.set(name, region);
    }
    return region;
  }

  /** Runs one operation for a region. Throws AwsServiceError for anything the client did wrong. */
  dispatch(target: string, input: Record<string, unknown>, regionName: string): unknown {
    const operation = operationFor(target);
    if (operation === undefined) throw unknownOperationException() satisfies AwsServiceError;
    const fault = this.control.faults.take(target);
    if (fault !== undefined) throw fault;
    const context: OperationContext = {
      region: this.region(regionName),
      clock: this.clock,
      sequenceNumbers: this.#sequenceNumbers,
      streamSettings: this.streamSettings,
      iteratorsValidFrom: this.control.iteratorsValidFrom,
      onRecord: (stream, shard) => {
        for (const listener of this.#listeners)
          listener({ region: regionName, streamArn: stream.arn, shardId: shard.id });
      },
    };
    return operation(input, context);
  }

  /** Subscribes to the wake-up hint; returns the unsubscribe function. */
  onRecords(listener: RecordListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

export type { EmulatorOptions, RecordListener };
export { Emulator };
