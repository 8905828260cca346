/**
 * ARNs of tables and streams, in AWS's formats
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html):
 * `arn:aws:dynamodb:<region>:<account>:table/<TableName>/stream/<StreamLabel>`.
 */
interface StreamArnParts {
  partition: string;
  region: string;
  accountId: string;
  tableName: string;
  streamLabel: string;
}

const STREAM_ARN =
  /^arn:(aws[a-z-]*):dynamodb:([a-z0-9-]+):(\d{12}):table\/([a-zA-Z0-9_.-]{3,255})\/stream\/(.+)$/;

const tableArn = (region: string, accountId: string, tableName: string): string =>
  `arn:aws:dynamodb:${region}:${accountId}:table/${tableName}`;

const streamArn = (region: string, accountId: string, tableName: string, streamLabel: string): string =>
  `${tableArn(region, accountId, tableName)}/stream/${streamLabel}`;

/** The parts of a stream ARN, or undefined when the text is not one. */
const parseStreamArn = (arn: string): StreamArnParts | undefined => {
  const match = STREAM_ARN.exec(arn);
  if (!match) return undefined;
  const [, partition = '', region = '', accountId = '', tableName = '', streamLabel = ''] = match;
  return { partition, region, accountId, tableName, streamLabel };
};

/** Stream labels are the stream's creation time, ISO-8601 UTC with milliseconds and no zone. */
const streamLabelAt = (epochMillis: number): string => new Date(epochMillis).toISOString().replace(/Z$/, '');

export type { StreamArnParts };
export { parseStreamArn, streamArn, streamLabelAt, tableArn };
