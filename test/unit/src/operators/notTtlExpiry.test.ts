import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { type StreamItem, toStreamItem } from '../../../../src/handler/StreamItem.js';
import { notTtlExpiry } from '../../../../src/operators/notTtlExpiry.js';
import { lambdaRecord } from '../../../helpers/factories.js';

const TTL_IDENTITY = { type: 'Service', principalId: 'dynamodb.amazonaws.com' };

const records: Record<string, DynamoDBRecord> = {
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

describe(notTtlExpiry.name, () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  const values: Record<string, StreamItem> = Object.fromEntries(
    Object.entries(records).map(([key, record]) => [key, toStreamItem(record)]),
  );

  it('builds records Lambda could send (the TTL delete passes the parser with its userIdentity)', () => {
    const { s: _other, ...lambdaShaped } = records;
    expect(DynamoDBStreamSchema.safeParse({ Records: Object.values(lambdaShaped) }).success).toBe(true);
  });

  it('drops the REMOVE records made by TTL and keeps every other record', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const items = cold('  -i-r-x-m-x-s-|', values);
      const subs = '        ^------------!';
      const expected = '    -i-r---m---s-|';
      expectObservable(items.pipe(notTtlExpiry())).toBe(expected, values);
      expectSubscriptions(items.subscriptions).toBe(subs);
    });
  });

  it('passes an error through', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const items = cold('  -i-r-x-#', values);
      const subs = '        ^------!';
      const expected = '    -i-r---#';
      expectObservable(items.pipe(notTtlExpiry())).toBe(expected, values);
      expectSubscriptions(items.subscriptions).toBe(subs);
    });
  });
});
