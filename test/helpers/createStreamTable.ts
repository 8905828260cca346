import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { StreamViewType } from '../../src/records/streamRecord.js';

/** Creates an on-demand table keyed by one string attribute, with a stream, and returns the stream's ARN. */
const createStreamTable = async (
  dynamodb: DynamoDBClient,
  tableName: string,
  viewType: StreamViewType,
  keyName = 'pk',
): Promise<string> => {
  await dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: keyName, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: keyName, KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: viewType },
    }),
  );
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
  return Table?.LatestStreamArn as string;
};

export { createStreamTable };
