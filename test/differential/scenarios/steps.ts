import type { Step } from '../Scenario.js';

/**
 * Shorthands that build steps, so a scenario reads as the requests it makes. They only fill in the members
 * every request of that kind carries; anything else goes in `extra` as it would on the wire.
 */

type Input = Record<string, unknown>;
type ViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';

interface TableShape {
  /** Partition key name and type. @default ['pk', 'S'] */
  readonly hash?: readonly [string, 'S' | 'N' | 'B'];
  readonly range?: readonly [string, 'S' | 'N' | 'B'];
  /** A stream of this view type; none when absent. */
  readonly stream?: ViewType;
}

const createTable = (name: string, shape: TableShape = {}, extra: Input = {}): Step => {
  const hash = shape.hash ?? ['pk', 'S'];
  const keys = shape.range === undefined ? [hash] : [hash, shape.range];
  return {
    op: 'CreateTable',
    input: {
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: keys.map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
      KeySchema: keys.map(([AttributeName], index) => ({
        AttributeName,
        KeyType: index === 0 ? 'HASH' : 'RANGE',
      })),
      ...(shape.stream === undefined
        ? {}
        : { StreamSpecification: { StreamEnabled: true, StreamViewType: shape.stream } }),
      ...extra,
    },
  };
};

const put = (table: string, item: Input, extra: Input = {}): Step => ({
  op: 'PutItem',
  input: { TableName: table, Item: item, ...extra },
});

const get = (table: string, key: Input, extra: Input = {}): Step => ({
  op: 'GetItem',
  input: { TableName: table, Key: key, ...extra },
});

const update = (table: string, key: Input, extra: Input = {}): Step => ({
  op: 'UpdateItem',
  input: { TableName: table, Key: key, ...extra },
});

const remove = (table: string, key: Input, extra: Input = {}): Step => ({
  op: 'DeleteItem',
  input: { TableName: table, Key: key, ...extra },
});

const describe = (table: string): Step => ({ op: 'DescribeTable', input: { TableName: table } });

const readStream = (table: string, order?: 'per-item'): Step =>
  order === undefined ? { op: 'ReadStream', table } : { op: 'ReadStream', table, order };

/** `{ S: value }`, `{ N: value }`: the attribute values scenarios use most. */
const s = (value: string) => ({ S: value });
const n = (value: number | string) => ({ N: String(value) });

export type { TableShape, ViewType };
export { createTable, describe, get, n, put, readStream, remove, s, update };
