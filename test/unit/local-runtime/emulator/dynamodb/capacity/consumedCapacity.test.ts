import { describe, expect, it } from 'vitest';
import {
  CapacityUsage,
  consumedCapacitiesMember,
  consumedCapacity,
  consumedCapacityMember,
  readCapacityUnits,
  writeCapacityUnits,
} from '../../../../../../local-runtime/emulator/dynamodb/capacity/consumedCapacity.js';

describe('readCapacityUnits', () => {
  it.each([
    [0, 'strong', 1],
    [1, 'strong', 1],
    [4096, 'strong', 1],
    [4097, 'strong', 2],
    [400 * 1024, 'strong', 100],
    [0, 'eventual', 0.5],
    [4096, 'eventual', 0.5],
    [4097, 'eventual', 1],
    [12289, 'eventual', 2],
    [0, 'transactional', 2],
    [4097, 'transactional', 4],
  ] as const)('%i bytes read %s cost %d RCU', (bytes, consistency, units) => {
    expect(readCapacityUnits(bytes, consistency)).toBe(units);
  });
});

describe('writeCapacityUnits', () => {
  it.each([
    [0, false, 1],
    [1, false, 1],
    [1024, false, 1],
    [1025, false, 2],
    [400 * 1024, false, 400],
    [0, true, 2],
    [1025, true, 4],
  ])('%i bytes written (transactional: %s) cost %d WCU', (bytes, transactional, units) => {
    expect(writeCapacityUnits(bytes, transactional)).toBe(units);
  });
});

describe('consumedCapacity', () => {
  const usage = () => {
    const u = new CapacityUsage('t');
    u.addWrite(2);
    u.addWrite(1, { name: 'gsi', global: true });
    u.addWrite(2, { name: 'lsi', global: false });
    u.addRead(0.5);
    return u;
  };

  it('is nothing for NONE or no mode', () => {
    expect(consumedCapacity('NONE', usage())).toBeUndefined();
    expect(consumedCapacity(undefined, usage())).toBeUndefined();
    expect(consumedCapacityMember(undefined, usage())).toEqual({});
    expect(consumedCapacitiesMember('NONE', [usage()])).toEqual({});
  });

  it('sums the table and its indexes for TOTAL, read and write apart', () => {
    expect(consumedCapacity('TOTAL', usage())).toEqual({
      TableName: 't',
      CapacityUnits: 5.5,
      ReadCapacityUnits: 0.5,
      WriteCapacityUnits: 5,
    });
  });

  it('adds the table and each index for INDEXES', () => {
    expect(consumedCapacity('INDEXES', usage())).toEqual({
      TableName: 't',
      CapacityUnits: 5.5,
      ReadCapacityUnits: 0.5,
      WriteCapacityUnits: 5,
      Table: { CapacityUnits: 2.5, ReadCapacityUnits: 0.5, WriteCapacityUnits: 2 },
      LocalSecondaryIndexes: { lsi: { CapacityUnits: 2, WriteCapacityUnits: 2 } },
      GlobalSecondaryIndexes: { gsi: { CapacityUnits: 1, WriteCapacityUnits: 1 } },
    });
  });

  it('reports a table nothing was charged to as zero units', () => {
    expect(consumedCapacity('INDEXES', new CapacityUsage('empty'))).toEqual({
      TableName: 'empty',
      CapacityUnits: 0,
      Table: { CapacityUnits: 0 },
    });
  });

  it('lists one entry per table for batches and transactions', () => {
    const other = new CapacityUsage('u');
    other.addRead(1);
    expect(consumedCapacitiesMember('TOTAL', [usage(), other])).toEqual({
      ConsumedCapacity: [
        { TableName: 't', CapacityUnits: 5.5, ReadCapacityUnits: 0.5, WriteCapacityUnits: 5 },
        { TableName: 'u', CapacityUnits: 1, ReadCapacityUnits: 1 },
      ],
    });
  });
});
