import { describe, expect, it } from 'vitest';
import { InvocationFailures } from '../../../../src/pipeline/InvocationFailures.js';
import { toStreamItem } from '../../../../src/pipeline/StreamItem.js';
import { lambdaRecord } from '../../../helpers/factories.js';

const a1 = lambdaRecord('INSERT', { id: 'a' }, { newImage: { id: 'a', v: 1 } });
const a2 = lambdaRecord('MODIFY', { id: 'a' }, { newImage: { id: 'a', v: 2 } });
const a3 = lambdaRecord('MODIFY', { id: 'a' }, { newImage: { id: 'a', v: 3 } });
const b1 = lambdaRecord('INSERT', { id: 'b' }, { newImage: { id: 'b' } });

describe(InvocationFailures.name, () => {
  it('finds the invocation of a record while it is bound, and forgets it once released', () => {
    const failures = new InvocationFailures();
    const [record] = failures.bind([{ ...a1 }]);
    const item = toStreamItem(record as typeof a1);
    expect(InvocationFailures.of(item)).toBe(failures);
    failures.release();
    expect(InvocationFailures.of(item)).toBeUndefined();
  });

  it('binds a copy of a record another live invocation holds, and the record itself otherwise', () => {
    const record = { ...a1 };
    const first = new InvocationFailures();
    const second = new InvocationFailures();
    const [own] = first.bind([record]);
    const [copy] = second.bind([record]);
    expect(own).toBe(record);
    expect(copy).not.toBe(record);
    expect(copy).toEqual(record);
    expect(InvocationFailures.of(toStreamItem(copy as typeof a1))).toBe(second);
    // Releasing the second leaves the first's binding alone.
    second.release();
    expect(InvocationFailures.of(toStreamItem(record))).toBe(first);
    first.release();
  });

  it("answers an item's earliest failure to its later records only", () => {
    const failures = new InvocationFailures();
    const [i1, i2, i3, j1] = failures.bind([a1, a2, a3, b1]).map((r) => toStreamItem(r));
    if (i1 === undefined || i2 === undefined || i3 === undefined || j1 === undefined)
      throw new Error('items');
    failures.report(i2, new Error('a2'));
    expect(failures.earlierFailure(i1)).toBeUndefined();
    expect(failures.earlierFailure(i2)).toBeUndefined();
    expect(failures.earlierFailure(i3)?.sequenceNumber).toBe(i2.sequenceNumber);
    expect(failures.earlierFailure(j1)).toBeUndefined();
    failures.report(i1, new Error('a1')); // an earlier record failing later moves the item's earliest failure
    expect(failures.earlierFailure(i3)?.sequenceNumber).toBe(i1.sequenceNumber);
    failures.release();
  });

  it("keeps a record's first error", () => {
    const failures = new InvocationFailures();
    const [item] = failures.bind([{ ...a1 }]).map((r) => toStreamItem(r));
    if (item === undefined) throw new Error('item');
    const first = new Error('first');
    failures.report(item, first);
    expect(failures.report(item, new Error('second')).error).toBe(first);
    expect(failures.failures).toHaveLength(1);
    failures.release();
  });
});
