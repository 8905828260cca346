import { describe, expect, it } from 'vitest';
import { namesIn, shardItemKey, toLeaseItem, workersItemKey } from '../../../../src/leaseTable/leaseItem.js';

describe(toLeaseItem.name, () => {
  it('reads an absent item as a free lease never taken', () => {
    expect(toLeaseItem('s', undefined)).toEqual({ shardId: 's', shardEnded: false });
  });

  it('reads the lease and the shard end of an item', () => {
    expect(
      toLeaseItem('s', {
        leaseKey: { S: 'm#s' },
        leaseOwner: { S: 'w1' },
        leaseToken: { S: 't' },
        leaseCounter: { N: '7' },
        leaseExpiresAt: { N: '1767225610000' },
        leaseHandoffTo: { S: 'w2' },
        checkpoint: { S: '100000000000000000001' },
        shardEnded: { BOOL: true },
      }),
    ).toEqual({
      shardId: 's',
      owner: 'w1',
      token: 't',
      counter: 7,
      expiresAt: 1767225610000,
      handoffTo: 'w2',
      shardEnded: true,
    });
  });
});

describe(namesIn.name, () => {
  it('names exactly the placeholders used, with aliases for names that are not identifiers', () => {
    expect(
      namesIn(['SET #workers.#worker = :until', 'attribute_exists(#workers)'], { '#worker': 'host:1:ab' }),
    ).toEqual({
      '#workers': 'workers',
      '#worker': 'host:1:ab',
    });
  });
});

describe('item keys', () => {
  it('keys shard items by mapping and shard, and the registry apart from any shard', () => {
    expect(shardItemKey('orders', 'shardId-1')).toBe('orders#shardId-1');
    expect(workersItemKey('orders')).toBe('orders#$workers');
  });
});
