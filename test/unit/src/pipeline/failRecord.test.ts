import { describe, expect, it } from 'vitest';
import { RecordNotInInvocationError } from '../../../../src/pipeline/errors.js';
import { failRecord } from '../../../../src/pipeline/failRecord.js';
import { toStreamItem } from '../../../../src/pipeline/StreamItem.js';
import { lambdaRecord } from '../../../helpers/factories.js';
import { inInvocation } from '../../../helpers/invocation.js';

describe(failRecord.name, () => {
  it("reports the failure to the record's invocation", () => {
    const { items, failures } = inInvocation({
      a: lambdaRecord('INSERT', { id: 'a' }, { newImage: { id: 'a' } }),
    });
    const error = new Error('bad');
    expect(failRecord(items.a, error)).toEqual({
      sequenceNumber: items.a.sequenceNumber,
      itemKey: items.a.itemKey,
      ok: false,
      error,
    });
    expect(failures.failures).toHaveLength(1);
  });

  it('reaches the invocation from items derived from the record (spread, new images)', () => {
    const { items, failures } = inInvocation({
      a: lambdaRecord('INSERT', { id: 'a' }, { newImage: { id: 'a' } }),
    });
    failRecord({ ...items.a, newImage: { id: 'decoded' } }, new Error('bad'));
    expect(failures.failures.map((f) => f.sequenceNumber)).toEqual([items.a.sequenceNumber]);
  });

  it('refuses a record no invocation is processing, so a failure never vanishes', () => {
    const item = toStreamItem(lambdaRecord('INSERT', { id: 'a' }, { newImage: { id: 'a' } }));
    expect(() => failRecord(item, new Error('bad'))).toThrow(RecordNotInInvocationError);
    expect(() => failRecord(item, new Error('bad'))).toThrow(
      `record ${item.sequenceNumber} (INSERT id="a") is not part of a handler invocation`,
    );
  });
});
