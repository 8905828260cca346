import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { EventSourceMapping } from '../../../src/runtime/EventSourceMapping.js';
import { destinationFor } from '../../../src/runtime/failures/destinations/destinationFor.js';
import { LocalS3Destination } from '../../../src/runtime/failures/destinations/LocalS3Destination.js';
import { onFailureRecord } from '../../../src/runtime/failures/destinations/onFailureRecord.js';
import {
  readS3FailureRecords,
  type S3FailureRecord,
} from '../../../src/runtime/failures/destinations/readS3FailureRecords.js';
import { inProcessInvoker } from '../../../src/runtime/invocation/inProcessInvoker.js';
import { createStreamTable } from '../../helpers/createStreamTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { lambdaRecord } from '../../helpers/factories.js';
import { waitFor } from '../../helpers/waitFor.js';

/**
 * The S3 on-failure destination (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html):
 * a mapping that discards a batch writes AWS's object layout to local files, read back with the records; and
 * the real S3 client's PutObject, ListObjectsV2 and GetObject against a small HTTP endpoint that stores objects
 * as S3 does on the wire (path-style requests, ListBucketResult XML), so no SDK is mocked.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const collect = async (source: string, s3?: S3Client): Promise<S3FailureRecord[]> => {
  const out: S3FailureRecord[] = [];
  for await (const item of readS3FailureRecords(source, s3 === undefined ? {} : { s3 })) out.push(item);
  return out;
};

describe('a mapping with an S3 destination kept as local files', () => {
  it('writes the discarded batch with its records in AWS’s key layout, and readS3FailureRecords gives them back', async () => {
    const h: EmulatorHarness = await startHarness();
    cleanups.push(() => h.close());
    const root = await mkdtemp(join(tmpdir(), 'eddy-s3dest-'));
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    const streamArn = await createStreamTable(h.dynamodb, 'work', 'NEW_IMAGE', 'id');
    for (const id of ['ok-1', 'poison', 'ok-2']) {
      await h.dynamodb.send(new PutItemCommand({ TableName: 'work', Item: { id: { S: id } } }));
    }
    const invoked: DynamoDBStreamEvent[] = [];
    const mapping = new EventSourceMapping({
      mappingId: 'Worker-Stream',
      streamArn,
      client: h.streams,
      invoker: inProcessInvoker(
        async (event) => {
          invoked.push(event);
          if (event.Records.some((r) => r.dynamodb?.Keys?.id?.S === 'poison')) throw new Error('poison');
        },
        { functionName: 'worker' },
      ),
      onFailure: new LocalS3Destination(root, 'arn:aws:s3:::work-failures'),
      pollIntervalMs: 10,
      config: { StartingPosition: 'TRIM_HORIZON', BatchSize: 10, MaximumRetryAttempts: 0 },
    });
    cleanups.push(() => mapping.stop());
    mapping.start();
    await waitFor(() => mapping.metrics().total.OnFailureDestinationDeliveredEventCount === 3, 'the discard');

    const read = await collect(join(root, 'work-failures'));
    expect(read).toHaveLength(1);
    const [{ location, record, event }] = read as [S3FailureRecord];
    const shardId = record.DDBStreamBatchInfo.shardId;
    expect(location).toMatch(
      new RegExp(
        `work-failures[/\\\\]aws[/\\\\]lambda[/\\\\]Worker-Stream[/\\\\]${shardId}[/\\\\]\\d{4}[/\\\\]\\d{2}[/\\\\]\\d{2}[/\\\\]\\d{4}-\\d{2}-\\d{2}T\\d{2}\\.\\d{2}\\.\\d{2}-[0-9a-f-]{36}$`,
      ),
    );
    // MaximumRetryAttempts 0: one invocation, then the whole batch is discarded, its records in the payload.
    expect(invoked).toHaveLength(1);
    expect(event).toEqual({ Records: invoked[0]?.Records });
    expect(DynamoDBStreamSchema.safeParse(event).success).toBe(true);
    const sequence = (r: DynamoDBRecord | undefined) => r?.dynamodb?.SequenceNumber;
    expect(record.DDBStreamBatchInfo).toMatchObject({
      batchSize: 3,
      startSequenceNumber: sequence(event.Records[0]),
      endSequenceNumber: sequence(event.Records.at(-1)),
      streamArn,
    });
    expect(record.requestContext.condition).toBe('RetryAttemptsExhausted');
    expect(typeof record.payload).toBe('string');
  });
});

interface Stored {
  readonly key: string;
  readonly body: string;
  readonly contentType: string | undefined;
}

/** Buckets over HTTP as S3 answers path-style PutObject, ListObjectsV2 (one key a page) and GetObject. */
const fakeS3 = async () => {
  const objects: Stored[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://s3.local');
      const [, bucket = '', ...rest] = url.pathname.split('/');
      const key = decodeURIComponent(rest.join('/'));
      if (request.method === 'PUT') {
        objects.push({
          key: `${bucket}/${key}`,
          body: Buffer.concat(chunks).toString('utf8'),
          contentType: request.headers['content-type'],
        });
        response.writeHead(200, { ETag: '"e"' });
        response.end();
        return;
      }
      if (url.searchParams.get('list-type') === '2') {
        const prefix = `${bucket}/${url.searchParams.get('prefix') ?? ''}`;
        const keys = objects.map((o) => o.key).filter((k) => k.startsWith(prefix));
        const from = Number(url.searchParams.get('continuation-token') ?? '0');
        const page = keys.slice(from, from + 1).map((k) => k.slice(bucket.length + 1));
        const more = from + 1 < keys.length;
        response.writeHead(200, { 'Content-Type': 'application/xml' });
        response.end(
          '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
            `<Name>${bucket}</Name><KeyCount>${page.length}</KeyCount><MaxKeys>1</MaxKeys><IsTruncated>${more}</IsTruncated>` +
            page.map((k) => `<Contents><Key>${k}</Key><Size>1</Size></Contents>`).join('') +
            (more ? `<NextContinuationToken>${from + 1}</NextContinuationToken>` : '') +
            '</ListBucketResult>',
        );
        return;
      }
      const found = objects.find((o) => o.key === `${bucket}/${key}`);
      response.writeHead(found === undefined ? 404 : 200, { 'Content-Type': 'application/json' });
      response.end(found?.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const s3 = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  cleanups.push(async () => s3.destroy());
  return { objects, s3 };
};

const SHARD = 'shardId-00000001767225600000-abcdef01';
const failure = (now: number, records: DynamoDBRecord[]) =>
  onFailureRecord({
    requestId: `r-${now}`,
    functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
    condition: 'RetryAttemptsExhausted',
    approximateInvokeCount: 1,
    functionThrew: true,
    records,
    shardId: SHARD,
    streamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/2026-01-01T00:00:00.000',
    now,
  });

describe('S3Destination through the S3 client', () => {
  it('puts one JSON object per failure at AWS’s key, and readS3FailureRecords lists and gets them from s3://', async () => {
    const { objects, s3 } = await fakeS3();
    const destination = destinationFor('arn:aws:s3:::orders-failures', { s3 });
    const first = [lambdaRecord('INSERT', { pk: 'a' })];
    const second = [lambdaRecord('MODIFY', { pk: 'b' }), lambdaRecord('REMOVE', { pk: 'c' })];
    await destination.send(failure(Date.UTC(2026, 0, 2, 10, 0, 1), second), {
      mappingId: 'esm-1',
      records: second,
    });
    await destination.send(failure(Date.UTC(2026, 0, 2, 9, 59, 59), first), {
      mappingId: 'esm-1',
      records: first,
    });

    expect(objects).toHaveLength(2);
    expect(objects[0]?.key).toMatch(
      new RegExp(
        `^orders-failures/aws/lambda/esm-1/${SHARD}/2026/01/02/2026-01-02T10\\.00\\.01-[0-9a-f-]{36}$`,
      ),
    );
    expect(objects[0]?.contentType).toBe('application/json');
    const body = JSON.parse(objects[0]?.body ?? '{}') as { payload: string };
    expect(JSON.parse(body.payload)).toEqual({ Records: second });

    const read = await collect('s3://orders-failures/aws/lambda/', s3);
    expect(read.map((r) => r.event.Records.length)).toEqual([1, 2]);
    expect(read[0]?.location).toMatch(/^s3:\/\/orders-failures\/aws\/lambda\/esm-1\/.*T09\.59\.59-/);
    expect(await collect('s3://orders-failures/aws/lambda/other/', s3)).toEqual([]);
  });
});
