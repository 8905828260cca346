import { createHash } from 'node:crypto';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { StreamRecord, StreamViewType } from '../records/streamRecord.js';
import type { Tape, TapeKeySchemaElement, TapeRecord, TapeRecording, TapeShard } from './tapeFormat.js';
import { TAPE_FORMAT, TAPE_VERSION } from './tapeFormat.js';

/**
 * A tape's records as the event Lambda sends for them (`{ Records }`, each record with `eventSourceARN`, and
 * a TTL delete's `userIdentity` spelled `type`/`principalId` as Lambda spells it), e.g. to save as a Lambda
 * test event or to hand to `sam local invoke --event`.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html#services-dynamodb-event-example
 * @example
 * import { loadTape, tapeToLambdaEvent } from 'eddy/runtime';
 *
 * const event = tapeToLambdaEvent(await loadTape('orders.tape.ndjson'));
 * await writeFile('event.json', JSON.stringify(event, null, 2));
 */
const tapeToLambdaEvent = (tape: Pick<Tape, 'header' | 'records'>): DynamoDBStreamEvent => ({
  Records: tape.records.map(({ record }) => {
    const { userIdentity, ...fields } = record;
    return {
      ...fields,
      eventSourceARN: tape.header.streamArn,
      ...(userIdentity === undefined
        ? {}
        : { userIdentity: { type: userIdentity.Type, principalId: userIdentity.PrincipalId } }),
    } as DynamoDBRecord;
  }),
});

/**
 * How `tapeFromLambdaEvent` fills what a Lambda event does not carry.
 *
 * @example
 * const options: LambdaEventImportOptions = { keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }] };
 */
interface LambdaEventImportOptions {
  /**
   * The table's key. @default the attributes of the first record's `Keys` in their order (the first as HASH,
   * a second as RANGE): give it when the table has a sort key, since a record's `Keys` does not say which is which.
   */
  readonly keySchema?: readonly TapeKeySchemaElement[];
  /** The shard the records are put in (events do not say). @default one derived from the stream ARN */
  readonly shardId?: string;
  /** @default 'lambda-event' */
  readonly source?: TapeRecording['source'];
  /** @default 'eddy' */
  readonly tool?: string;
  /** When the import happened. @default now */
  readonly startedAt?: Date;
}

/** `arn:…:table/<name>/stream/<label>`; lenient on the rest, since sample events carry placeholders. */
const TABLE_IN_ARN = /:table\/([^/]+)\/stream\//;

/** An event's problem, said in the event's terms. */
const eventError = (problem: string): Error =>
  new TypeError(`eddy: this Lambda event cannot become a tape: ${problem}`);

/**
 * A tape holding the records of a Lambda DynamoDB event, such as `sam local generate-event dynamodb update`
 * writes or a Lambda console test event: every record as it is (with `eventSourceARN` dropped, as GetRecords
 * has none), in one shard. `tapeToLambdaEvent` gives the same event back.
 *
 * @example
 * import { tapeFromLambdaEvent, TapeWriter } from 'eddy/runtime';
 *
 * const event = JSON.parse(await readFile('events/update.json', 'utf8'));
 * const tape = tapeFromLambdaEvent(event, { keySchema: [{ AttributeName: 'Id', KeyType: 'HASH' }] });
 */
const tapeFromLambdaEvent = (event: DynamoDBStreamEvent, options: LambdaEventImportOptions = {}): Tape => {
  const records = (event as { Records?: unknown }).Records;
  if (!Array.isArray(records) || records.length === 0)
    throw eventError('it has no Records (expected {"Records": [ … ]} with at least one record)');
  const arns = new Set(records.map((r: DynamoDBRecord) => r.eventSourceARN));
  if (arns.size !== 1 || typeof [...arns][0] !== 'string')
    throw eventError(
      `its records come from ${arns.size} streams (eventSourceARN); a tape holds the records of one stream`,
    );
  const streamArn = [...arns][0] as string;
  const tableName = TABLE_IN_ARN.exec(streamArn)?.[1];
  if (tableName === undefined)
    throw eventError(
      `eventSourceARN ${streamArn} is not a stream ARN (arn:aws:dynamodb:…:table/NAME/stream/LABEL)`,
    );
  const first = records[0] as DynamoDBRecord;
  const viewTypes = new Set(records.map((r: DynamoDBRecord) => r.dynamodb?.StreamViewType));
  if (viewTypes.size !== 1 || [...viewTypes][0] === undefined)
    throw eventError('its records do not share one dynamodb.StreamViewType');
  const keyNames = Object.keys(first.dynamodb?.Keys ?? {});
  if (options.keySchema === undefined && (keyNames.length < 1 || keyNames.length > 2))
    throw eventError('the first record has no dynamodb.Keys with 1 or 2 attributes; give keySchema');
  const keySchema =
    options.keySchema ??
    keyNames.map((AttributeName, i) => ({ AttributeName, KeyType: i === 0 ? 'HASH' : 'RANGE' }) as const);
  const region = streamArn.split(':')[3] || first.awsRegion || 'us-east-1';
  const startedAt = options.startedAt ?? new Date();
  const created = first.dynamodb?.ApproximateCreationDateTime;
  // AWS's shape: `shardId-` + creation time (20 digits) + `-` + 8 hex characters.
  const shardId =
    options.shardId ??
    `shardId-${String(Math.floor((created ?? 0) * 1000)).padStart(20, '0')}-${createHash('md5').update(streamArn).digest('hex').slice(0, 8)}`;
  const tapeRecords: TapeRecord[] = records.map((r: DynamoDBRecord) => {
    const {
      eventSourceARN: _arn,
      userIdentity,
      ...fields
    } = r as DynamoDBRecord & {
      userIdentity?: { type: string; principalId: string };
    };
    const record = {
      ...fields,
      ...(userIdentity === undefined
        ? {}
        : { userIdentity: { Type: userIdentity.type, PrincipalId: userIdentity.principalId } }),
    } as unknown as StreamRecord;
    return { type: 'record', shardId, record };
  });
  const shard: TapeShard = {
    type: 'shard',
    shardId,
    sequenceNumberRange: {
      ...(first.dynamodb?.SequenceNumber === undefined
        ? {}
        : { StartingSequenceNumber: first.dynamodb.SequenceNumber }),
    },
  };
  return {
    header: {
      type: 'header',
      format: TAPE_FORMAT,
      version: TAPE_VERSION,
      streamArn,
      region,
      tableName,
      keySchema,
      streamViewType: [...viewTypes][0] as StreamViewType,
      recording: {
        source: options.source ?? 'lambda-event',
        tool: options.tool ?? 'eddy',
        startedAt: startedAt.toISOString(),
      },
    },
    shards: [shard],
    records: tapeRecords,
  };
};

export type { LambdaEventImportOptions };
export { tapeFromLambdaEvent, tapeToLambdaEvent };
