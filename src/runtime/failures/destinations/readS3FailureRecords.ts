import { readdir, readFile, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { OnFailureRecord } from './onFailureRecord.js';
import { s3FailureKeyTime } from './s3FailureObject.js';

/**
 * One object of an S3 on-failure destination, read back: where it was, the failure record, and its records.
 *
 * @example
 * const redrive = ({ record, event }: S3FailureRecord) =>
 *   console.log(`${record.DDBStreamBatchInfo.shardId}: ${event.Records.length} records to process again`);
 */
interface S3FailureRecord {
  /** Where it was read: a file path, or `s3://<bucket>/<key>`. */
  readonly location: string;
  /** The on-failure record as stored, `payload` included. */
  readonly record: OnFailureRecord;
  /** The payload parsed: the invocation event with the discarded records, in stream order. */
  readonly event: DynamoDBStreamEvent;
}

/**
 * Options of {@link readS3FailureRecords}.
 *
 * @example
 * const options: ReadS3FailureRecordsOptions = { s3: new S3Client({ region: 'eu-west-1' }) };
 * readS3FailureRecords('s3://orders-failures/aws/lambda/', options);
 */
interface ReadS3FailureRecordsOptions {
  /** The client for an `s3://` source; by default one from the SDK's provider chain. */
  readonly s3?: S3Client;
}

/** An object to read: its key (for the time in its name and the order), and how to get its body. */
interface Found {
  readonly location: string;
  readonly time: number;
  readonly body: () => Promise<string>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A body as an on-failure record with its payload, or an error naming the object and what is wrong. */
const parseObject = (location: string, body: string): S3FailureRecord => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new Error(
      `${location}: not one JSON document, so not an S3 on-failure object (an NDJSON failures file holds SQS/SNS-style records, which carry no records to read)`,
    );
  }
  if (!isRecord(parsed) || !isRecord(parsed.DDBStreamBatchInfo) || typeof parsed.timestamp !== 'string') {
    throw new Error(
      `${location}: not an on-failure record of a DynamoDB stream (it needs timestamp and DDBStreamBatchInfo)`,
    );
  }
  // AWS writes the payload as an escaped JSON string; an object (as LocalStack writes it) is taken too.
  let payload: unknown = parsed.payload;
  if (typeof payload === 'string') {
    try {
      payload = JSON.parse(payload);
    } catch {
      throw new Error(`${location}: its payload is not the JSON of an invocation event`);
    }
  }
  if (!isRecord(payload) || !Array.isArray(payload.Records)) {
    throw new Error(
      `${location}: has no payload with Records; only S3 destinations keep the records (an SQS or SNS record holds only the shard and sequence-number range)`,
    );
  }
  return {
    location,
    record: parsed as unknown as OnFailureRecord,
    event: payload as unknown as DynamoDBStreamEvent,
  };
};

/** The objects in AWS's key layout under a local folder (or the one file given). */
const findLocal = async (source: string): Promise<Found[]> => {
  const info = await stat(source).catch(() => undefined);
  if (info === undefined) throw new Error(`${source}: no such file or folder of on-failure records`);
  if (info.isFile()) {
    return [{ location: source, time: 0, body: () => readFile(source, 'utf8') }];
  }
  const found: Found[] = [];
  for (const entry of await readdir(source, { recursive: true })) {
    const time = s3FailureKeyTime(entry.split(sep).join('/'));
    if (time === undefined) continue;
    const location = join(source, entry);
    found.push({ location, time, body: () => readFile(location, 'utf8') });
  }
  return found;
};

/** The objects in AWS's key layout under `s3://<bucket>/<prefix>`, every page of the listing. */
const findInBucket = async (source: string, client: S3Client): Promise<Found[]> => {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(source);
  if (match === null) throw new Error(`${source}: an S3 location is s3://<bucket>[/<prefix>]`);
  const [, bucket = '', prefix = ''] = match;
  const found: Found[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        ...(prefix === '' ? {} : { Prefix: prefix }),
        ...(token === undefined ? {} : { ContinuationToken: token }),
      }),
    );
    for (const { Key } of page.Contents ?? []) {
      const time = Key === undefined ? undefined : s3FailureKeyTime(Key);
      if (Key === undefined || time === undefined) continue;
      found.push({
        location: `s3://${bucket}/${Key}`,
        time,
        body: async () => {
          const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key }));
          return (await object.Body?.transformToString('utf8')) ?? '';
        },
      });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return found;
};

/**
 * Reads the objects of an S3 on-failure destination (AWS's layout,
 * `aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<Random UUID>`,
 * https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html) and yields each on-failure record
 * with its payload, oldest failure first: by the time in the key, then by the record's `timestamp` (milliseconds).
 * `source` is a local folder in that layout (what `eddy dev` writes under `.eddy/s3/<bucket>`; any folder
 * above the keys works), one such file, or `s3://<bucket>[/<prefix>]`. Files and keys outside the layout are
 * skipped; an object in the layout that is not an on-failure record with a payload is an error naming it.
 *
 * @example
 * for await (const { record, event } of readS3FailureRecords('.eddy/s3/orders-failures')) {
 *   console.log(record.DDBStreamBatchInfo.shardId, event.Records.length);
 * }
 * // or from the bucket itself:
 * readS3FailureRecords('s3://orders-failures/aws/lambda/', { s3: new S3Client({ region: 'us-east-1' }) });
 */
async function* readS3FailureRecords(
  source: string,
  options: ReadS3FailureRecordsOptions = {},
): AsyncGenerator<S3FailureRecord> {
  const found = source.startsWith('s3://')
    ? await findInBucket(source, options.s3 ?? new S3Client({ followRegionRedirects: true }))
    : await findLocal(source);
  found.sort((a, b) => a.time - b.time || (a.location < b.location ? -1 : 1));
  // Keys tell the second; the records of one second are read together and ordered by their timestamps.
  for (let start = 0; start < found.length; ) {
    let end = start + 1;
    while (end < found.length && found[end]?.time === found[start]?.time) end += 1;
    const group: S3FailureRecord[] = [];
    for (const object of found.slice(start, end)) {
      group.push(parseObject(object.location, await object.body()));
    }
    group.sort((a, b) => Date.parse(a.record.timestamp) - Date.parse(b.record.timestamp));
    yield* group;
    start = end;
  }
}

export type { ReadS3FailureRecordsOptions, S3FailureRecord };
export { readS3FailureRecords };
