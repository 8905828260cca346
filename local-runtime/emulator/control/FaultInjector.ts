import { AwsServiceError, internalServerError } from '../errors.js';
import { faultCount, knownOperation, oneOf } from './controlArguments.js';

/** The failures a test can ask for, answered exactly as AWS answers them, so clients retry as they would. */
const FAULTS = {
  /** DynamoDB's request-rate throttle; the SDK retries it as throttling. */
  throttling: () =>
    new AwsServiceError('ThrottlingException', 'Rate of requests exceeds the allowed throughput.', {
      namespace: 'com.amazon.coral.availability',
    }),
  /** DynamoDB Streams' answer to too many readers or calls on a shard. */
  limitExceeded: () =>
    new AwsServiceError('LimitExceededException', 'Too many operations for a given subscriber.'),
  provisionedThroughputExceeded: () =>
    new AwsServiceError(
      'ProvisionedThroughputExceededException',
      'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
    ),
  /** A role without the operation's IAM action: a 400 that no SDK retries. */
  accessDenied: () =>
    new AwsServiceError(
      'AccessDeniedException',
      'User: arn:aws:sts::000000000000:assumed-role/eddy-local/eddy is not authorized to perform this action because no identity-based policy allows it',
    ),
  /** A 500, which every AWS SDK retries. */
  internalError: () => internalServerError(),
} as const;

/**
 * The AWS errors `failNext` can answer with, each exactly as AWS sends it, so SDK clients retry as they would.
 *
 * @example
 * const kind: FaultKind = 'throttling'; // or 'limitExceeded', 'provisionedThroughputExceeded', 'accessDenied', 'internalError'
 * running.emulator.control.failNext('PutItem', 1, kind);
 */
type FaultKind = keyof typeof FAULTS;

const FAULT_KINDS = Object.keys(FAULTS) as FaultKind[];

/**
 * Makes the next N calls of an operation fail. Not part of AWS's API: it exists so tests of consumers can
 * exercise their retry paths against the real wire behaviour.
 */
class FaultInjector {
  readonly #pending = new Map<string, { kind: FaultKind; remaining: number }[]>();

  /**
   * `operation` is a name (`GetRecords`) or a full target (`DynamoDBStreams_20120810.GetRecords`) of an
   * operation the emulator serves.
   *
   * @throws ControlArgumentError - for an unknown operation or kind, or a count that is not an integer from 1
   *   to MAX_FAULT_COUNT
   */
  failNext(operation: string, count: number, kind: FaultKind): void {
    knownOperation(operation);
    faultCount(count);
    oneOf('kind', kind, FAULT_KINDS);
    const queue = this.#pending.get(operation) ?? [];
    queue.push({ kind, remaining: count });
    this.#pending.set(operation, queue);
  }

  /** The fault the next call of `target` must answer with, if any (and counts it down). */
  take(target: string): AwsServiceError | undefined {
    if (this.#pending.size === 0) return undefined;
    const name = target.slice(target.indexOf('.') + 1);
    for (const key of [target, name]) {
      const queue = this.#pending.get(key);
      const next = queue?.[0];
      if (queue === undefined || next === undefined) continue;
      next.remaining -= 1;
      if (next.remaining <= 0) queue.shift();
      if (queue.length === 0) this.#pending.delete(key);
      return FAULTS[next.kind]();
    }
    return undefined;
  }

  /** The faults still to answer, in the order they will be taken per operation (the dashboard shows them). */
  pending(): { readonly operation: string; readonly kind: FaultKind; readonly remaining: number }[] {
    return [...this.#pending].flatMap(([operation, queue]) =>
      queue.map(({ kind, remaining }) => ({ operation, kind, remaining })),
    );
  }

  /** Drops every pending fault. */
  clear(): void {
    this.#pending.clear();
  }
}

export type { FaultKind };
export { FAULT_KINDS, FAULTS, FaultInjector };
