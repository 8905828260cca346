import { describe, expect, it } from 'vitest';
import { isTransientError } from '../../../../src/retry/isTransientError.js';
import { backoffDelay, type RetryPolicy, TRANSIENT_RETRY } from '../../../../src/retry/RetryPolicy.js';
import { retrying } from '../../../../src/retry/retrying.js';
import { ManualClock } from '../../../../src/time/clock.js';

const exact: RetryPolicy = { baseMs: 200, maxMs: 1_000, maxAttempts: 4, jitter: 'none' };
const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });

/** Lets pending promise callbacks run (no time passes on any clock). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('backoffDelay', () => {
  it('doubles from baseMs and stops at maxMs', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(exact, attempt, () => 0.5))).toEqual([
      200, 400, 800, 1_000, 1_000,
    ]);
  });

  it('draws full jitter in [0, backoff)', () => {
    const full = { ...exact, jitter: 'full' } as const;
    expect(backoffDelay(full, 3, () => 0)).toBe(0);
    expect(backoffDelay(full, 3, () => 0.5)).toBe(400);
    expect(backoffDelay(full, 3, () => 0.999)).toBe(799);
  });

  it('stays at the cap for any number of attempts', () => {
    expect(backoffDelay(TRANSIENT_RETRY, 5_000, () => 0.9999)).toBe(4_999);
  });
});

describe('retrying', () => {
  it('sleeps the backoff on the injected clock between attempts, then returns the result', async () => {
    const clock = new ManualClock(0);
    const calls: number[] = [];
    const waits: number[] = [];
    const result = retrying(
      async (attempt) => {
        calls.push(clock.now());
        if (attempt < 3) throw throttled;
        return 'done';
      },
      { policy: exact, clock, retryOn: isTransientError, onRetry: (_e, _a, delay) => waits.push(delay) },
    );
    await settle();
    expect(calls).toEqual([0]);
    clock.advance(199);
    await settle();
    expect(calls).toEqual([0]);
    clock.advance(1);
    await settle();
    clock.advance(400);
    await expect(result).resolves.toBe('done');
    expect(calls).toEqual([0, 200, 600]);
    expect(waits).toEqual([200, 400]);
  });

  it('throws the last error once maxAttempts calls failed', async () => {
    const clock = new ManualClock(0);
    let calls = 0;
    const result = retrying(
      async () => {
        calls += 1;
        throw throttled;
      },
      { policy: { ...exact, maxAttempts: 2 }, clock, retryOn: isTransientError },
    );
    const outcome = expect(result).rejects.toBe(throttled);
    await settle();
    clock.advance(200);
    await outcome;
    expect(calls).toBe(2);
  });

  it('throws an error retryOn refuses at once', async () => {
    const clock = new ManualClock(0);
    const invalid = Object.assign(new Error('bad'), { name: 'ValidationException' });
    let calls = 0;
    await expect(
      retrying(
        async () => {
          calls += 1;
          throw invalid;
        },
        { policy: exact, clock, retryOn: isTransientError },
      ),
    ).rejects.toBe(invalid);
    expect(calls).toBe(1);
  });

  it('stops during a backoff when its signal aborts, without another call', async () => {
    const clock = new ManualClock(0);
    const abort = new AbortController();
    let calls = 0;
    const result = retrying(
      async () => {
        calls += 1;
        throw throttled;
      },
      { policy: TRANSIENT_RETRY, clock, retryOn: isTransientError, signal: abort.signal },
    );
    await settle();
    abort.abort(new Error('stopped'));
    await expect(result).rejects.toThrow('stopped');
    clock.advance(10_000);
    await settle();
    expect(calls).toBe(1);
  });
});

describe('isTransientError', () => {
  it.each([
    ['throttling by name', { name: 'ProvisionedThroughputExceededException' }],
    ['a server fault', { name: 'InternalServerError', $fault: 'server' }],
    ['a 503', { name: 'Unknown', $metadata: { httpStatusCode: 503 } }],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
  ])('retries %s', (_name, error) => {
    expect(isTransientError(error)).toBe(true);
  });

  it.each([
    ['a validation error', { name: 'ValidationException', $fault: 'client' }],
    ['a lost conditional write', { name: 'ConditionalCheckFailedException' }],
    ['a string', 'ThrottlingException'],
    ['null', null],
  ])('does not retry %s', (_name, error) => {
    expect(isTransientError(error)).toBe(false);
  });
});
