import { describe, expect, it } from 'vitest';
import {
  isMultiAttributeKeySchema,
  readCompositeKeySchema,
} from '../../../../../../local-runtime/emulator/dynamodb/indexes/compositeKeySchema.js';
import { HIGH, LOW } from '../../../../../../local-runtime/emulator/dynamodb/indexes/keyOrder.js';
import type { SecondaryIndexDefinition } from '../../../../../../local-runtime/emulator/dynamodb/indexes/SecondaryIndexDefinition.js';
import type { KeySchema } from '../../../../../../local-runtime/emulator/dynamodb/keySchema.js';
import { queryRange } from '../../../../../../local-runtime/emulator/dynamodb/reads/keyRange.js';
import { resolveKeyCondition } from '../../../../../../local-runtime/emulator/dynamodb/reads/resolveKeyCondition.js';
import { Table } from '../../../../../../local-runtime/emulator/dynamodb/Table.js';
import type { AttributeMap } from '../../../../../../src/records/attributeValue.js';

// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.DesignPattern.MultiAttributeKeys.html

const elements = (spec: string) =>
  spec.split(' ').map((token) => ({
    AttributeName: token.slice(0, -1),
    KeyType: token.endsWith('H') ? 'HASH' : 'RANGE',
  }));

describe('isMultiAttributeKeySchema', () => {
  it('is true for more than two elements or two HASH elements, false for the single-attribute shapes', () => {
    expect(isMultiAttributeKeySchema(elements('aH bH'))).toBe(true);
    expect(isMultiAttributeKeySchema(elements('aH bR cR'))).toBe(true);
    expect(isMultiAttributeKeySchema(elements('aH'))).toBe(false);
    expect(isMultiAttributeKeySchema(elements('aH bR'))).toBe(false);
    expect(isMultiAttributeKeySchema(elements('aR bH'))).toBe(false);
  });
});

describe('readCompositeKeySchema', () => {
  it('splits the elements into partition and sort key attributes, in order', () => {
    expect(readCompositeKeySchema(elements('tH rH bR sR'))).toEqual({
      hashKeys: ['t', 'r'],
      rangeKeys: ['b', 's'],
    });
  });

  it.each([
    ['aH bH cH dH eR fR gR hR iR', 'Key Schema too big'],
    ['aH aH bR cR dR eR fR', 'Two keys can not have the same name'],
    ['aH bR cH dH eH fH', 'Invalid key order'],
    ['aR bR cR', 'The first KeySchemaElement is not a HASH key type'],
    ['aH bH cH dH eH fR', 'Too many partition keys'],
    ['aH bR cR dR eR fR', 'Too many sort keys'],
  ])('refuses %s with the first rule it breaks', (spec, message) => {
    expect(() => readCompositeKeySchema(elements(spec))).toThrow(message);
  });
});

const composite: KeySchema = {
  hashKey: 't',
  rangeKey: 'b',
  types: { t: 'S', r: 'N', b: 'S', s: 'N' },
  composite: { hashKeys: ['t', 'r'], rangeKeys: ['b', 's'] },
};

const byMatch: SecondaryIndexDefinition = {
  name: 'byMatch',
  global: true,
  keySchema: composite,
  wireKeySchema: [
    { AttributeName: 't', KeyType: 'HASH' },
    { AttributeName: 'r', KeyType: 'HASH' },
    { AttributeName: 'b', KeyType: 'RANGE' },
    { AttributeName: 's', KeyType: 'RANGE' },
  ],
  projection: { ProjectionType: 'KEYS_ONLY' },
};

const newTable = () =>
  new Table({
    name: 'matches',
    region: 'us-east-1',
    accountId: '000000000000',
    keySchema: { hashKey: 'pk', types: { pk: 'S' } },
    wireKeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    attributeDefinitions: [],
    billingMode: 'PAY_PER_REQUEST',
    createdAt: 0,
    indexes: [byMatch],
  });

const put = (table: Table, item: AttributeMap) => table.write({ pk: item.pk as never }, item);

const match = (pk: string, t: string, r: number, b: string, s: number): AttributeMap => ({
  pk: { S: pk },
  t: { S: t },
  r: { N: String(r) },
  b: { S: b },
  s: { N: String(s) },
});

describe('an index with a multi-attribute key', () => {
  it('keeps an entry only for items with every key attribute, ordered by the sort key attributes in turn', () => {
    const table = newTable();
    put(table, match('m1', 'w', 1, 'upper', 2));
    put(table, match('m2', 'w', 1, 'lower', 10));
    put(table, match('m3', 'w', 1, 'upper', 1));
    put(table, { pk: { S: 'sparse' }, t: { S: 'w' }, r: { N: '1' }, b: { S: 'lower' } });
    const index = table.indexes.get('byMatch');
    expect(index?.itemCount).toBe(3);

    const read = (terms: Parameters<typeof resolveKeyCondition>[0]) => {
      const range = queryRange(resolveKeyCondition(terms, composite, undefined, 'byMatch'));
      return [...(index?.entries(range.low, range.high, true) ?? [])].map(
        ([, entry]) => (entry.pk as { S: string }).S,
      );
    };
    const partition = [
      { name: 't', operator: '=' as const, values: [{ S: 'w' }] },
      { name: 'r', operator: '=' as const, values: [{ N: '1' }] },
    ];
    expect(read(partition)).toEqual(['m2', 'm3', 'm1']);
    expect(read([...partition, { name: 'b', operator: '=', values: [{ S: 'upper' }] }])).toEqual([
      'm3',
      'm1',
    ]);
    expect(
      read([
        ...partition,
        { name: 'b', operator: '=', values: [{ S: 'upper' }] },
        { name: 's', operator: '>', values: [{ N: '1' }] },
      ]),
    ).toEqual(['m1']);
    expect(read([...partition, { name: 'b', operator: '<', values: [{ S: 'upper' }] }])).toEqual(['m2']);
    // Another partition (round 2) holds nothing.
    expect(read([partition[0] as never, { name: 'r', operator: '=', values: [{ N: '2' }] }])).toEqual([]);
  });

  it('moves an entry when an update changes one of its key attributes, and drops it when one is removed', () => {
    const table = newTable();
    put(table, match('m1', 'w', 1, 'upper', 2));
    put(table, match('m1', 'w', 2, 'upper', 2));
    const index = table.indexes.get('byMatch');
    expect([...(index?.entries([LOW], [HIGH], true) ?? [])].map(([, e]) => (e.r as { N: string }).N)).toEqual(
      ['2'],
    );
    put(table, { pk: { S: 'm1' }, t: { S: 'w' }, r: { N: '2' }, b: { S: 'upper' } });
    expect(index?.itemCount).toBe(0);
  });
});
