import { describe, expect, it } from 'vitest';
import {
  type FailureSettings,
  type InvocationFacts,
  nextStep,
} from '../../../../../src/runtime/failures/nextStep.js';

const ERRORS = 'https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html';
const PARTIAL = 'https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html';
const WINDOWS = 'https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-windows.html';

const settings = (overrides: Partial<FailureSettings> = {}): FailureSettings => ({
  MaximumRetryAttempts: -1,
  BisectBatchOnFunctionError: false,
  retryBackoff: { baseMs: 200, maxMs: 10_000, maxAttempts: Number.POSITIVE_INFINITY, jitter: 'none' },
  ...overrides,
});

const facts = (overrides: Partial<InvocationFacts> = {}): InvocationFacts => ({
  records: 4,
  outcome: { kind: 'failure' },
  final: false,
  attempt: 1,
  bisect: [],
  ...overrides,
});

describe(nextStep.name, () => {
  it('finishes a batch that succeeded, and starts the next with a fresh attempt count', () => {
    expect(nextStep(facts({ outcome: { kind: 'success' }, attempt: 3 }), settings())).toEqual({
      kind: 'done',
      done: 4,
      attempt: 0,
      bisect: [],
    });
  });

  it(`retries a failed batch as a whole, after base × 2^(attempt-1) capped (${ERRORS})`, () => {
    const retryAfter = (attempt: number) => {
      const step = nextStep(facts({ attempt }), settings());
      return step.kind === 'retry' ? step.afterMs : undefined;
    };
    expect([1, 2, 3, 6, 7, 20].map(retryAfter)).toEqual([200, 400, 800, 6_400, 10_000, 10_000]);
    expect(nextStep(facts({ attempt: 2 }), settings())).toMatchObject({ kind: 'retry', done: 0, attempt: 2 });
  });

  it(`retries until the records expire with MaximumRetryAttempts -1 (${ERRORS})`, () => {
    expect(nextStep(facts({ attempt: 10_000 }), settings()).kind).toBe('retry');
  });

  it(`gives MaximumRetryAttempts N retries, N + 1 invocations, then discards with RetryAttemptsExhausted (${ERRORS})`, () => {
    const policy = settings({ MaximumRetryAttempts: 2 });
    expect(nextStep(facts({ attempt: 1 }), policy).kind).toBe('retry');
    expect(nextStep(facts({ attempt: 2 }), policy).kind).toBe('retry');
    expect(nextStep(facts({ attempt: 3 }), policy)).toEqual({
      kind: 'discard',
      done: 0,
      count: 4,
      condition: 'RetryAttemptsExhausted',
      invokeCount: 3,
      attempt: 0,
      bisect: [],
    });
  });

  it('discards at once with MaximumRetryAttempts 0', () => {
    expect(nextStep(facts({ attempt: 1 }), settings({ MaximumRetryAttempts: 0 })).kind).toBe('discard');
  });

  it(`finishes the records before the lowest reported failure and retries from it (${PARTIAL})`, () => {
    expect(nextStep(facts({ outcome: { kind: 'partial', index: 2 }, attempt: 1 }), settings())).toEqual({
      kind: 'retry',
      done: 2,
      afterMs: 200,
      attempt: 0,
      bisect: [],
    });
  });

  it('gives the rest of a partial batch all its retries again once the checkpoint moved (as recorded against AWS in test/conformance/lambdaEvents.test.ts)', () => {
    const step = nextStep(
      facts({ outcome: { kind: 'partial', index: 1 }, attempt: 3 }),
      settings({ MaximumRetryAttempts: 2 }),
    );
    expect(step).toMatchObject({ kind: 'retry', done: 1, attempt: 0 });
  });

  it('counts a partial failure at the first record as a failure of the whole batch (no progress, a retry used)', () => {
    const policy = settings({ MaximumRetryAttempts: 1 });
    expect(nextStep(facts({ outcome: { kind: 'partial', index: 0 }, attempt: 1 }), policy)).toMatchObject({
      kind: 'retry',
      done: 0,
      attempt: 1,
    });
    expect(nextStep(facts({ outcome: { kind: 'partial', index: 0 }, attempt: 2 }), policy)).toMatchObject({
      kind: 'discard',
      count: 4,
    });
  });

  it(`bisects a failed batch into two halves, the first the larger, without using up a retry (${ERRORS})`, () => {
    const policy = settings({ BisectBatchOnFunctionError: true, MaximumRetryAttempts: 0 });
    expect(nextStep(facts({ records: 5, attempt: 1 }), policy)).toEqual({
      kind: 'bisect',
      done: 0,
      halves: [3, 2],
      attempt: 0,
      bisect: [2, 3],
    });
  });

  it('replaces the part that failed on the bisect stack by its halves, the first on top', () => {
    const policy = settings({ BisectBatchOnFunctionError: true });
    expect(nextStep(facts({ records: 3, bisect: [2, 3] }), policy)).toMatchObject({ bisect: [2, 1, 2] });
  });

  it('takes one part off the bisect stack when it succeeds', () => {
    expect(
      nextStep(facts({ records: 2, outcome: { kind: 'success' }, bisect: [2, 1, 2] }), settings()),
    ).toMatchObject({
      kind: 'done',
      bisect: [2, 1],
    });
  });

  it('retries a single record that fails instead of bisecting it, and discards it when its retries are used', () => {
    const policy = settings({ BisectBatchOnFunctionError: true, MaximumRetryAttempts: 1 });
    expect(nextStep(facts({ records: 1, attempt: 1, bisect: [1, 1] }), policy)).toMatchObject({
      kind: 'retry',
    });
    expect(nextStep(facts({ records: 1, attempt: 2, bisect: [1, 1] }), policy)).toEqual({
      kind: 'discard',
      done: 0,
      count: 1,
      condition: 'RetryAttemptsExhausted',
      invokeCount: 2,
      attempt: 0,
      bisect: [1],
    });
  });

  it(`does not bisect after a partial response: the checkpoint moves and the rest is retried (${PARTIAL})`, () => {
    const policy = settings({ BisectBatchOnFunctionError: true });
    expect(
      nextStep(facts({ records: 4, outcome: { kind: 'partial', index: 1 }, bisect: [4] }), policy),
    ).toEqual({
      kind: 'retry',
      done: 1,
      afterMs: 200,
      attempt: 0,
      bisect: [3],
    });
  });

  it(`closes a tumbling window whose final invocation succeeded (${WINDOWS})`, () => {
    expect(
      nextStep(facts({ records: 0, final: true, outcome: { kind: 'success' }, attempt: 2 }), settings()),
    ).toEqual({
      kind: 'closeWindow',
      attempt: 0,
      bisect: [],
    });
  });

  it(`retries a window's failed final invocation, then discards the window's records (${WINDOWS})`, () => {
    const policy = settings({ MaximumRetryAttempts: 1, BisectBatchOnFunctionError: true });
    expect(nextStep(facts({ records: 0, final: true, attempt: 1 }), policy)).toMatchObject({ kind: 'retry' });
    expect(nextStep(facts({ records: 0, final: true, attempt: 2 }), policy)).toEqual({
      kind: 'discardWindow',
      condition: 'RetryAttemptsExhausted',
      invokeCount: 2,
      attempt: 0,
      bisect: [],
    });
  });
});
