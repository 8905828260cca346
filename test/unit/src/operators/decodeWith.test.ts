import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { from, lastValueFrom, type OperatorFunction, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { decodeWith, type StandardSchema } from '../../../../src/operators/decodeWith.js';
import { RecordValidationError } from '../../../../src/pipeline/errors.js';
import type { StreamItem } from '../../../../src/pipeline/StreamItem.js';
import { lambdaRecord } from '../../../helpers/factories.js';
import { inInvocation } from '../../../helpers/invocation.js';

const Order = z.object({
  orderId: z.string(),
  status: z.enum(['NEW', 'PAID', 'SHIPPED']).default('NEW'),
  total: z.number(),
  tags: z.set(z.string()).optional(),
});
type Order = z.output<typeof Order>;

const keysOnly = (record: DynamoDBRecord): DynamoDBRecord => {
  const { NewImage: _new, OldImage: _old, ...data } = record.dynamodb ?? {};
  return { ...record, dynamodb: { ...data, StreamViewType: 'KEYS_ONLY' } };
};

const records = {
  a: lambdaRecord(
    'INSERT',
    { orderId: 'o-1' },
    { newImage: { orderId: 'o-1', status: 'PAID', total: 12.5, tags: new Set(['gift']) } },
  ),
  b: lambdaRecord('INSERT', { orderId: 'o-2' }, { newImage: { orderId: 'o-2', total: '12' } }),
  c: lambdaRecord('INSERT', { orderId: 'o-3' }, { newImage: { orderId: 'o-3', total: 3 } }),
  d: lambdaRecord(
    'MODIFY',
    { orderId: 'o-4' },
    {
      oldImage: { orderId: 'o-4', status: 'LOST', total: 1 },
      newImage: { orderId: 'o-4', status: 'PAID', total: 1 },
    },
  ),
  r: lambdaRecord('REMOVE', { orderId: 'o-5' }, { oldImage: { orderId: 'o-5', status: 'PAID', total: 5 } }),
  k: keysOnly(lambdaRecord('INSERT', { orderId: 'o-6' }, { newImage: { orderId: 'o-6', total: 6 } })),
};

describe(decodeWith.name, () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('builds records Lambda could send', () => {
    expect(DynamoDBStreamSchema.safeParse({ Records: Object.values(records) }).success).toBe(true);
  });

  it('passes valid records on with decoded images and reports invalid ones, never erroring', () => {
    const { items, failures } = inInvocation(records);
    const decoded = {
      A: { ...items.a, newImage: { orderId: 'o-1', status: 'PAID', total: 12.5, tags: new Set(['gift']) } },
      C: { ...items.c, newImage: { orderId: 'o-3', status: 'NEW', total: 3 } }, // the schema's default applied
      R: { ...items.r, oldImage: { orderId: 'o-5', status: 'PAID', total: 5 } },
      K: items.k, // no images to check
    };
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold(' -a-b-c-d-r-k-|', items);
      const subs = '        ^------------!';
      const expected = '    -A---C---R-K-|';
      expectObservable(source.pipe(decodeWith(Order))).toBe(expected, decoded);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });

    expect(failures.failures.map((f) => f.sequenceNumber)).toEqual([
      items.b.sequenceNumber,
      items.d.sequenceNumber,
    ]);
    const [invalidNew, invalidOld] = failures.failures.map((f) => f.error as RecordValidationError);
    expect(invalidNew).toBeInstanceOf(RecordValidationError);
    expect(invalidNew?.message).toBe(
      `record ${items.b.sequenceNumber} (INSERT orderId="o-2"): NewImage does not match the schema: ` +
        'total: Invalid input: expected number, received string',
    );
    expect(invalidNew?.issues).toEqual([
      { path: ['total'], message: 'Invalid input: expected number, received string' },
    ]);
    expect(invalidOld?.image).toBe('OldImage');
    expect(invalidOld?.message).toMatch(
      new RegExp(
        `^record ${items.d.sequenceNumber} \\(MODIFY orderId="o-4"\\): OldImage does not match.*status`,
      ),
    );
  });

  it('passes errors of the source through', () => {
    const { items } = inInvocation(records);
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold(' -c-#', items);
      const subs = '        ^--!';
      const expected = '    -C-#';
      expectObservable(source.pipe(decodeWith(Order))).toBe(expected, {
        C: { ...items.c, newImage: { orderId: 'o-3', status: 'NEW', total: 3 } },
      });
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('accepts a Standard Schema without safeParse, and reads its issue paths', () => {
    const standardOnly: StandardSchema<{ orderId: string }> = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: (value) =>
          (value as { total?: unknown }).total === 3
            ? { value: { orderId: 'checked' } }
            : { issues: [{ message: 'must be 3', path: [{ key: 'total' }] }] },
      },
    };
    const { items, failures } = inInvocation({ a: records.a, c: records.c });
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold(' -a-c-|', items);
      const expected = '    ---C-|';
      expectObservable(source.pipe(decodeWith(standardOnly))).toBe(expected, {
        C: { ...items.c, newImage: { orderId: 'checked' } },
      });
    });
    expect((failures.failures[0]?.error as RecordValidationError | undefined)?.issues).toEqual([
      { path: ['total'], message: 'must be 3' },
    ]);
  });

  it('accepts any object with a zod-compatible safeParse, and reports a schema that throws', () => {
    const refuses = { safeParse: () => ({ success: false as const, error: new Error('not an order') }) };
    const throws = {
      safeParse: (): { success: true; data: { id: string } } => {
        throw new Error('schema bug');
      },
    };
    const { items, failures } = inInvocation({ a: records.a, c: records.c });
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-|', items).pipe(decodeWith(refuses))).toBe('---|');
      expectObservable(cold('-c-|', items).pipe(decodeWith(throws))).toBe('---|');
    });
    const [refused, threw] = failures.failures.map((f) => f.error as RecordValidationError);
    expect(refused?.message).toMatch(/NewImage does not match the schema: not an order$/);
    expect(threw?.message).toMatch(/NewImage does not match the schema: the schema threw: schema bug$/);
    expect(threw?.cause).toEqual(new Error('schema bug'));
  });

  it('waits for schemas that validate asynchronously, keeping the records in order', async () => {
    const slowFirst: StandardSchema<{ orderId: string }> = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: async (value) => {
          const { orderId } = value as { orderId: string };
          // o-1 answers a turn of the event loop after the others: a validation run beside it would overtake it.
          if (orderId === 'o-1') await new Promise((resolve) => setImmediate(resolve));
          return orderId === 'o-2' ? { issues: [{ message: 'no' }] } : { value: { orderId } };
        },
      },
    };
    const { items, failures } = inInvocation({ a: records.a, b: records.b, c: records.c });
    const out = await lastValueFrom(from([items.a, items.b, items.c]).pipe(decodeWith(slowFirst), toArray()));
    expect(out.map((item) => item.newImage?.orderId)).toEqual(['o-1', 'o-3']);
    expect(failures.failures.map((f) => f.sequenceNumber)).toEqual([items.b.sequenceNumber]);
  });

  it("uses zod's Standard Schema interface, so async refinements work", async () => {
    const AsyncOrder = Order.refine(async (order) => order.total < 10, { message: 'too expensive' });
    const { items, failures } = inInvocation({ a: records.a, c: records.c });
    const out = await lastValueFrom(from([items.a, items.c]).pipe(decodeWith(AsyncOrder), toArray()));
    expect(out.map((item) => item.newImage?.orderId)).toEqual(['o-3']);
    expect((failures.failures[0]?.error as Error | undefined)?.message).toMatch(
      /NewImage does not match the schema: too expensive$/,
    );
  });

  it("types the items with the schema's output", () => {
    expectTypeOf(decodeWith(Order)).toEqualTypeOf<OperatorFunction<StreamItem, StreamItem<Order>>>();
  });
});
