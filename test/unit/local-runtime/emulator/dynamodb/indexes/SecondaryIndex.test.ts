import { describe, expect, it } from 'vitest';
import { HIGH, LOW } from '../../../../../../local-runtime/emulator/dynamodb/indexes/keyOrder.js';
import type { SecondaryIndexDefinition } from '../../../../../../local-runtime/emulator/dynamodb/indexes/SecondaryIndexDefinition.js';
import { Table } from '../../../../../../local-runtime/emulator/dynamodb/Table.js';
import { AwsServiceError } from '../../../../../../local-runtime/emulator/errors.js';
import type { AttributeMap } from '../../../../../../src/records/attributeValue.js';
import { itemSize } from '../../../../../../src/records/itemSize.js';

const byStatus: SecondaryIndexDefinition = {
  name: 'byStatus',
  global: true,
  keySchema: { hashKey: 'status', rangeKey: 'total', types: { status: 'S', total: 'N' } },
  wireKeySchema: [
    { AttributeName: 'status', KeyType: 'HASH' },
    { AttributeName: 'total', KeyType: 'RANGE' },
  ],
  projection: { ProjectionType: 'KEYS_ONLY' },
};

const byCreated: SecondaryIndexDefinition = {
  name: 'byCreated',
  global: false,
  keySchema: { hashKey: 'customer', rangeKey: 'created', types: { customer: 'S', created: 'S' } },
  wireKeySchema: [
    { AttributeName: 'customer', KeyType: 'HASH' },
    { AttributeName: 'created', KeyType: 'RANGE' },
  ],
  projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['note'] },
};

const newTable = (indexes: SecondaryIndexDefinition[] = [byStatus, byCreated]) =>
  new Table({
    name: 'orders',
    region: 'us-east-1',
    accountId: '000000000000',
    keySchema: { hashKey: 'customer', rangeKey: 'order', types: { customer: 'S', order: 'S' } },
    wireKeySchema: [
      { AttributeName: 'customer', KeyType: 'HASH' },
      { AttributeName: 'order', KeyType: 'RANGE' },
    ],
    attributeDefinitions: [],
    billingMode: 'PAY_PER_REQUEST',
    createdAt: 0,
    indexes,
  });

const order = (customer: string, id: string, extra: AttributeMap = {}): AttributeMap => ({
  customer: { S: customer },
  order: { S: id },
  ...extra,
});

const put = (table: Table, item: AttributeMap) =>
  table.write({ customer: item.customer as never, order: item.order as never }, item);

const entriesOf = (table: Table, name: string, forward = true) =>
  [...(table.indexes.get(name)?.entries([LOW], [HIGH], forward) ?? [])].map(([, entry]) => entry);

const validationMessage = (action: () => unknown): string => {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(AwsServiceError);
    return (error as AwsServiceError).message;
  }
  throw new Error('expected a ValidationException');
};

