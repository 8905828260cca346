import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from './types.js';

/**
 * Creates a table as any client would (through the SDK, over HTTP) and switches its TTL on, unless it exists
 * already (a restart with `--state-dir` keeps tables, items and streams). Returns how to describe it.
 */
const ensureTable = async (dynamodb: DynamoDBClient, table: TableDefinition): Promise<string> => {
  const name = String(table.createTableInput.TableName);
  const stream = (table.createTableInput.StreamSpecification as { StreamViewType?: string } | undefined)
    ?.StreamViewType;
  const notes = [
    ...(stream === undefined ? [] : [`stream ${stream}`]),
    ...(table.timeToLive?.Enabled === true ? [`TTL ${table.timeToLive.AttributeName}`] : []),
  ];
  let exists = true;
  try {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
    // A table found at the endpoint is kept as it is: its own stream is said, not the template's.
    const kept =
      Table?.StreamSpecification?.StreamEnabled === true
        ? Table.StreamSpecification.StreamViewType
        : undefined;
    const own = kept !== undefined ? [`stream ${kept}`] : stream !== undefined ? ['no stream'] : [];
    notes.splice(0, stream === undefined ? 0 : 1, ...own);
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    exists = false;
  }
  if (exists) notes.push('kept');
  else {
    await dynamodb.send(new CreateTableCommand(table.createTableInput as never));
    if (table.timeToLive?.Enabled === true) {
      await dynamodb.send(
        new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: table.timeToLive }),
      );
    }
  }
  return `${name}${notes.length === 0 ? '' : ` (${notes.join(', ')})`}`;
};

export { ensureTable };
