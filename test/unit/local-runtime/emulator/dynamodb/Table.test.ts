import { describe, expect, it } from 'vitest';
import { atomically } from '../../../../../local-runtime/emulator/atomic/requestScope.js';
import type { ItemChange } from '../../../../../local-runtime/emulator/dynamodb/ItemChange.js';
import { HIGH, LOW } from '../../../../../local-runtime/emulator/dynamodb/indexes/keyOrder.js';
import { Table } from '../../../../../local-runtime/emulator/dynamodb/Table.js';
import type { AttributeMap } from '../../../../../src/records/attributeValue.js';

const table = () =>
  new Table({
    name: 'orders',
    region: 'us-east-1',
    accountId: '000000000000',
    keySchema: { hashKey: 'pk', types: { pk: 'S' } },
    wireKeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    attributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'status', AttributeType: 'S' },
    ],
    billingMode: 'PAY_PER_REQUEST',
    createdAt: 0,
    indexes: [
      {
        name: 'byStatus',
        global: true,
        keySchema: { hashKey: 'status', types: { status: 'S' } },
        wireKeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
        projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
  });

const item = (pk: string, status: string): AttributeMap => ({ pk: { S: pk }, status: { S: status } });

/** What a reader sees: items, size, and the index's entries and size. */
const contents = (t: Table) => {
  const index = t.indexes.get('byStatus');
  return {
    items: [...t.items()],
    sizeBytes: t.sizeBytes,
    entries: [...(index?.entries([LOW], [HIGH], true) ?? [])].map(([, entry]) => entry),
    indexSizeBytes: index?.sizeBytes,
  };
};

describe('Table.write is all or nothing', () => {
  it('changes nothing when the change listener cannot prepare the change (it runs before the item is stored)', () => {
    const t = table();
    t.write({ pk: { S: 'a' } }, item('a', 'open'));
    const before = contents(t);
    t.setChangeListener(() => {
      throw new RangeError('Maximum call stack size exceeded');
    });
    expect(() => t.write({ pk: { S: 'a' } }, item('a', 'shipped'))).toThrow(RangeError);
    expect(() => t.write({ pk: { S: 'b' } }, item('b', 'open'))).toThrow(RangeError);
    expect(contents(t)).toEqual(before);
  });

  it('commits the listener only after the item, its size and its index entry are stored', () => {
    const t = table();
    const seen: unknown[] = [];
    t.setChangeListener((change: ItemChange) => () => seen.push([change.newImage, contents(t)]));
    t.write({ pk: { S: 'a' } }, item('a', 'open'));
    expect(seen).toEqual([[item('a', 'open'), contents(t)]]);
  });

  it('takes back items, sizes and index entries when the request fails after its writes', () => {
    const t = table();
    t.write({ pk: { S: 'a' } }, item('a', 'open'));
    t.write({ pk: { S: 'b' } }, item('b', 'open'));
    const before = contents(t);
    expect(before.entries).toHaveLength(2);
    expect(() =>
      atomically(() => {
        t.write({ pk: { S: 'a' } }, item('a', 'shipped'));
        t.write({ pk: { S: 'b' } }, undefined);
        t.write({ pk: { S: 'c' } }, item('c', 'open'));
        t.write({ pk: { S: 'c' } }, { pk: { S: 'c' } });
        throw new Error('a later step failed');
      }),
    ).toThrow('a later step failed');
    expect(contents(t)).toEqual(before);
  });
});
