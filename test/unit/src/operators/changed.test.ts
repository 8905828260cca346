import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { changed } from '../../../../src/operators/changed.js';
import { MissingImageError } from '../../../../src/pipeline/errors.js';
import { lambdaRecord } from '../../../helpers/factories.js';
import { inInvocation } from '../../../helpers/invocation.js';

const modify = (id: string, oldImage: Record<string, unknown>, newImage: Record<string, unknown>) =>
  lambdaRecord('MODIFY', { id }, { oldImage: { id, ...oldImage }, newImage: { id, ...newImage } });

/** A MODIFY from a NEW_IMAGE stream: no OldImage. */
const newImageOnly = (record: DynamoDBRecord): DynamoDBRecord => {
  const { OldImage: _old, ...data } = record.dynamodb ?? {};
  return { ...record, dynamodb: { ...data, StreamViewType: 'NEW_IMAGE' } };
};

const records = {
  a: modify('a', { status: 'PAID', total: 1 }, { status: 'SHIPPED', total: 1 }),
  b: modify('b', { status: 'PAID', total: 1 }, { status: 'PAID', total: 2 }),
  c: modify('c', { total: 1 }, { status: 'NEW', total: 1 }),
  d: newImageOnly(modify('d', { status: 'PAID' }, { status: 'SHIPPED' })),
  e: lambdaRecord('INSERT', { id: 'e' }, { newImage: { id: 'e', status: 'NEW' } }),
  f: lambdaRecord('REMOVE', { id: 'f' }, { oldImage: { id: 'f', status: 'NEW' } }),
  g: modify('g', { status: 'PAID' }, { total: 3 }),
  // Equal values written again: sets in another order, maps with keys in another order, the same list.
  s: modify(
    's',
    { status: new Set(['x', 'y']), address: { city: 'Oslo', zip: '0150' } },
    { status: new Set(['y', 'x']), address: { zip: '0150', city: 'Oslo' } },
  ),
  l: modify('l', { status: ['x', 'y'] }, { status: ['y', 'x'] }),
  n: modify('n', { status: new Set([1, 2]) }, { status: new Set([1, 2, 3]) }),
  y: modify(
    'y',
    { status: new Set([new Uint8Array([1]), new Uint8Array([2])]) },
    { status: new Set([new Uint8Array([2]), new Uint8Array([1])]) },
  ),
  z: modify('z', { address: { city: 'Oslo' } }, { address: { city: 'Bergen' } }),
};

describe(changed.name, () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('builds records Lambda could send', () => {
    expect(DynamoDBStreamSchema.safeParse({ Records: Object.values(records) }).success).toBe(true);
  });

  it('keeps the MODIFYs whose attribute changed, drops the rest, and reports a MODIFY without OldImage', () => {
    const { items, failures } = inInvocation(records);
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold(' -a-b-c-d-e-f-g-|', items);
      const subs = '        ^--------------!';
      const expected = '    -a---c-------g-|';
      expectObservable(source.pipe(changed('status'))).toBe(expected, items);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
    expect(failures.failures.map((f) => f.sequenceNumber)).toEqual([items.d.sequenceNumber]);
    const error = failures.failures[0]?.error as MissingImageError;
    expect(error).toBeInstanceOf(MissingImageError);
    expect(error.message).toBe(
      `record ${items.d.sequenceNumber} (MODIFY id="d") has no OldImage: changed("status") needs StreamViewType ` +
        "NEW_AND_OLD_IMAGES, and the record's stream has NEW_IMAGE",
    );
  });

  it('compares sets as sets, lists in order, binary by content', () => {
    const { items, failures } = inInvocation(records);
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold(' -s-l-n-y-|', items);
      const expected = '    ---l-n---|';
      expectObservable(source.pipe(changed('status'))).toBe(expected, items);
    });
    expect(failures.failures).toEqual([]);
  });

  it('compares maps deeply', () => {
    const { items } = inInvocation(records);
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold(' -s-z-|', items);
      const expected = '    ---z-|';
      expectObservable(source.pipe(changed('address'))).toBe(expected, items);
    });
  });

  it('keeps a record when any of several attributes changed', () => {
    const { items } = inInvocation(records);
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold(' -a-b-s-|', items);
      const expected = '    -a-b---|';
      expectObservable(source.pipe(changed('total', 'status'))).toBe(expected, items);
    });
  });
});
