import type { Emulator } from '../emulator/Emulator.js';

/** A page of a table's items, as the tables view asks for it. */
interface ItemsQuery {
  readonly region: string;
  readonly accountId?: string;
  readonly tableName: string;
  /** Items per page. @default 25 */
  readonly limit?: number;
  /** The previous page's `lastEvaluatedKey`. */
  readonly startKey?: Record<string, unknown>;
  /** Only the items with this partition key value (a Query instead of a Scan). */
  readonly partitionKey?: string;
}

interface ItemsPage {
  readonly items: readonly Record<string, unknown>[];
  readonly lastEvaluatedKey?: Record<string, unknown>;
}

/** A page holds at most this many items: the page renders them all. */
const MAX_PAGE = 100;

/**
 * One page of a table's items in DynamoDB JSON: a Scan, or with `partitionKey` a Query on the table's partition
 * key (typed as the table declares it), run as the emulator runs any request but taking no injected fault
 * (`Emulator.inspect`).
 *
 * @throws AwsServiceError - as DynamoDB answers (no such table; a key value that is not a number for an N key)
 * @example
 * const { items, lastEvaluatedKey } = tableItems(emulator, { region: 'us-east-1', tableName: 'orders', limit: 25 });
 */
const tableItems = (emulator: Emulator, query: ItemsQuery): ItemsPage => {
  const limit = Math.min(MAX_PAGE, Math.max(1, Math.trunc(query.limit ?? 25)));
  const base = {
    TableName: query.tableName,
    Limit: limit,
    ...(query.startKey === undefined ? {} : { ExclusiveStartKey: query.startKey }),
  };
  let output: { Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> };
  if (query.partitionKey === undefined || query.partitionKey === '') {
    output = emulator.inspect('DynamoDB_20120810.Scan', base, query.region, query.accountId) as typeof output;
  } else {
    const { Table } = emulator.inspect(
      'DynamoDB_20120810.DescribeTable',
      { TableName: query.tableName },
      query.region,
      query.accountId,
    ) as {
      Table: {
        KeySchema: { AttributeName: string; KeyType: string }[];
        AttributeDefinitions: { AttributeName: string; AttributeType: string }[];
      };
    };
    const hash = Table.KeySchema.find((k) => k.KeyType === 'HASH')?.AttributeName as string;
    const type = Table.AttributeDefinitions.find((a) => a.AttributeName === hash)?.AttributeType ?? 'S';
    output = emulator.inspect(
      'DynamoDB_20120810.Query',
      {
        ...base,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': hash },
        ExpressionAttributeValues: { ':pk': { [type]: query.partitionKey } },
      },
      query.region,
      query.accountId,
    ) as typeof output;
  }
  return {
    items: output.Items ?? [],
    ...(output.LastEvaluatedKey === undefined ? {} : { lastEvaluatedKey: output.LastEvaluatedKey }),
  };
};

export type { ItemsPage, ItemsQuery };
export { MAX_PAGE, tableItems };
