import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  type AggregateEventsOptions,
  aggregateEvents,
} from '../../../../../src/operators/aggregates/aggregateEvents.js';
import { count, type Measure, max, sum } from '../../../../../src/operators/aggregates/measures.js';
import { ManualClock } from '../../../../../src/time/clock.js';

// Misuse is refused when the operator is made (a cold start), before any record: nothing here sends a request.
const client = new DynamoDBClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
const valid: AggregateEventsOptions<Record<string, unknown>> = {
  client,
  tableName: 'order-events',
  key: (record) => record.eventName,
  measures: { events: count() },
};
const made = (changes: Record<string, unknown>) => () =>
  aggregateEvents({ ...valid, ...changes } as AggregateEventsOptions<Record<string, unknown>>);

describe('aggregateEvents options', () => {
  it('accepts a ManualClock for the backoff after a lost race', () => {
    expect(typeof aggregateEvents({ ...valid, clock: new ManualClock() })).toBe('function');
  });

  it('accepts count, sum, min/max and reducers without remove()', () => {
    const latest: Measure<unknown, number> = { initial: 0, add: (n) => n + 1 };
    expect(
      typeof aggregateEvents({
        ...valid,
        measures: { a: count(), b: sum(() => 1), c: max(() => 1), latest },
      }),
    ).toBe('function');
  });

  it.each([
    [
      { client: undefined },
      'aggregateEvents: client must be a DynamoDBClient (from @aws-sdk/client-dynamodb)',
    ],
    [{ tableName: '' }, 'aggregateEvents: tableName must name the aggregates table'],
    [{ keyAttribute: '' }, "aggregateEvents: keyAttribute must name the table's partition key attribute"],
    [{ key: 'status' }, 'aggregateEvents: key must be a function from a record to its aggregate key(s)'],
    [{ measures: {} }, 'aggregateEvents: give at least one measure'],
    [{ measures: { pk: count() } }, 'aggregateEvents: the measure name "pk" is reserved'],
    [{ measures: { eddy_seen: count() } }, 'aggregateEvents: the measure name "eddy_seen" is reserved'],
    [
      { measures: { n: { initial: 0 } } },
      'aggregateEvents: the measure "n" has no add(); use count(), sum(…), min(…), max(…) or reducer({ initial, add, … })',
    ],
    [
      { clock: { now: () => 0 } },
      'aggregateEvents: clock must be a Clock (systemClock, or a ManualClock in tests)',
    ],
    [
      { ledgerName: 'a#b' },
      'aggregateEvents: ledgerName "a#b" must be 1 to 64 letters, digits, "_", "." or "-"',
    ],
  ])('refuses %j', (changes, message) => {
    expect(made(changes)).toThrow(new TypeError(message));
  });

  it('refuses a ledger TTL shorter than the stream retention, naming the setting', () => {
    expect(made({ ledgerTtl: { attribute: 'expiresAt', seconds: 3600 } })).toThrow(
      /^aggregateEvents: ledgerTtl\.seconds must be a whole number of at least 86400 .*got 3600$/,
    );
    expect(made({ ledgerTtl: { attribute: '', seconds: 86_400 } })).toThrow(
      "aggregateEvents: ledgerTtl.attribute must name the table's TTL attribute",
    );
  });
});
