import { describe, expect, it } from 'vitest';
import { atomically } from '../../../../../local-runtime/emulator/atomic/requestScope.js';
import type { ItemChange } from '../../../../../local-runtime/emulator/changes/ItemChange.js';
import { HIGH, LOW } from '../../../../../local-runtime/emulator/dynamodb/indexes/keyOrder.js';
import { Table } from '../../../../../local-runtime/emulator/dynamodb/Table.js';
import type { AttributeMap } from '../../../../../src/records/attributeValue.js';
import { itemSize } from '../../../../../src/records/itemSize.js';

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

describe('Table.restoreItems (a restart from a data dir)', () => {
  /** Items a seeded generator picks: keys from a small range, so changes hit snapshot keys and each other. */
  const seeded = (seed: number) => {
    let state = seed;
    return () => {
      state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
      return state / 2 ** 32;
    };
  };

  it('merges the journal changes into the snapshot items as writes one by one would leave the table', () => {
    const random = seeded(7);
    const live = table();
    for (let i = 0; i < 300; i++) live.write({ pk: { S: `k${i}` } }, item(`k${i}`, `s${i % 5}`));
    // What a snapshot holds: the items in the table's order.
    const snapshot = [...live.items()];
    const changes: { key: AttributeMap; item: AttributeMap | undefined }[] = [];
    for (let i = 0; i < 500; i++) {
      const pk = `k${Math.floor(random() * 450)}`;
      const next = random() < 0.3 ? undefined : item(pk, `t${Math.floor(random() * 3)}`);
      changes.push({ key: { pk: { S: pk } }, item: next });
      live.write({ pk: { S: pk } }, next);
    }
    const restored = table();
    restored.restoreItems(
      snapshot,
      snapshot.map((stored) => itemSize(stored)),
      changes,
    );
    expect(contents(restored)).toEqual(contents(live));
    // And the tree it built takes ordinary writes afterwards.
    restored.write({ pk: { S: 'late' } }, item('late', 'open'));
    live.write({ pk: { S: 'late' } }, item('late', 'open'));
    expect(contents(restored)).toEqual(contents(live));
  });

  it('stores items that are not in the table order one by one (and measures them when no sizes come)', () => {
    const live = table();
    for (let i = 0; i < 50; i++) live.write({ pk: { S: `k${i}` } }, item(`k${i}`, 'open'));
    const restored = table();
    restored.restoreItems([...live.items()].reverse(), undefined, [
      { key: { pk: { S: 'k1' } }, item: undefined },
    ]);
    live.write({ pk: { S: 'k1' } }, undefined);
    expect(contents(restored)).toEqual(contents(live));
  });

  it('refuses a snapshot that holds one key twice', () => {
    const restored = table();
    expect(() => restored.restoreItems([item('a', 'x'), item('a', 'y')])).toThrow('duplicate item');
  });
});

describe('Table keeps a cache of its items by key (overwrites change the stored box in place)', () => {
  const sorted = () =>
    new Table({
      name: 'events',
      region: 'us-east-1',
      accountId: '000000000000',
      keySchema: { hashKey: 'pk', rangeKey: 'sk', types: { pk: 'S', sk: 'N' } },
      wireKeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      attributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
      ],
      billingMode: 'PAY_PER_REQUEST',
      createdAt: 0,
    });
  const keyOf = (pk: string, sk: number): AttributeMap => ({ pk: { S: pk }, sk: { N: String(sk) } });
  const snapshotTexts = (chunks: Iterable<{ texts: readonly string[] }>) =>
    [...chunks].flatMap((chunk) => chunk.texts);

  it('gives a snapshot the items of its instant, however many overwrites follow before it is read', () => {
    const t = sorted();
    for (let i = 0; i < 40; i++) t.write(keyOf(`p${i % 4}`, i), { ...keyOf(`p${i % 4}`, i), v: { N: '0' } });
    // Read and overwritten once before the snapshot, so the cache holds these keys' boxes.
    for (let i = 0; i < 40; i++) {
      const key = keyOf(`p${i % 4}`, i);
      t.getItem(key);
      t.write(key, { ...key, v: { N: '1' } });
    }
    const expected = [...t.items()].map((stored) => JSON.stringify(stored));
    const chunks = t.itemsSnapshot(7);
    for (let round = 2; round < 5; round++) {
      for (let i = 0; i < 40; i++) {
        const key = keyOf(`p${i % 4}`, i);
        t.getItem(key);
        t.write(key, i % 9 === 0 ? undefined : { ...key, v: { N: String(round) } });
      }
    }
    expect(snapshotTexts(chunks)).toEqual(expected);
    expect(t.getItem(keyOf('p1', 1))).toEqual({ ...keyOf('p1', 1), v: { N: '4' } });
    expect(t.getItem(keyOf('p0', 0))).toBeUndefined();
  });

  it('matches a plain map of items over seeded writes, deletes, failed requests and snapshots', () => {
    let state = 11;
    const random = (n: number) => {
      state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
      return Math.floor((state / 2 ** 32) * n);
    };
    const t = sorted();
    const model = new Map<string, AttributeMap>();
    const name = (pk: string, sk: number) => `${pk}/${sk}`;
    const nameOf = (item: AttributeMap) => JSON.stringify([item.pk, item.sk]);
    const pending: { chunks: Iterable<{ texts: readonly string[] }>; expected: string[] }[] = [];
    const write = (pk: string, sk: number, version: number, withRead: boolean) => {
      const key = keyOf(pk, sk);
      if (withRead) t.getItem(key);
      const next = version % 5 === 0 ? undefined : { ...key, v: { N: String(version) } };
      t.write(key, next);
      if (next === undefined) model.delete(name(pk, sk));
      else model.set(name(pk, sk), next);
    };
    for (let step = 0; step < 3000; step++) {
      const pk = `p${random(6)}`;
      const sk = random(12);
      const choice = random(20);
      if (choice === 0) {
        pending.push({ chunks: t.itemsSnapshot(5), expected: [...t.items()].map((i) => JSON.stringify(i)) });
      } else if (choice === 1) {
        const before = new Map(model);
        expect(() =>
          atomically(() => {
            for (let k = 0; k < 4; k++) write(`p${random(6)}`, random(12), random(10), random(2) === 0);
            throw new Error('a later step failed');
          }),
        ).toThrow('a later step failed');
        model.clear();
        for (const [k, v] of before) model.set(k, v);
      } else {
        write(pk, sk, random(10), random(3) !== 0);
      }
      const [probePk, probeSk] = [`p${random(6)}`, random(12)];
      expect(t.getItem(keyOf(probePk, probeSk))).toEqual(model.get(name(probePk, probeSk)));
    }
    const all = [...t.items()].map(nameOf);
    expect(new Set(all)).toEqual(new Set([...model.values()].map(nameOf)));
    expect(all).toHaveLength(model.size);
    for (const { chunks, expected } of pending) expect(snapshotTexts(chunks)).toEqual(expected);
  });
});
