import { parseStreamArn } from '../../../src/records/arn.js';
import { type Clock, ManualClock } from '../../../src/time/clock.js';
import { advanceMs, ControlArgumentError, text } from './controlArguments.js';
import { FaultInjector, type FaultKind } from './FaultInjector.js';

/**
 * What the control surface drives: the emulator's clock, its default account and its operations. Declared here
 * so control/ does not import Emulator.ts, which builds the control surface.
 */
interface ControlledEmulator {
  readonly clock: Clock;
  readonly accountId: string;
  dispatch(target: string, input: Record<string, unknown>, regionName: string, accountId?: string): unknown;
}

/**
 * The stream a control action applies to; its region and account default to those its ARN names.
 *
 * @example
 * running.emulator.control.rollOver({ streamArn, shardId: 'shardId-00000001700000000000-00000000' });
 */
interface StreamTarget {
  readonly region?: string;
  readonly accountId?: string;
  readonly streamArn: string;
}

/**
 * The test control surface: what a test needs to reach into the emulator that AWS's API does not offer.
 * In process through `emulator.control`, and over HTTP at `POST /_eddy/control/<action>` (a path the AWS
 * protocol never uses, since every AWS request is `POST /` with an X-Amz-Target).
 *
 * @example
 * const { emulator } = await startEmulator({ port: 0, clock: new ManualClock(0) });
 * emulator.control.advanceClock(60_000);
 * emulator.control.failNext('GetRecords', 2, 'throttling');
 */
class EmulatorControl {
  readonly faults = new FaultInjector();
  readonly #emulator: ControlledEmulator;
  /** Iterators issued before this instant (epoch ms) are expired. */
  #iteratorsValidFrom = Number.NEGATIVE_INFINITY;

  constructor(emulator: ControlledEmulator) {
    this.#emulator = emulator;
  }

  get iteratorsValidFrom(): number {
    return this.#iteratorsValidFrom;
  }

  /**
   * Moves the emulator's clock forward. Only for an emulator started with a ManualClock.
   *
   * @throws ControlArgumentError - unless `ms` is a finite number from 0 to MAX_ADVANCE_MS
   */
  advanceClock(ms: number): number {
    advanceMs(ms);
    const clock = this.#emulator.clock;
    if (!(clock instanceof ManualClock)) {
      throw new ControlArgumentError(
        'the emulator runs on the system clock; start it with a ManualClock to move time',
      );
    }
    clock.advance(ms);
    return clock.now();
  }

  /** Closes open shards (all of the stream's, or one) and gives each a child, as AWS's periodic rollover does. */
  rollOver(target: StreamTarget & { readonly shardId?: string }): string[] {
    return this.#run('EddyControl.RollOver', target, target.shardId);
  }

  /** Splits an open shard into two children. */
  split(target: StreamTarget & { readonly shardId: string }): string[] {
    text('shardId', target.shardId);
    return this.#run('EddyControl.Split', target, target.shardId);
  }

  /** Expires every iterator issued so far: their next GetRecords answers ExpiredIteratorException. */
  expireIterators(): void {
    this.#iteratorsValidFrom = this.#emulator.clock.now() + 1;
  }

  /**
   * Makes the next `count` calls of an operation fail with the given AWS error.
   *
   * @throws ControlArgumentError - for an unknown operation or kind, or a count that is not an integer from 1
   *   to MAX_FAULT_COUNT
   */
  failNext(operation: string, count: number, kind: FaultKind): void {
    this.faults.failNext(operation, count, kind);
  }

  /** Drops every fault `failNext` queued and has not yet answered with. */
  clearFaults(): void {
    this.faults.clear();
  }

  /** Shard changes go through dispatch, so they are journaled like any other mutation. */
  #run(target: string, stream: StreamTarget, shardId: string | undefined): string[] {
    text('streamArn', stream.streamArn);
    if (shardId !== undefined) text('shardId', shardId);
    if (stream.region !== undefined) text('region', stream.region);
    if (stream.accountId !== undefined) text('accountId', stream.accountId);
    // The stream lives in the account and region its ARN names.
    const arn = parseStreamArn(stream.streamArn);
    const region = stream.region ?? arn?.region ?? 'us-east-1';
    const accountId = stream.accountId ?? arn?.accountId ?? this.#emulator.accountId;
    const input = { StreamArn: stream.streamArn, ...(shardId === undefined ? {} : { ShardId: shardId }) };
    const output = this.#emulator.dispatch(target, input, region, accountId);
    return (output as { ChildShardIds: string[] }).ChildShardIds;
  }
}

export type { StreamTarget };
export { EmulatorControl };
