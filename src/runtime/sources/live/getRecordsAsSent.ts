import {
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandInput,
} from '@aws-sdk/client-dynamodb-streams';
import type { StreamRecord } from '../../../records/streamRecord.js';
import { toWireRecord } from '../../../records/wireRecord.js';

/** A GetRecords page with its records in the JSON form GetRecords sent them. */
interface RecordsAsSent {
  readonly records: StreamRecord[];
  readonly nextShardIterator: string | undefined;
}

/**
 * GetRecords through the SDK client (its endpoint, credentials, signing, retries and errors), with the records
 * taken from the response's JSON as GetRecords sent it rather than from the SDK's output.
 *
 * Why: Lambda hands a function the records in that JSON form (binary as base64, `ApproximateCreationDateTime`
 * in epoch seconds; https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html), and the SDK's deserializer
 * turns every attribute value into its own shapes (Uint8Array, Date) which `toWireRecord` then turns back:
 * for a stream of items with images, those two walks cost more CPU per record than everything else the runtime
 * does with it. A middleware at the bottom of the deserialize step (next to the HTTP handler) parses a 200
 * response's body once, keeps the records and hands the SDK's deserializer the body without them. Error
 * responses go to the SDK untouched, so its exceptions (ExpiredIteratorException, TrimmedDataAccessException,
 * throttling) and retries are unchanged. A client that does not run middleware (a stub) gets the SDK output
 * converted as before.
 */
const getRecordsAsSent = async (
  client: DynamoDBStreamsClient,
  input: GetRecordsCommandInput,
  options: { readonly abortSignal?: AbortSignal } = {},
): Promise<RecordsAsSent> => {
  const command = new GetRecordsCommand(input);
  let sent: StreamRecord[] | undefined;
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as { statusCode?: number; body?: unknown };
      if (response.statusCode !== 200) return result;
      const text = await bodyText(response.body);
      const parsed = JSON.parse(text) as { Records?: StreamRecord[]; NextShardIterator?: string };
      sent = parsed.Records ?? [];
      response.body = Buffer.from(
        JSON.stringify(
          parsed.NextShardIterator === undefined ? {} : { NextShardIterator: parsed.NextShardIterator },
        ),
      );
      return result;
    },
    { step: 'deserialize', priority: 'low', name: 'eddyRecordsAsSent' },
  );
  const output = await client.send(command, options);
  return {
    records: sent ?? (output.Records ?? []).map(toWireRecord),
    nextShardIterator: output.NextShardIterator,
  };
};

/** The whole body of a Node HTTP response (a readable stream) or of one already in memory, as UTF-8 text. */
const bodyText = async (body: unknown): Promise<string> => {
  if (body instanceof Uint8Array)
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString();
  if (typeof body === 'string') return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer | string>) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString();
};

export type { RecordsAsSent };
export { getRecordsAsSent };
