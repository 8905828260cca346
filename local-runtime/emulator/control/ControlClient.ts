import type { FaultKind } from './FaultInjector.js';

/**
 * An answer of the control surface other than 200: the error's AWS name (`ValidationException` for an argument
 * out of range, `ResourceNotFoundException` for an unknown stream, `UnknownOperationException` for an action the
 * emulator does not have) and its message, which names the argument and what it accepts.
 *
 * @example
 * try {
 *   await control.advanceClock(-1);
 * } catch (error) {
 *   if (error instanceof ControlRequestError) console.log(error.type, error.statusCode); // ValidationException 400
 * }
 */
class ControlRequestError extends Error {
  override readonly name = 'ControlRequestError';
  /** The AWS error name, without its namespace: `ValidationException`. */
  readonly type: string;
  readonly statusCode: number;

  constructor(action: string, statusCode: number, type: string, message: string) {
    super(`eddy emulator control ${action}: ${type}: ${message}`);
    this.type = type;
    this.statusCode = statusCode;
  }
}

/**
 * A typed client for an emulator's HTTP control surface (`POST <endpoint>/_eddy/control/<action>`), for a test
 * whose emulator runs in another process (`eddy dev`, `eddy emulator`). In the same process,
 * `running.emulator.control` does the same without HTTP. It does not sign requests, so it cannot reach an
 * emulator started with `requireSignature`.
 *
 * @example
 * const control = new ControlClient('http://127.0.0.1:8000');
 * const [child] = await control.rollOver({ streamArn });
 * await control.failNext('GetRecords', 2, 'throttling');
 */
class ControlClient {
  readonly #endpoint: string;

  /** @param endpoint - where the emulator serves, as AWS clients are given it: `http://127.0.0.1:8000` */
  constructor(endpoint: string) {
    this.#endpoint = endpoint.replace(/\/+$/, '');
  }

  /** Moves the clock of an emulator started with a `ManualClock` forward by `ms`; returns its new time (epoch ms). */
  async advanceClock(ms: number): Promise<number> {
    return ((await this.#post('advanceClock', { ms })) as { now: number }).now;
  }

  /** Closes the stream's open shards (or one) and gives each a child, as AWS's rollover does; returns the children. */
  async rollOver(target: { readonly streamArn: string; readonly shardId?: string }): Promise<string[]> {
    return ((await this.#post('rollOver', target)) as { childShardIds: string[] }).childShardIds;
  }

  /** Splits an open shard into two children; returns them. */
  async split(target: { readonly streamArn: string; readonly shardId: string }): Promise<string[]> {
    return ((await this.#post('split', target)) as { childShardIds: string[] }).childShardIds;
  }

  /** Expires every shard iterator issued so far: their next GetRecords answers ExpiredIteratorException. */
  async expireIterators(): Promise<void> {
    await this.#post('expireIterators', {});
  }

  /** Makes the next `count` calls of `operation` (`GetRecords`, `PutItem`, …) fail with AWS's error of that kind. */
  async failNext(operation: string, count: number, kind: FaultKind): Promise<void> {
    await this.#post('failNext', { operation, count, kind });
  }

  /** Drops the faults `failNext` queued that have not been answered yet. */
  async clearFaults(): Promise<void> {
    await this.#post('clearFaults', {});
  }

  /** Deletes the items whose TTL has passed now, instead of at the next sweep. */
  async sweepTtl(): Promise<void> {
    await this.#post('sweepTtl', {});
  }

  async #post(action: string, body: object): Promise<unknown> {
    const response = await fetch(`${this.#endpoint}/_eddy/control/${action}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      answer = undefined;
    }
    if (response.ok) return answer;
    const error = (answer ?? {}) as { __type?: string; message?: string };
    throw new ControlRequestError(
      action,
      response.status,
      (error.__type ?? `HTTP${response.status}`).split('#').pop() as string,
      error.message ?? text,
    );
  }
}

export { ControlClient, ControlRequestError };
