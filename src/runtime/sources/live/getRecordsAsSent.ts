import {
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandInput,
  type GetRecordsCommandOutput,
} from '@aws-sdk/client-dynamodb-streams';
import { elementTexts } from '../../../records/elementTexts.js';
import { sendTakingJson } from '../../../records/sendTakingJson.js';
import type { StreamRecord } from '../../../records/streamRecord.js';
import { toWireRecord } from '../../../records/wireRecord.js';

/** A GetRecords page with its records in the JSON form GetRecords sent them. */
interface RecordsAsSent {
  readonly records: StreamRecord[];
  /** Each record's text as the page holds it (see `elementTexts`), when the page was read as JSON. */
  readonly texts: readonly string[] | undefined;
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
 * does with it. `sendTakingJson` keeps the records of a 200 response and hands the SDK's deserializer the body
 * without them; its exceptions (ExpiredIteratorException, TrimmedDataAccessException, throttling) and retries
 * are unchanged. A client that does not run middleware (a stub) gets the SDK output converted as before.
 */
const getRecordsAsSent = async (
  client: DynamoDBStreamsClient,
  input: GetRecordsCommandInput,
  options: { readonly abortSignal?: AbortSignal } = {},
): Promise<RecordsAsSent> => {
  let sent: StreamRecord[] | undefined;
  let texts: string[] | undefined;
  const output = await sendTakingJson<GetRecordsCommandOutput>(
    client,
    new GetRecordsCommand(input),
    (parsed, text) => {
      sent = (parsed.Records as StreamRecord[] | undefined) ?? [];
      texts = elementTexts(text, 'Records');
      // A text that does not cut into as many records as were parsed is not used (never expected of JSON).
      if (texts?.length !== sent.length) texts = undefined;
      return parsed.NextShardIterator === undefined ? {} : { NextShardIterator: parsed.NextShardIterator };
    },
    options,
  );
  return {
    records: sent ?? (output.Records ?? []).map(toWireRecord),
    texts,
    nextShardIterator: output.NextShardIterator,
  };
};

export type { RecordsAsSent };
export { getRecordsAsSent };
