import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { type MonoTypeOperatorFunction, type Observable, type OperatorFunction, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { expect, it } from 'vitest';
import { MissingImageError, RecordNotInInvocationError } from '../../../../src/pipeline/errors.js';
import { type Item, type StreamItem, toStreamItem } from '../../../../src/pipeline/StreamItem.js';
import type { EventName, StreamViewType } from '../../../../src/records/streamRecord.js';
import { lambdaRecord, streamItem } from '../../../helpers/factories.js';
import { inInvocation } from '../../../helpers/invocation.js';

/*
 * Tests that several operators share because they are the same operator up to a parameter: inserts, modifies
 * and removes keep one event name each; isTtlExpiry and notTtlExpiry split the records on the same test;
 * newImage and oldImage map to one image each. Each `…Cases` function registers its `it`s in the caller's
 * `describe`, so every operator keeps its own test file and passes in only what it does differently: the
 * marbles it emits from the shared sources below, and its test names and messages.
 */

/** A marble scheduler comparing with toEqual, new for each test so no test sees another's frames. */
const scheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** Pipes the cold `source` through `operator` and expects `expected`, and the subscription `subs`. */
const expectFiltered = (
  operator: () => MonoTypeOperatorFunction<StreamItem>,
  values: Record<string, StreamItem>,
  marbles: { source: string; subs: string; expected: string },
): void => {
  scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
    const items = cold(marbles.source, values);
    expectObservable(items.pipe(operator())).toBe(marbles.expected, values);
    expectSubscriptions(items.subscriptions).toBe(marbles.subs);
  });
};

/** One record of each event name. */
const eventItems: Record<string, StreamItem> = {
  i: streamItem('INSERT', { id: 'a' }, { newImage: { id: 'a' } }),
  m: streamItem('MODIFY', { id: 'a' }, { newImage: { id: 'a', n: 1 }, oldImage: { id: 'a' } }),
  r: streamItem('REMOVE', { id: 'a' }, { oldImage: { id: 'a', n: 1 } }),
};

/**
 * The tests of an operator that keeps the records of one event name, `eventName`. `expected` is what it
 * emits from each source:
 *
 * ```
 * kept:          -i-m-r-i-|   (cold)
 * error:         -i-m-#       (cold)
 * unsubscribed:  -i-m-r-i-|   (hot, unsubscribed at -----!)
 * ```
 */
const eventNameFilterCases = (
  operator: () => MonoTypeOperatorFunction<StreamItem>,
  eventName: EventName,
  expected: { kept: string; error: string; unsubscribed: string },
): void => {
  it(`keeps only the ${eventName} records`, () => {
    expectFiltered(operator, eventItems, {
      source: '  -i-m-r-i-|',
      subs: '    ^--------!',
      expected: expected.kept,
    });
  });

  it('passes an error through', () => {
    expectFiltered(operator, eventItems, {
      source: '  -i-m-#',
      subs: '    ^----!',
      expected: expected.error,
    });
  });

  it('unsubscribes from the source when unsubscribed', () => {
    scheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const items = hot('   -i-m-r-i-|', eventItems);
      const subs = '        ^----!';
      const unsub = '       -----!';
      expectObservable(items.pipe(operator()), unsub).toBe(expected.unsubscribed, eventItems);
      expectSubscriptions(items.subscriptions).toBe(subs);
    });
  });
};

const TTL_IDENTITY = { type: 'Service', principalId: 'dynamodb.amazonaws.com' };

/** x is the one REMOVE made by TTL; r and s are REMOVEs made by others. */
const ttlRecords: Record<string, DynamoDBRecord> = {
  i: lambdaRecord('INSERT', { id: 'a' }, { newImage: { id: 'a', expiresAt: 1767225600 } }),
  r: lambdaRecord('REMOVE', { id: 'a' }, { oldImage: { id: 'a', expiresAt: 1767225600 } }),
  x: {
    ...lambdaRecord('REMOVE', { id: 'b' }, { oldImage: { id: 'b', expiresAt: 1767225600 } }),
    userIdentity: TTL_IDENTITY,
  },
  m: lambdaRecord('MODIFY', { id: 'c' }, { newImage: { id: 'c', n: 2 }, oldImage: { id: 'c', n: 1 } }),
  // A made-up service identity (the parser would refuse it): only DynamoDB's own principal means TTL.
  s: {
    ...lambdaRecord('REMOVE', { id: 'd' }, { oldImage: { id: 'd' } }),
    userIdentity: { type: 'Service', principalId: 'replication.dynamodb.amazonaws.com' },
  },
};

const ttlItems: Record<string, StreamItem> = Object.fromEntries(
  Object.entries(ttlRecords).map(([key, record]) => [key, toStreamItem(record)]),
);

/**
 * The tests of an operator that splits records on whether TTL made them. `expected` is what it emits from
 * each cold source, and `keptName` names the first test:
 *
 * ```
 * kept:   -i-r-x-m-x-s-|
 * error:  -i-r-x-#
 * ```
 */
