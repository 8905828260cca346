import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { type Observable, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { MissingImageError, RecordNotInInvocationError } from '../../../../src/handler/errors.js';
import { type StreamItem, toStreamItem } from '../../../../src/handler/StreamItem.js';
import { newImage } from '../../../../src/operators/newImage.js';
import type { StreamViewType } from '../../../../src/records/streamRecord.js';
import { lambdaRecord } from '../../../helpers/factories.js';
import { inInvocation } from '../../../helpers/invocation.js';

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

const records = {
  i: lambdaRecord('INSERT', { id: 'a' }, { newImage: { id: 'a', n: 1, tags: new Set(['x']) } }),
  m: lambdaRecord('MODIFY', { id: 'a' }, { newImage: { id: 'a', n: 2 }, oldImage: { id: 'a', n: 1 } }),
  r: lambdaRecord('REMOVE', { id: 'a' }, { oldImage: { id: 'a', n: 2 } }),
  k: onStream(
    lambdaRecord('INSERT', { id: 'b' }, { newImage: { id: 'b' }, oldImage: { id: 'b' } }),
    'KEYS_ONLY',
  ),
};

describe(newImage.name, () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('builds records Lambda could send', () => {
    expect(DynamoDBStreamSchema.safeParse({ Records: Object.values(records) }).success).toBe(true);
  });

  it('maps records to their newImages, drops REMOVEs, and reports an INSERT on a KEYS_ONLY stream', () => {
    const { items, failures } = inInvocation(records);
    const images = { I: items.i.newImage, M: items.m.newImage, R: items.r.newImage };
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold(' -i-m-r-k-|', items);
      const subs = '        ^--------!';
      const expected = '    -I-M-----|';
      expectObservable(source.pipe(newImage())).toBe(expected, images);
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
    expect(error.message).toBe(
      `record ${items.k.sequenceNumber} (INSERT id="b") has no NewImage: newImage() needs StreamViewType ` +
        "NEW_IMAGE or NEW_AND_OLD_IMAGES, and the record's stream has KEYS_ONLY",
    );
    expect(error.streamViewType).toBe('KEYS_ONLY');
  });

  it('errors the pipeline for a record outside any invocation, rather than lose its failure', () => {
    const item = toStreamItem(records.k);
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold(' -k-|', { k: item });
      const expected = '    -#';
      expectObservable(source.pipe(newImage())).toBe(
        expected,
        undefined,
        new RecordNotInInvocationError(item),
      );
    });
  });

  it('is typed by the items it gets', () => {
    interface Order {
      id: string;
      n: number;
    }
    const typed = of(toStreamItem<Order>(records.m)).pipe(newImage());
    expectTypeOf(typed).toEqualTypeOf<Observable<Order>>();
    expectTypeOf<StreamItem<Order>>().toHaveProperty('newImage').toEqualTypeOf<Order | undefined>();
  });
});
