import { describe, expect, it } from 'vitest';
import {
  readGlobalIndexDefinition,
  readIndexDefinitions,
} from '../../../../../../local-runtime/emulator/dynamodb/indexes/readIndexDefinitions.js';

const table = {
  keySchema: { hashKey: 'pk', rangeKey: 'sk', types: { pk: 'S', sk: 'N' } },
  attributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
    { AttributeName: 'g', AttributeType: 'B' },
  ],
  billingMode: 'PAY_PER_REQUEST',
} as const;

describe('readIndexDefinitions', () => {
  it('is empty for a table without indexes', () => {
    expect(readIndexDefinitions({}, table)).toEqual([]);
  });

  it('reads local and global indexes with their key types', () => {
    const definitions = readIndexDefinitions(
      {
        LocalSecondaryIndexes: [
          {
            IndexName: 'local',
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'g', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'global',
            KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] },
          },
        ],
      },
      table,
    );
    expect(definitions).toEqual([
      {
        name: 'local',
        global: false,
        keySchema: { hashKey: 'pk', rangeKey: 'g', types: { pk: 'S', g: 'B' } },
        wireKeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'g', KeyType: 'RANGE' },
        ],
        projection: { ProjectionType: 'KEYS_ONLY' },
      },
      {
        name: 'global',
        global: true,
        keySchema: { hashKey: 'g', types: { g: 'B' } },
        wireKeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
        projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] },
      },
    ]);
  });
});

describe('readGlobalIndexDefinition (UpdateTable)', () => {
  it('reads one global index with the rules of the billing mode', () => {
    const wire = {
      IndexName: 'added',
      KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'ALL' },
      ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
    };
    expect(readGlobalIndexDefinition(wire, { ...table, billingMode: 'PROVISIONED' })).toMatchObject({
      name: 'added',
      global: true,
      provisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
    });
    expect(() => readGlobalIndexDefinition(wire, table)).toThrow(
      'One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: added when BillingMode is PAY_PER_REQUEST',
    );
    expect(() =>
      readGlobalIndexDefinition({ ...wire, KeySchema: [{ AttributeName: 'nope', KeyType: 'HASH' }] }, table),
    ).toThrow(
      'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [nope], AttributeDefinitions: [pk, sk, g]',
    );
  });
});
