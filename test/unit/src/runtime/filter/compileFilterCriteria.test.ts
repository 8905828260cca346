import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  compileFilterCriteria,
  FilterCriteriaError,
} from '../../../../../src/runtime/filter/compileFilterCriteria.js';
import { lambdaRecord } from '../../../../helpers/factories.js';

const filterOf = (...patterns: unknown[]) =>
  compileFilterCriteria({ Filters: patterns.map((p) => ({ Pattern: JSON.stringify(p) })) });

const order = lambdaRecord(
  'MODIFY',
  { pk: 'order#1' },
  {
    newImage: {
      pk: 'order#1',
      status: 'SHIPPED',
      total: 250,
      express: true,
      note: null,
      tags: new Set(['gift', 'fragile']),
      lines: [
        { sku: 'a', qty: 1 },
        { sku: 'b', qty: 2 },
      ],
      address: { city: 'Lyon', zip: '69001' },
    },
    oldImage: { pk: 'order#1', status: 'PAID', total: 250 },
  },
);

const ttlDelete = {
  ...lambdaRecord('REMOVE', { pk: 'session#9' }, { oldImage: { pk: 'session#9', expiresAt: 1767225000 } }),
  userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
} as DynamoDBRecord;

describe(compileFilterCriteria.name, () => {
  describe('criteria', () => {
    it.each([
      ['no criteria', undefined],
      ['{}', {}],
      ['an empty Filters list', { Filters: [] }],
    ])('lets every record through with %s', (_name, criteria) => {
      const keep = compileFilterCriteria(criteria);
      expect([order, ttlDelete].filter(keep)).toEqual([order, ttlDelete]);
    });

    it('ORs the filters', () => {
      const keep = filterOf(
        { eventName: ['REMOVE'] },
        { dynamodb: { NewImage: { status: { S: ['SHIPPED'] } } } },
      );
      expect(keep(order)).toBe(true);
      expect(keep(ttlDelete)).toBe(true);
      expect(filterOf({ eventName: ['INSERT'] }, { eventName: ['REMOVE'] })(order)).toBe(false);
    });

    it('accepts 5 filters and refuses a sixth, naming the limit', () => {
      const five = Array.from({ length: 5 }, (_, i) => ({ eventName: [`E${i}`] }));
      expect(() => filterOf(...five)).not.toThrow();
      expect(() => filterOf(...five, { eventName: ['INSERT'] })).toThrow(
        'FilterCriteria: Filters has 6 filters; a mapping allows at most 5',
      );
    });

    it('accepts a 4096-character pattern and refuses a longer one', () => {
      const padded = (length: number) => {
        const head = '{"eventName":["';
        return `${head}${'x'.repeat(length - head.length - 3)}"]}`;
      };
      expect(padded(4096)).toHaveLength(4096);
      expect(() => compileFilterCriteria({ Filters: [{ Pattern: padded(4096) }] })).not.toThrow();
      expect(() => compileFilterCriteria({ Filters: [{ Pattern: padded(4097) }] })).toThrow(
        'Filters[0].Pattern: is 4097 characters long; at most 4096 are allowed',
      );
    });

    it.each([
      [
        'a filter without Pattern',
        { Filters: [{}] },
        'Filters[0].Pattern: must be a JSON string (got no Pattern)',
      ],
      [
        'a Pattern given as an object',
        { Filters: [{ Pattern: { eventName: ['INSERT'] } }] },
        'Filters[0].Pattern: must be a JSON string (got object)',
      ],
      [
        'a filter that is not an object',
        { Filters: ['{}'] },
        'Filters[0].Pattern: the filter must be an object',
      ],
      [
        'Filters that is not a list',
        { Filters: { Pattern: '{}' } },
        'FilterCriteria: Filters must be a list',
      ],
      ['criteria that are not an object', 'eventName', 'FilterCriteria: must be an object'],
    ])('refuses %s', (_name, criteria, message) => {
      expect(() => compileFilterCriteria(criteria as never)).toThrow(message);
    });

    it("names the filter and the problem, after Lambda's message", () => {
      let thrown: unknown;
      try {
        filterOf({ eventName: ['INSERT'] }, { dynamodb: { NewImage: { status: 'SHIPPED' } } });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(FilterCriteriaError);
      expect(thrown).toMatchObject({
        name: 'FilterCriteriaError',
        setting: 'FilterCriteria',
        message:
          'FilterCriteria: Invalid filter pattern definition. Filters[1].Pattern: "dynamodb.NewImage.status" must be an object or an array',
      });
    });
  });

  describe('rules of a pattern, on a Lambda record', () => {
    it.each<[string, unknown, boolean]>([
      // Keys AND, value lists OR
      ['an exact top-level value', { eventName: ['MODIFY'] }, true],
      ['a list of values is an OR', { eventName: ['INSERT', 'MODIFY'] }, true],
      ['keys are ANDed', { eventName: ['MODIFY'], eventSource: ['aws:dynamodb'] }, true],
      ['keys are ANDed (one fails)', { eventName: ['MODIFY'], eventSource: ['aws:kinesis'] }, false],
      ['values are case-sensitive', { eventName: ['modify'] }, false],
      // Type descriptors
      [
        'an attribute with its type descriptor',
        { dynamodb: { NewImage: { status: { S: ['SHIPPED'] } } } },
        true,
      ],
      [
        'an attribute without its type descriptor',
        { dynamodb: { NewImage: { status: ['SHIPPED'] } } },
        false,
      ],
      ['the wrong type descriptor', { dynamodb: { NewImage: { status: { N: ['SHIPPED'] } } } }, false],
      ['a key attribute', { dynamodb: { Keys: { pk: { S: [{ prefix: 'order#' }] } } } }, true],
      ['an old image', { dynamodb: { OldImage: { status: { S: ['PAID'] } } } }, true],
      [
        'a nested map attribute',
        { dynamodb: { NewImage: { address: { M: { city: { S: ['Lyon'] } } } } } },
        true,
      ],
      ['a BOOL attribute', { dynamodb: { NewImage: { express: { BOOL: [true] } } } }, true],
      ['a NULL attribute by its descriptor', { dynamodb: { NewImage: { note: { NULL: [true] } } } }, true],
      ['a NULL attribute is not JSON null', { dynamodb: { NewImage: { note: { NULL: [null] } } } }, false],
      // Numbers
      ['an N attribute as the string it is', { dynamodb: { NewImage: { total: { N: ['250'] } } } }, true],
      ['an N attribute is not a JSON number', { dynamodb: { NewImage: { total: { N: [250] } } } }, false],
      [
        'numeric never matches an N attribute',
        { dynamodb: { NewImage: { total: { N: [{ numeric: ['>', 0] }] } } } },
        false,
      ],
      [
        'numeric on ApproximateCreationDateTime',
        { dynamodb: { ApproximateCreationDateTime: [{ numeric: ['>', 0] }] } },
        true,
      ],
      ['numeric on SizeBytes', { dynamodb: { SizeBytes: [{ numeric: ['>=', 1, '<', 400000] }] } }, true],
      ['an exact JSON number', { dynamodb: { ApproximateCreationDateTime: [1767225600] } }, true],
      // exists
      ['exists on a leaf', { dynamodb: { NewImage: { status: { S: [{ exists: true }] } } } }, true],
      [
        'exists: false on a missing leaf',
        { dynamodb: { NewImage: { coupon: { S: [{ exists: false }] } } } },
        true,
      ],
      [
        'exists: false on a present leaf',
        { dynamodb: { NewImage: { status: { S: [{ exists: false }] } } } },
        false,
      ],
      [
        'exists: true on an intermediate node never matches',
        { dynamodb: { NewImage: { status: [{ exists: true }] } } },
        false,
      ],
      [
        'exists: false on an intermediate node matches although it is present',
        { dynamodb: { NewImage: { status: [{ exists: false }] } } },
        true,
      ],
      // Arrays in the record
      [
        'a string set matches when one element does',
        { dynamodb: { NewImage: { tags: { SS: ['gift'] } } } },
        true,
      ],
      ['a string set with no such element', { dynamodb: { NewImage: { tags: { SS: ['cold'] } } } }, false],
      [
        'a list of maps matches through the list',
        { dynamodb: { NewImage: { lines: { L: { M: { sku: { S: ['b'] } } } } } } },
        true,
      ],
      [
        'fields in a list must match in one element (UNCONFIRMED on Lambda: EventBridge array consistency)',
        { dynamodb: { NewImage: { lines: { L: { M: { sku: { S: ['a'] }, qty: { N: ['2'] } } } } } } },
        false,
      ],
      [
        'fields in one list element',
        { dynamodb: { NewImage: { lines: { L: { M: { sku: { S: ['b'] }, qty: { N: ['2'] } } } } } } },
        true,
      ],
      // $or
      [
        '$or across fields',
        { $or: [{ eventName: ['INSERT'] }, { dynamodb: { NewImage: { status: { S: ['SHIPPED'] } } } }] },
        true,
      ],
      [
        'nested $or inside an AND inside $or',
        {
          eventName: ['MODIFY'],
          $or: [
            { eventSource: ['aws:kinesis'] },
            {
              dynamodb: {
                NewImage: {
                  $or: [{ status: { S: ['LOST'] } }, { address: { M: { zip: { S: [{ prefix: '69' }] } } } }],
                },
              },
            },
          ],
        },
        true,
      ],
      [
        'nested $or where no branch holds',
        {
          $or: [
            { eventName: ['INSERT'] },
            { $or: [{ eventName: ['REMOVE'] }, { awsRegion: ['eu-west-3'] }] },
          ],
        },
        false,
      ],
      // Other top-level fields
      ['awsRegion (UNCONFIRMED on Lambda)', { awsRegion: ['us-east-1'] }, true],
      [
        'eventSourceARN (UNCONFIRMED on Lambda)',
        { eventSourceARN: [{ suffix: '2026-01-01T00:00:00.000' }] },
        true,
      ],
      ['userIdentity on a record that has none', { userIdentity: { type: ['Service'] } }, false],
    ])('%s', (_name, pattern, expected) => {
      expect(filterOf(pattern)(order)).toBe(expected);
    });

    it("keeps TTL deletes with the DynamoDB guide's userIdentity filter", () => {
      const keep = filterOf({ userIdentity: { type: ['Service'], principalId: ['dynamodb.amazonaws.com'] } });
      expect([order, ttlDelete].filter(keep)).toEqual([ttlDelete]);
    });

    it('reads an attribute called __proto__ as data', () => {
      const record = lambdaRecord('INSERT', { pk: 'x' });
      Object.defineProperty(record.dynamodb?.Keys ?? {}, '__proto__', {
        value: { S: 'proto' },
        enumerable: true,
      });
      expect(filterOf(JSON.parse('{"dynamodb":{"Keys":{"__proto__":{"S":["proto"]}}}}'))(record)).toBe(true);
      expect(filterOf(JSON.parse('{"dynamodb":{"Keys":{"__proto__":{"S":["other"]}}}}'))(record)).toBe(false);
    });

    it('keeps the last of duplicate keys, as JSON.parse does (the with-ddb-filtering AND example conflicts)', () => {
      const keep = compileFilterCriteria({
        Filters: [{ Pattern: '{"eventName":["INSERT"],"eventName":["MODIFY"]}' }],
      });
      expect(keep(order)).toBe(true);
    });
  });
});
