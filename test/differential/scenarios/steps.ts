import type { DynamoDbOperation, Step } from '../Scenario.js';

/**
 * Shorthands that build steps, so a scenario reads as the requests it makes. They only fill in the members
 * every request of that kind carries; anything else goes in `extra` as it would on the wire (and overrides
 * what the shorthand filled in, keeping its place in the request).
 */

type Input = Record<string, unknown>;
type ViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
/** An attribute's name and its scalar type, as a key schema declares it. */
type KeyAttribute = readonly [string, 'S' | 'N' | 'B'];

interface TableShape {
  /** Partition key name and type. @default ['pk', 'S'] */
  readonly hash?: KeyAttribute;
  readonly range?: KeyAttribute;
  /** Attributes defined after the table's keys: the key attributes of its secondary indexes. */
  readonly moreAttributes?: readonly KeyAttribute[];
  /** A stream of this view type; none when absent. */
  readonly stream?: ViewType;
}

/** A KeySchema from key names: the partition key, then the sort key if there is one. */
const keySchema = (names: readonly string[]) =>
  names.map((AttributeName, index) => ({ AttributeName, KeyType: index === 0 ? 'HASH' : 'RANGE' }));

const createTable = (name: string, shape: TableShape = {}, extra: Input = {}): Step => {
  const hash = shape.hash ?? ['pk', 'S'];
  const keys = shape.range === undefined ? [hash] : [hash, shape.range];
  return {
    op: 'CreateTable',
    input: {
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...keys, ...(shape.moreAttributes ?? [])].map(
        ([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }),
      ),
      KeySchema: keySchema(keys.map(([attribute]) => attribute)),
      ...(shape.stream === undefined
        ? {}
        : { StreamSpecification: { StreamEnabled: true, StreamViewType: shape.stream } }),
      ...extra,
    },
  };
};

/**
 * A global or local secondary index, for CreateTable's `extra`; its key attributes' types go in the table's
 * `moreAttributes`, as the wire has them in the table's AttributeDefinitions.
 */
const secondaryIndex = (name: string, keys: readonly string[], projection: Input) => ({
  IndexName: name,
  KeySchema: keySchema(keys),
  Projection: projection,
});

// One builder per request layout, so that every operation of that layout fills its members the same way.

/** A request on one table: `{ TableName, ...extra }`. */
const onTable =
  (op: DynamoDbOperation) =>
  (table: string, extra: Input = {}): Step => ({ op, input: { TableName: table, ...extra } });

/** A request for one item of one table: `{ TableName, Item or Key, ...extra }`. */
const onItem =
  (op: DynamoDbOperation, member: 'Item' | 'Key') =>
  (table: string, value: Input, extra: Input = {}): Step =>
    onTable(op)(table, { [member]: value, ...extra });

/** A request across tables: `{ RequestItems or TransactItems, ...extra }`. */
const acrossTables =
  <Value>(op: DynamoDbOperation, member: 'RequestItems' | 'TransactItems') =>
  (value: Value, extra: Input = {}): Step => ({ op, input: { [member]: value, ...extra } });

const put = onItem('PutItem', 'Item');
const get = onItem('GetItem', 'Key');
const update = onItem('UpdateItem', 'Key');
const remove = onItem('DeleteItem', 'Key');
const query = onTable('Query');
const scan = onTable('Scan');
const describe = (table: string): Step => onTable('DescribeTable')(table);
const batchWrite = acrossTables<Input>('BatchWriteItem', 'RequestItems');
const batchGet = acrossTables<Input>('BatchGetItem', 'RequestItems');
const transactWrite = acrossTables<readonly unknown[]>('TransactWriteItems', 'TransactItems');
const transactGet = acrossTables<readonly unknown[]>('TransactGetItems', 'TransactItems');

/** The write requests of a BatchWriteItem table list. */
const putRequest = (item: Input) => ({ PutRequest: { Item: item } });
const deleteRequest = (key: Input) => ({ DeleteRequest: { Key: key } });

const readStream = (table: string, order?: 'per-item'): Step =>
  order === undefined ? { op: 'ReadStream', table } : { op: 'ReadStream', table, order };

/** `{ S: value }`, `{ N: value }`: the attribute values scenarios use most. */
const s = (value: string) => ({ S: value });
const n = (value: number | string) => ({ N: String(value) });

export type { TableShape, ViewType };
export {
  batchGet,
  batchWrite,
  createTable,
  deleteRequest,
  describe,
  get,
  n,
  put,
  putRequest,
  query,
  readStream,
  remove,
  s,
  scan,
  secondaryIndex,
  transactGet,
  transactWrite,
  update,
};