describe('secondary indexes kept by Table.write', () => {
  it('indexes only items that carry the index key (sparse), with the projected attributes', () => {
    const table = newTable();
    put(
      table,
      order('c1', 'o1', { status: { S: 'PAID' }, total: { N: '5' }, note: { S: 'n' }, other: { S: 'x' } }),
    );
    put(table, order('c1', 'o2', { status: { S: 'PAID' } }));
    put(table, order('c2', 'o3', { created: { S: '2024' }, note: { S: 'hi' }, other: { S: 'y' } }));
    expect(entriesOf(table, 'byStatus')).toEqual([
      { customer: { S: 'c1' }, order: { S: 'o1' }, status: { S: 'PAID' }, total: { N: '5' } },
    ]);
    expect(entriesOf(table, 'byCreated')).toEqual([
      { customer: { S: 'c2' }, order: { S: 'o3' }, created: { S: '2024' }, note: { S: 'hi' } },
    ]);
    expect(table.indexes.get('byStatus')?.itemCount).toBe(1);
  });

  it('moves an entry when its index key changes and drops it when the key goes', () => {
    const table = newTable();
    put(table, order('c1', 'o1', { status: { S: 'NEW' }, total: { N: '5' } }));
    put(table, order('c1', 'o1', { status: { S: 'PAID' }, total: { N: '5' } }));
    expect(entriesOf(table, 'byStatus').map((e) => e.status)).toEqual([{ S: 'PAID' }]);
    put(table, order('c1', 'o1', { total: { N: '5' } }));
    expect(entriesOf(table, 'byStatus')).toEqual([]);
    put(table, order('c1', 'o1', { status: { S: 'PAID' }, total: { N: '7' } }));
    table.write(order('c1', 'o1'), undefined);
    expect(entriesOf(table, 'byStatus')).toEqual([]);
    expect(table.indexes.get('byStatus')?.sizeBytes).toBe(0);
  });

  it('orders entries by index key, then table key, both ways', () => {
    const table = newTable();
    put(table, order('c2', 'o1', { status: { S: 'PAID' }, total: { N: '10' } }));
    put(table, order('c1', 'o2', { status: { S: 'PAID' }, total: { N: '9' } }));
    put(table, order('c1', 'o1', { status: { S: 'PAID' }, total: { N: '10' } }));
    const label = (e: AttributeMap) => `${JSON.stringify(e.total)}/${JSON.stringify(e.customer)}`;
    const forward = entriesOf(table, 'byStatus').map(label);
    expect(forward[0]).toBe('{"N":"9"}/{"S":"c1"}');
    expect(forward.slice(1).sort()).toEqual(['{"N":"10"}/{"S":"c1"}', '{"N":"10"}/{"S":"c2"}']);
    expect(entriesOf(table, 'byStatus', false).map(label)).toEqual([...forward].reverse());
  });

  it('keeps IndexSizeBytes as the sum of the projected entries', () => {
    const table = newTable();
    const item = order('c1', 'o1', { status: { S: 'PAID' }, total: { N: '5' }, big: { S: 'x'.repeat(50) } });
    put(table, item);
    const entry = entriesOf(table, 'byStatus')[0] as AttributeMap;
    expect(table.indexes.get('byStatus')?.sizeBytes).toBe(itemSize(entry));
    expect(itemSize(entry)).toBeLessThan(itemSize(item));
  });

  it('shares the stored item itself with ALL indexes (no copy)', () => {
    const all: SecondaryIndexDefinition = { ...byStatus, name: 'all', projection: { ProjectionType: 'ALL' } };
    const table = newTable([all]);
    const item = order('c1', 'o1', { status: { S: 'PAID' }, total: { N: '5' } });
    put(table, item);
    expect(entriesOf(table, 'all')[0]).toBe(item);
    expect(table.indexes.get('all')?.sizeBytes).toBe(table.sizeBytes);
  });

  it('refuses index key values of the wrong type or empty, changing nothing', () => {
    const table = newTable();
    expect(validationMessage(() => put(table, order('c1', 'o1', { status: { N: '1' } })))).toBe(
      'One or more parameter values were invalid: Type mismatch for Index Key status Expected: S Actual: N IndexName: byStatus',
    );
    expect(validationMessage(() => put(table, order('c1', 'o1', { created: { S: '' } })))).toBe(
      'One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: byCreated, IndexKey: created',
    );
    expect(table.itemCount).toBe(0);
    expect(table.getItem(order('c1', 'o1'))).toBeUndefined();
  });
});

describe('global indexes added and removed later (UpdateTable)', () => {
  it('backfills from the items already stored, leaving out values the index cannot hold', () => {
    const table = newTable([]);
    put(table, order('c1', 'o1', { status: { S: 'PAID' }, total: { N: '1' } }));
    put(table, order('c1', 'o2', { status: { N: '7' }, total: { N: '2' } }));
    put(table, order('c1', 'o3'));
    const index = table.addGlobalIndex(byStatus);
    expect(index.itemCount).toBe(1);
    expect(index.arn).toBe('arn:aws:dynamodb:us-east-1:000000000000:table/orders/index/byStatus');
    put(table, order('c2', 'o4', { status: { S: 'NEW' }, total: { N: '3' } }));
    expect(index.itemCount).toBe(2);
    expect(() => put(table, order('c2', 'o5', { status: { N: '1' } }))).toThrow(
      /Type mismatch for Index Key status/,
    );
  });

  it('lists the current definitions, throughput included', () => {
    const provisioned: SecondaryIndexDefinition = {
      ...byStatus,
      provisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
    };
    const table = newTable([provisioned]);
    table.updateGlobalIndexThroughput('byStatus', { ReadCapacityUnits: 9, WriteCapacityUnits: 8 });
    table.addGlobalIndex({ ...byStatus, name: 'second' });
    expect(table.indexDefinitions).toEqual([
      { ...byStatus, provisionedThroughput: { ReadCapacityUnits: 9, WriteCapacityUnits: 8 } },
      { ...byStatus, name: 'second' },
    ]);
  });

  it('updates throughput and drops the index', () => {
    const table = newTable();
    table.updateGlobalIndexThroughput('byStatus', { ReadCapacityUnits: 3, WriteCapacityUnits: 4 });
    expect(table.indexes.get('byStatus')?.provisionedThroughput).toEqual({
      ReadCapacityUnits: 3,
      WriteCapacityUnits: 4,
    });
    expect(table.removeGlobalIndex('byCreated')).toBe(false);
    expect(table.removeGlobalIndex('byStatus')).toBe(true);
    expect(table.indexes.has('byStatus')).toBe(false);
    put(table, order('c1', 'o1', { status: { N: '1' } }));
    expect(table.itemCount).toBe(1);
  });
});
