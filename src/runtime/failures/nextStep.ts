import { backoffDelay, type RetryPolicy } from '../../retry/RetryPolicy.js';
import type { FailureCondition } from './destinations/onFailureRecord.js';

/**
 * How an invocation ended, as the failure policy reads it (the same cases as `BatchOutcome`, without the
 * messages): records before `index` of a partial batch succeeded.
 */
type InvocationOutcome =
  | { readonly kind: 'success' }
  | { readonly kind: 'partial'; readonly index: number }
  | { readonly kind: 'failure' };

/** One invocation of a lane's front batch, and the lane's failure state around it. */
interface InvocationFacts {
  /** Records in the batch (0 for a tumbling window's final invocation). */
  readonly records: number;
  readonly outcome: InvocationOutcome;
  /** This was a tumbling window's final invocation (`isFinalInvokeForWindow`). */
  readonly final: boolean;
  /** Invocations of this batch so far, this one included. */
  readonly attempt: number;
  /** BisectBatchOnFunctionError: sizes of the batches still to try, next on top (the end of the array). */
  readonly bisect: readonly number[];
}

/** The settings the failure policy reads. */
interface FailureSettings {
  /** -1: retry until the records expire. */
  readonly MaximumRetryAttempts: number;
  readonly BisectBatchOnFunctionError: boolean;
  /** The wait before a function error is retried: `jitter: 'none'`, so retries are reproducible. */
  readonly retryBackoff: RetryPolicy;
}

/**
 * What the lane does after an invocation. In every case `attempt` and `bisect` are the lane's state from now
 * on; `done` records at the front of the batch are finished (processed) first.
 *
 * - `closeWindow`: a tumbling window's final invocation succeeded; the window's held records are done.
 * - `done`: the batch succeeded.
 * - `bisect`: split the failed batch into `halves`, first half next; no retry is used up.
 * - `retry`: invoke the rest of the batch again after `afterMs`.
 * - `discard`: report `count` records after `done` to the on-failure destination with `condition`, then they
 *   are done; `invokeCount` is the report's `approximateInvokeCount`.
 * - `discardWindow`: the same, for the held records of a window whose final invocation kept failing.
 *
 * @example
 * const step: NextStep = { kind: 'retry', done: 0, afterMs: 400, attempt: 2, bisect: [] };
 */
type NextStep =
  | { readonly kind: 'closeWindow'; readonly attempt: 0; readonly bisect: readonly number[] }
  | { readonly kind: 'done'; readonly done: number; readonly attempt: 0; readonly bisect: readonly number[] }
  | {
      readonly kind: 'bisect';
      readonly done: number;
      readonly halves: readonly [number, number];
      readonly attempt: 0;
      readonly bisect: readonly number[];
    }
  | {
      readonly kind: 'retry';
      readonly done: number;
      readonly afterMs: number;
      readonly attempt: number;
      readonly bisect: readonly number[];
    }
  | {
      readonly kind: 'discard';
      readonly done: number;
      readonly count: number;
      readonly condition: FailureCondition;
      readonly invokeCount: number;
      readonly attempt: 0;
      readonly bisect: readonly number[];
    }
  | {
      readonly kind: 'discardWindow';
      readonly condition: FailureCondition;
      readonly invokeCount: number;
      readonly attempt: 0;
      readonly bisect: readonly number[];
    };

/**
 * ⑥ Lambda's failure policy for DynamoDB streams as one pure decision
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-windows.html):
 * - a success finishes the batch (one bisected part off the stack);
 * - a partial failure finishes the records before the lowest reported item; having moved the checkpoint, the
 *   rest starts over with all its retries (as recorded against AWS: one partial invocation, then
 *   1 + MaximumRetryAttempts of the rest);
 * - with BisectBatchOnFunctionError, a batch of two or more that failed as a whole is split in two halves
 *   (the first the larger), without using up a retry;
 * - otherwise the batch is retried after `retryBackoff` (base × 2^(attempt-1), capped) until
 *   MaximumRetryAttempts retries are used, then discarded with `RetryAttemptsExhausted`.
 *
 * @example
 * nextStep(
 *   { records: 4, outcome: { kind: 'failure' }, final: false, attempt: 1, bisect: [] },
 *   { MaximumRetryAttempts: 2, BisectBatchOnFunctionError: false, retryBackoff: { baseMs: 200, maxMs: 10_000, maxAttempts: Number.POSITIVE_INFINITY, jitter: 'none' } },
 * ); // { kind: 'retry', done: 0, afterMs: 200, attempt: 1, bisect: [] }
 */
const nextStep = (facts: InvocationFacts, settings: FailureSettings): NextStep => {
  const { outcome, records } = facts;
  if (facts.final && outcome.kind !== 'failure') {
    // The window is done: its records are checkpointed now, and its state dropped.
    return { kind: 'closeWindow', attempt: 0, bisect: facts.bisect };
  }
  if (outcome.kind === 'success')
    return { kind: 'done', done: records, attempt: 0, bisect: facts.bisect.slice(0, -1) };

  // Records before the lowest reported failure are done; the retry resumes at that record.
  const done = outcome.kind === 'partial' ? outcome.index : 0;
  let bisect = facts.bisect;
  let attempt = facts.attempt;
  if (done > 0) {
    // Progress: the remainder starts over with all its retries, and its part of the bisect stack shrinks.
    attempt = 0;
    const pending = bisect.at(-1);
    bisect = pending === undefined ? bisect : [...bisect.slice(0, -1), pending - done];
  }
  const remaining = records - done;

  // Bisect: a batch that failed as a whole is split in two, without using up a retry.
  if (settings.BisectBatchOnFunctionError && outcome.kind === 'failure' && remaining > 1) {
    const first = Math.ceil(remaining / 2);
    return {
      kind: 'bisect',
      done,
      halves: [first, remaining - first],
      attempt: 0,
      bisect: [...bisect.slice(0, -1), remaining - first, first],
    };
  }

  const retriesLeft = settings.MaximumRetryAttempts === -1 || attempt <= settings.MaximumRetryAttempts;
  if (!retriesLeft && facts.final) {
    // The window's aggregate could not be delivered: its records are reported, then released.
    return {
      kind: 'discardWindow',
      condition: 'RetryAttemptsExhausted',
      invokeCount: attempt,
      attempt: 0,
      bisect,
    };
  }
  if (!retriesLeft) {
    return {
      kind: 'discard',
      done,
      count: remaining,
      condition: 'RetryAttemptsExhausted',
      invokeCount: attempt,
      attempt: 0,
      bisect: bisect.slice(0, -1),
    };
  }
  return {
    kind: 'retry',
    done,
    afterMs: backoffDelay(settings.retryBackoff, attempt, noJitter),
    attempt,
    bisect,
  };
};

/** `retryBackoff` has `jitter: 'none'`; a draw is never used. */
const noJitter = (): number => 0;

export type { FailureSettings, InvocationFacts, InvocationOutcome, NextStep };
export { nextStep };
