import type { DynamoDBRecord } from 'aws-lambda';

/** A record's sequence number, or '' for none (an empty batch). */
const sequenceOf = (record: DynamoDBRecord | undefined): string => record?.dynamodb?.SequenceNumber ?? '';

/** An error as one line for logs and reports: `Name: message`. */
const messageOf = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

export { messageOf, sequenceOf };
