import {
  DescribeTableCommand,
  type DescribeTableCommandOutput,
  type DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ResourceNotFoundException as StreamNotFoundException,
} from '@aws-sdk/client-dynamodb-streams';
import { parseStreamArn } from '../../src/records/arn.js';
import type { DynamoDBEventDefinition, LocalTemplate } from '../template/types.js';

/** Where a mapping reads, for the messages: its id, the endpoint and the region eddy dev runs in. */
interface StreamSource {
  readonly mappingId: string;
  readonly endpoint: string;
  readonly region: string;
  /** On the embedded emulator eddy dev creates the template's tables; with --endpoint it does not. */
  readonly local: boolean;
}

/** The table, or undefined when the endpoint has no table of that name. */
const describeTable = async (
  dynamodb: DynamoDBClient,
  tableName: string,
): Promise<DescribeTableCommandOutput['Table'] | undefined> => {
  try {
    return (await dynamodb.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
};

const ENABLE_STREAM =
  'enable its stream (in template.yaml: StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}; on an existing ' +
  'table: aws dynamodb update-table --table-name T --stream-specification StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES)';

/**
 * The stream ARN a mapping reads, checked to exist at the endpoint, or what is wrong (a line that names the
 * mapping, the ARN or table, and what to do). A literal ARN is described through DynamoDB Streams; when it is
 * not found, its table says why (no table, no stream, or a newer stream). `!GetAtt <Table>.StreamArn` is the
 * table's current stream (DescribeTable's LatestStreamArn).
 *
 * Without this check a mapping on a missing stream would retry DescribeStream for ever and print nothing.
 */
const resolveStreamArn = async (
  clients: { readonly dynamodb: DynamoDBClient; readonly streams: DynamoDBStreamsClient },
  template: LocalTemplate,
  event: DynamoDBEventDefinition,
  source: StreamSource,
): Promise<{ streamArn: string } | { problem: string }> => {
  const where = `at ${source.endpoint} (region ${source.region})`;
  const mapping = `mapping ${source.mappingId} (${event.location}.Stream)`;
  if (event.streamArn === undefined) {
    const table = template.tables.find((t) => t.logicalId === event.tableLogicalId);
    const tableName = String(table?.createTableInput.TableName ?? event.tableLogicalId);
    const described = await describeTable(clients.dynamodb, tableName);
    if (described === undefined) {
      return {
        problem:
          `${mapping}: table ${tableName} (Resources.${event.tableLogicalId}) does not exist ${where}; ` +
          (source.local
            ? 'it could not be created'
            : 'eddy dev does not create tables in AWS: create it there, with its stream'),
      };
    }
    if (described.LatestStreamArn === undefined || described.StreamSpecification?.StreamEnabled !== true) {
      return { problem: `${mapping}: table ${tableName} has no stream ${where}; ${ENABLE_STREAM}` };
    }
    return { streamArn: described.LatestStreamArn };
  }
  const streamArn = event.streamArn;
  try {
    await clients.streams.send(new DescribeStreamCommand({ StreamArn: streamArn, Limit: 1 }));
    return { streamArn };
  } catch (error) {
    if (!(error instanceof StreamNotFoundException)) throw error;
  }
  const parts = parseStreamArn(streamArn);
  const stream = `stream ${streamArn}`;
  if (parts === undefined) return { problem: `${mapping}: ${stream} does not exist ${where}` };
  if (parts.region !== source.region) {
    return {
      problem:
        `${mapping}: ${stream} is in region ${parts.region}, and eddy dev reads region ${source.region}; ` +
        `run with --region ${parts.region}, or name a stream of ${source.region}`,
    };
  }
  const table = await describeTable(clients.dynamodb, parts.tableName);
  if (table === undefined) {
    return {
      problem:
        `${mapping}: ${stream} names table ${parts.tableName}, which does not exist ${where}; create the table ` +
        'with a stream (StreamSpecification), or declare it in template.yaml and write Stream: !GetAtt <Table>.StreamArn',
    };
  }
  if (table.LatestStreamArn === undefined || table.StreamSpecification?.StreamEnabled !== true) {
    return {
      problem: `${mapping}: ${stream}: table ${parts.tableName} has no stream ${where}; ${ENABLE_STREAM}`,
    };
  }
  return {
    problem:
      `${mapping}: ${stream} does not exist ${where}; table ${parts.tableName}'s stream is now ` +
      `${table.LatestStreamArn}: name that one, or write Stream: !GetAtt <Table>.StreamArn`,
  };
};

export type { StreamSource };
export { resolveStreamArn };
