import { describe, expect, it } from 'vitest';
import type { ItemChange } from '../../../../../local-runtime/emulator/changes/ItemChange.js';
import { TableState } from '../../../../../local-runtime/emulator/dynamodb/controlPlane/TableState.js';
import { Table } from '../../../../../local-runtime/emulator/dynamodb/Table.js';
import { Region } from '../../../../../local-runtime/emulator/Region.js';
import {
  IGNORED_AFTER_MS,
  sweepExpiredItems,
} from '../../../../../local-runtime/emulator/ttl/sweepExpiredItems.js';
import { TtlIndex } from '../../../../../local-runtime/emulator/ttl/TtlIndex.js';
import { itemSize } from '../../../../../src/records/itemSize.js';

const NOW = Date.UTC(2026, 0, 1);

/** A region with one table whose TTL is on, and the table's changes collected as its stream would see them. */
const setUp = () => {
  const region = new Region('us-east-1', '000000000000');
  const table = new Table({
    name: 'sessions',
    region: 'us-east-1',
    accountId: '000000000000',
    keySchema: { hashKey: 'pk', types: { pk: 'S' } },
    wireKeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    attributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    billingMode: 'PAY_PER_REQUEST',
    createdAt: NOW,
  });
  const state = new TableState({ createdAt: NOW, billingMode: 'PAY_PER_REQUEST' });
  state.ttl = new TtlIndex('expiresAt');
  region.tables.set(table.name, table);
  region.tableStates.set(table, state);
  const changes: ItemChange[] = [];
  const ttl = state.ttl;
  table.setChangeListener((change) => {
    const commit = ttl.prepare(change);
    return () => {
      changes.push(change);
      commit?.();
    };
  });
  const put = (pk: string, seconds: number) =>
    table.write({ pk: { S: pk } }, { pk: { S: pk }, expiresAt: { N: String(seconds) } });
  return { region, table, state, changes, put };
};

describe('sweepExpiredItems', () => {
  it('deletes items whose TTL is past as system deletes, and only those', () => {
    const { region, table, changes, put } = setUp();
    put('past', NOW / 1000 - 1);
    put('future', NOW / 1000 + 60);
    put('ancient', (NOW - IGNORED_AFTER_MS - 1000) / 1000);
    changes.length = 0;
    expect(sweepExpiredItems(region, NOW)).toBe(1);
    expect(table.getItem({ pk: { S: 'past' } })).toBeUndefined();
    expect(table.getItem({ pk: { S: 'future' } })).toBeDefined();
    expect(table.getItem({ pk: { S: 'ancient' } })).toBeDefined();
    const oldImage = { pk: { S: 'past' }, expiresAt: { N: String(NOW / 1000 - 1) } };
    // The old image's size rides along, measured once, for the stream record (ItemChange.oldImageSize).
    expect(changes).toEqual([
      { keys: { pk: { S: 'past' } }, oldImage, oldImageSize: itemSize(oldImage), bySystem: true },
    ]);
    expect(sweepExpiredItems(region, NOW + 61_000)).toBe(1);
    expect(table.itemCount).toBe(1);
  });

  it('leaves tables without TTL and deleted tables alone', () => {
    const { region, table, state, put } = setUp();
    put('past', NOW / 1000 - 1);
    state.ttl = undefined;
    expect(sweepExpiredItems(region, NOW)).toBe(0);
    state.ttl = new TtlIndex('expiresAt');
    state.ttl.track({ pk: { S: 'past' } }, table.getItem({ pk: { S: 'past' } }));
    region.tables.delete(table.name);
    expect(sweepExpiredItems(region, NOW)).toBe(0);
    expect(table.itemCount).toBe(1);
  });
});
