import { from, lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeWith } from '../../../../src/operators/decodeWith.js';
import { processEach } from '../../../../src/operators/processEach.js';
import { EarlierRecordFailedError } from '../../../../src/pipeline/errors.js';
import { type RecordOutcome, SUPERSEDED } from '../../../../src/pipeline/RecordOutcome.js';
import type { StreamItem } from '../../../../src/pipeline/StreamItem.js';
import { lambdaRecord } from '../../../helpers/factories.js';
import { inInvocation } from '../../../helpers/invocation.js';

const records = {
  a: lambdaRecord('INSERT', { id: 'a' }, { newImage: { id: 'a', v: 1 } }),
  b: lambdaRecord('INSERT', { id: 'b' }, { newImage: { id: 'b', v: 1 } }),
  c: lambdaRecord('MODIFY', { id: 'a' }, { oldImage: { id: 'a', v: 1 }, newImage: { id: 'a', v: 2 } }),
  d: lambdaRecord('MODIFY', { id: 'b' }, { oldImage: { id: 'b', v: 1 }, newImage: { id: 'b', v: 2 } }),
  e: lambdaRecord('MODIFY', { id: 'b' }, { oldImage: { id: 'b', v: 2 }, newImage: { id: 'b', v: 3 } }),
};

const ok = (item: StreamItem): RecordOutcome => ({
  sequenceNumber: item.sequenceNumber,
  itemKey: item.itemKey,
  ok: true,
});
const failed = (item: StreamItem, error: unknown): RecordOutcome => ({
  sequenceNumber: item.sequenceNumber,
  itemKey: item.itemKey,
  ok: false,
  error,
});

describe(processEach.name, () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it("emits an outcome per record, and fails an item's later records without running them", () => {
    const { items, failures } = inInvocation(records);
    const poison = new Error('b1 fails');
    const ran: string[] = [];
    const effect = (item: StreamItem) => {
      ran.push(item.sequenceNumber);
      if (item === items.b) throw poison;
      return [true];
    };
    const outcomes = {
      A: ok(items.a),
      B: failed(items.b, poison),
      C: ok(items.c),
      D: failed(items.d, new EarlierRecordFailedError(items.b.sequenceNumber, poison)),
      E: failed(items.e, new EarlierRecordFailedError(items.b.sequenceNumber, poison)),
    };
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold(' -a-b-c-d-e-|', items);
      const subs = '        ^----------!';
      const expected = '    -A-B-C-D-E-|';
      expectObservable(source.pipe(processEach(effect))).toBe(expected, outcomes);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
    expect(ran).toEqual([items.a, items.b, items.c].map((item) => item.sequenceNumber));
    // Failures also go to the invocation's side channel, where window pipelines (which emit state) find them.
    expect(failures.failures.map((f) => f.sequenceNumber)).toEqual(
      [items.b, items.d, items.e].map((item) => item.sequenceNumber),
    );
  });

  it('does not run the later records of an item that an upstream operator reported as failed', () => {
    // A NEW_IMAGE stream: b's first image is invalid, its later ones are fine.
    const { items, failures } = inInvocation({
      b: lambdaRecord('INSERT', { id: 'b' }, { newImage: { id: 'b', v: 'one' } }),
      d: lambdaRecord('MODIFY', { id: 'b' }, { newImage: { id: 'b', v: 2 } }),
      f: lambdaRecord('INSERT', { id: 'f' }, { newImage: { id: 'f', v: 1 } }),
      e: lambdaRecord('MODIFY', { id: 'b' }, { newImage: { id: 'b', v: 3 } }),
    });
    const Versioned = z.object({ id: z.string(), v: z.number() });
    const ran: string[] = [];
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold(' -b-d-f-e-|', items);
      const expected = '    ---D-F-E-|';
      const pipeline = source.pipe(
        decodeWith(Versioned), // b is invalid: reported and dropped
        processEach((item) => {
          ran.push(item.sequenceNumber);
          return [true];
        }),
      );
      expectObservable(pipeline).toBe(expected, {
        D: failed(items.d, expect.any(EarlierRecordFailedError)),
        F: ok(items.f),
        E: failed(items.e, expect.any(EarlierRecordFailedError)),
      });
    });
    expect(ran).toEqual([items.f.sequenceNumber]);
    const [, dFailure] = failures.failures;
    expect((dFailure?.error as EarlierRecordFailedError | undefined)?.failedSequenceNumber).toBe(
      items.b.sequenceNumber,
    );
  });

  it('marks the outcome of an effect that found its work already done (its last value is SUPERSEDED)', () => {
    const { items } = inInvocation(records);
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold(' -a-b-|', { a: items.a, b: items.b });
      const expected = '    -A-B-|';
      expectObservable(
        source.pipe(processEach((item) => (item === items.b ? [1, SUPERSEDED] : [SUPERSEDED, 1]))),
      ).toBe(expected, { A: ok(items.a), B: { ...ok(items.b), superseded: true } });
    });
  });

  it('keeps working on items outside any invocation (no side channel)', () => {
    const { items } = inInvocation(records);
    const loose = { ...items.a, record: { ...items.a.record } }; // a record no invocation holds
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold(' -l-|', { l: loose });
      const expected = '    -L-|';
      expectObservable(source.pipe(processEach(() => [true]))).toBe(expected, { L: ok(loose) });
    });
  });

  it('runs the records of one item one at a time, in order, and different items concurrently', async () => {
    const { items } = inInvocation(records);
    const log: string[] = [];
    // a finishes only after b has: with items run one at a time, this would never end.
    let bDone: () => void = () => undefined;
    const bFinished = new Promise<void>((resolve) => {
      bDone = resolve;
    });
    const effect = async (item: StreamItem) => {
      log.push(`start ${item.sequenceNumber}`);
      if (item === items.a) await bFinished;
      log.push(`end ${item.sequenceNumber}`);
      if (item === items.b) bDone();
    };
    await lastValueFrom(from([items.a, items.b, items.c]).pipe(processEach(effect), toArray()));
    const at = (entry: string) => log.indexOf(entry);
    // c waits for a (same item); b ran while a was running.
    expect(at(`start ${items.c.sequenceNumber}`)).toBeGreaterThan(at(`end ${items.a.sequenceNumber}`));
    expect(at(`end ${items.b.sequenceNumber}`)).toBeLessThan(at(`end ${items.a.sequenceNumber}`));
  });
});
