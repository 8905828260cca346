import { describe, expect, it } from 'vitest';
import { tapeItems } from '../../../../../local-runtime/emulator/tape/tapeItems.js';
import { streamRecordFactory } from '../../../../../local-runtime/testing/streamRecordFactory.js';
import { tapeOf } from '../../../../../local-runtime/testing/tapeOf.js';

describe('tapeItems (the items eddy dev --load leaves in the table)', () => {
  it("keeps each key's last NewImage and marks a key whose last record is a REMOVE as gone, whatever came before", () => {
    const orders = streamRecordFactory({ tableName: 'orders', keys: ['customerId', 'orderId'] });
    const { items, unknown } = tapeItems(
      tapeOf([
        orders.insert({ customerId: 'c1', orderId: 'o1', total: 1 }),
        orders.insert({ customerId: 'c1', orderId: 'o2', total: 2 }),
        orders.remove({ customerId: 'c1', orderId: 'o1', total: 1 }),
        orders.insert({ customerId: 'c1', orderId: 'o1', total: 3 }),
        orders.modify(
          { customerId: 'c1', orderId: 'o2', total: 2 },
          { customerId: 'c1', orderId: 'o2', total: 4 },
        ),
        orders.remove({ customerId: 'c1', orderId: 'o2', total: 4 }),
      ]),
    );
    expect(unknown).toBe(0);
    expect([...items.values()]).toEqual([
      {
        key: { customerId: { S: 'c1' }, orderId: { S: 'o1' } },
        item: { customerId: { S: 'c1' }, orderId: { S: 'o1' }, total: { N: '3' } },
      },
      { key: { customerId: { S: 'c1' }, orderId: { S: 'o2' } }, item: undefined },
    ]);
  });

  it('leaves out a key whose last record has no NewImage (OLD_IMAGE), and counts it', () => {
    const orders = streamRecordFactory({ tableName: 'orders', keys: ['orderId'], viewType: 'OLD_IMAGE' });
    const { items, unknown } = tapeItems(
      tapeOf([
        orders.insert({ orderId: 'o1' }),
        orders.insert({ orderId: 'o2' }),
        orders.modify({ orderId: 'o2' }, { orderId: 'o2', total: 1 }),
        orders.remove({ orderId: 'o2', total: 1 }),
      ]),
    );
    expect(unknown).toBe(1);
    expect([...items.values()]).toEqual([{ key: { orderId: { S: 'o2' } }, item: undefined }]);
  });
});
