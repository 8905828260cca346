import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type CreateTableCommandOutput,
  type DynamoDBClient,
  type KeySchemaElement,
  type Projection,
  type ScalarAttributeType,
} from '@aws-sdk/client-dynamodb';

/**
 * A key as attribute name → type: the partition (HASH) key first, then the sort (RANGE) key if there is one.
 * Object literals keep this order because attribute names are not integer-like.
 */
type TableKey = Readonly<Record<string, ScalarAttributeType>>;

interface IndexSpec {
  readonly key: TableKey;
  readonly projection: Projection;
}

interface TableIndexes {
  /** Local secondary indexes by name, in the order the request lists them. */
  readonly local?: Readonly<Record<string, IndexSpec>>;
  /** Global secondary indexes by name, in the order the request lists them. */
  readonly global?: Readonly<Record<string, IndexSpec>>;
}

const keySchema = (key: TableKey): KeySchemaElement[] => {
  const names = Object.keys(key);
  if (names.length < 1 || names.length > 2)
    throw new Error(`a key has one or two attributes, not ${names.length}`);
  return names.map((AttributeName, i) => ({ AttributeName, KeyType: i === 0 ? 'HASH' : 'RANGE' }));
};

/**
 * The CreateTable input of an on-demand table with this key and these indexes. AttributeDefinitions name each
 * key attribute of the table and its indexes once, in the order they first appear (table key, local indexes,
 * global indexes), so an attribute shared by two keys must have the same type in both.
 */
const createTableInput = (
  name: string,
  key: TableKey,
  indexes: TableIndexes = {},
): CreateTableCommandInput => {
  const local = Object.entries(indexes.local ?? {});
  const global = Object.entries(indexes.global ?? {});
  const types = new Map<string, ScalarAttributeType>();
  for (const each of [key, ...local.map(([, index]) => index.key), ...global.map(([, index]) => index.key)]) {
    for (const [attribute, type] of Object.entries(each)) {
      const known = types.get(attribute);
      if (known !== undefined && known !== type) throw new Error(`${attribute} is both ${known} and ${type}`);
      types.set(attribute, type);
    }
  }
  const indexInput = ([IndexName, index]: [string, IndexSpec]) => ({
    IndexName,
    KeySchema: keySchema(index.key),
    Projection: index.projection,
  });
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...types].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType,
    })),
    KeySchema: keySchema(key),
    ...(local.length === 0 ? {} : { LocalSecondaryIndexes: local.map(indexInput) }),
    ...(global.length === 0 ? {} : { GlobalSecondaryIndexes: global.map(indexInput) }),
  };
};

/** Creates the on-demand table `createTableInput` describes, through the given client. */
const createTable = (
  dynamodb: DynamoDBClient,
  name: string,
  key: TableKey,
  indexes: TableIndexes = {},
): Promise<CreateTableCommandOutput> =>
  dynamodb.send(new CreateTableCommand(createTableInput(name, key, indexes)));

export { createTable, createTableInput };