const ttlFilterCases = (
  operator: () => MonoTypeOperatorFunction<StreamItem>,
  keptName: string,
  expected: { kept: string; error: string },
): void => {
  it('builds records Lambda could send (the TTL delete passes the parser with its userIdentity)', () => {
    const { s: _other, ...lambdaShaped } = ttlRecords;
    expect(DynamoDBStreamSchema.safeParse({ Records: Object.values(lambdaShaped) }).success).toBe(true);
  });

  it(keptName, () => {
    expectFiltered(operator, ttlItems, {
      source: '  -i-r-x-m-x-s-|',
      subs: '    ^------------!',
      expected: expected.kept,
    });
  });

  it('passes an error through', () => {
    expectFiltered(operator, ttlItems, {
      source: '  -i-r-x-#',
      subs: '    ^------!',
      expected: expected.error,
    });
  });
};

/** The record as a stream with `viewType` carries it: the images that view type leaves out removed. */
const onStream = (record: DynamoDBRecord, viewType: StreamViewType): DynamoDBRecord => {
  const { NewImage, OldImage, ...data } = record.dynamodb ?? {};
  return {
    ...record,
    dynamodb: {
      ...data,
      ...(viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES' ? { NewImage } : {}),
      ...(viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES' ? { OldImage } : {}),
      StreamViewType: viewType,
    },
  };
};

/** What an image operator does differently from the other, for `imageOperatorCases`. */
interface ImageOperatorCase {
  /** The StreamItem property the operator maps to. */
  image: 'newImage' | 'oldImage';
  /** The name of the test that maps the records and reports `missing`. */
  name: string;
  /** What the operator emits from `-i-m-r-k-|` (cold), with I, M, R the `image`s of i, m, r. */
  expected: string;
  /**
   * k: a record that should have the image by its event name but does not, because its stream's view type
   * leaves the image out; `message` is the error reported for it, given k's sequence number.
   */
  missing: {
    eventName: EventName;
    streamViewType: StreamViewType;
    message: (sequenceNumber: string) => string;
  };
}

/** An item type for the image operators' typing tests. */
interface Order {
  id: string;
  n: number;
}

/**
 * Items typed as `Order`, for the typing test each image operator keeps in its own file: that test checks
 * the operator's own signature, which a test here, written against a parameter type, could not.
 */
const orderItems: Observable<StreamItem<Order>> = of(
  toStreamItem<Order>(
    lambdaRecord('MODIFY', { id: 'a' }, { newImage: { id: 'a', n: 2 }, oldImage: { id: 'a', n: 1 } }),
  ),
);

/** The tests of an operator that maps records to one of their images, but for its typing test. */
const imageOperatorCases = (
  operator: () => OperatorFunction<StreamItem, Item>,
  { image, name, expected, missing }: ImageOperatorCase,
): void => {
  const records = {
    i: lambdaRecord('INSERT', { id: 'a' }, { newImage: { id: 'a', n: 1, tags: new Set(['x']) } }),
    m: lambdaRecord('MODIFY', { id: 'a' }, { newImage: { id: 'a', n: 2 }, oldImage: { id: 'a', n: 1 } }),
    r: lambdaRecord('REMOVE', { id: 'a' }, { oldImage: { id: 'a', n: 2 } }),
    k: onStream(
      lambdaRecord(missing.eventName, { id: 'b' }, { newImage: { id: 'b' }, oldImage: { id: 'b' } }),
      missing.streamViewType,
    ),
  };

  it('builds records Lambda could send', () => {
    expect(DynamoDBStreamSchema.safeParse({ Records: Object.values(records) }).success).toBe(true);
  });

  it(name, () => {
    const { items, failures } = inInvocation(records);
    const images = { I: items.i[image], M: items.m[image], R: items.r[image] };
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold(' -i-m-r-k-|', items);
      const subs = '        ^--------!';
      expectObservable(source.pipe(operator())).toBe(expected, images);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
    expect(failures.failures).toEqual([
      {
        sequenceNumber: items.k.sequenceNumber,
        itemKey: items.k.itemKey,
        ok: false,
        error: expect.any(MissingImageError),
      },
    ]);
    const error = failures.failures[0]?.error as MissingImageError;
    expect(error.message).toBe(missing.message(items.k.sequenceNumber));
    expect(error.streamViewType).toBe(missing.streamViewType);
  });

  it('errors the pipeline for a record outside any invocation, rather than lose its failure', () => {
    const item = toStreamItem(records.k);
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold(' -k-|', { k: item });
      const expected = '    -#';
      expectObservable(source.pipe(operator())).toBe(
        expected,
        undefined,
        new RecordNotInInvocationError(item),
      );
    });
  });
};

export type { Order };
export { eventNameFilterCases, imageOperatorCases, orderItems, ttlFilterCases };
