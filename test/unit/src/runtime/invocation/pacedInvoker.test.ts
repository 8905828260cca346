import type { DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { paceDelayMs, pacedInvoker } from '../../../../../src/runtime/invocation/pacedInvoker.js';
import { ManualClock } from '../../../../../src/time/clock.js';
import { lambdaRecord } from '../../../../helpers/factories.js';

const eventOf = (n: number): DynamoDBStreamEvent => ({
  Records: Array.from({ length: n }, (_, i) => lambdaRecord('INSERT', { id: `k${i}` })),
});

describe(paceDelayMs.name, () => {
  it('waits until the records already sent were due at the rate, and not when behind it', () => {
    expect(paceDelayMs(0, 100, 0)).toBe(0);
    expect(paceDelayMs(200, 100, 1500)).toBe(500);
    expect(paceDelayMs(200, 100, 2000)).toBe(0);
    expect(paceDelayMs(200, 100, 5000)).toBe(0);
    expect(paceDelayMs(1, 3, 0)).toBe(334); // rounded up: never early
  });
});

describe(pacedInvoker.name, () => {
  it('holds each invocation until the rate allows it, with time moved by the test', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const calls: number[] = [];
    const invoker = pacedInvoker(
      {
        functionName: 'f',
        invoke: async (event) => {
          calls.push(event.Records.length);
          return null;
        },
      },
      10,
      clock,
    );
    await invoker.invoke(eventOf(10)); // the first batch goes at once
    expect(calls).toEqual([10]);
    const second = invoker.invoke(eventOf(5)); // 10 records at 10/s: due at 1 s
    clock.advance(999);
    expect(calls).toEqual([10]);
    clock.advance(1);
    await second;
    expect(calls).toEqual([10, 5]);
    const third = invoker.invoke(eventOf(1)); // 15 due at 1.5 s
    clock.advance(500);
    await third;
    expect(calls).toEqual([10, 5, 1]);
  });

  it('refuses a rate that is not above 0', () => {
    const invoker = { functionName: 'f', invoke: async () => null };
    expect(() => pacedInvoker(invoker, 0, new ManualClock(0))).toThrow(/above 0/);
  });
});
