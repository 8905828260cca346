import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalS3Destination } from '../../../../../../src/runtime/failures/destinations/LocalS3Destination.js';
import { onFailureRecord } from '../../../../../../src/runtime/failures/destinations/onFailureRecord.js';
import { readS3FailureRecords } from '../../../../../../src/runtime/failures/destinations/readS3FailureRecords.js';
import { lambdaRecord } from '../../../../../helpers/factories.js';

const SHARD = 'shardId-00000001767225600000-abcdef01';
const STREAM = 'arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/2026-01-01T00:00:00.000';

const failureAt = (now: number, records: DynamoDBRecord[], shardId = SHARD) =>
  onFailureRecord({
    requestId: `r-${now}`,
    functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
    condition: 'RetryAttemptsExhausted',
    approximateInvokeCount: 1,
    functionThrew: true,
    records,
    shardId,
    streamArn: STREAM,
    now,
  });

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'eddy-s3-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

const collect = async (source: string) => {
  const out = [];
  for await (const item of readS3FailureRecords(source)) out.push(item);
  return out;
};

describe(LocalS3Destination.name, () => {
  it("writes each failure as a file at <root>/<bucket>/<AWS's key>, read back in failure order with the records", async () => {
    let n = 0;
    const destination = new LocalS3Destination(root, 'arn:aws:s3:::orders-failures', {
      randomId: () => `id-${n++}`,
    });
    expect(destination.destination).toBe(join(root, 'orders-failures'));
    const [a, b, c] = [
      lambdaRecord('INSERT', { pk: 'a' }),
      lambdaRecord('INSERT', { pk: 'b' }),
      lambdaRecord('REMOVE', { pk: 'c' }),
    ];
    const t0 = Date.UTC(2026, 0, 2, 3, 4, 5, 900);
    // Written out of order, and two in the same second whose random ids sort against their times.
    await destination.send(failureAt(t0 + 2_000, [c as DynamoDBRecord], 'shardId-2'), {
      mappingId: 'Fn-Stream',
      records: [c as DynamoDBRecord],
    });
    await destination.send(failureAt(t0 + 50, [b as DynamoDBRecord]), {
      mappingId: 'Fn-Stream',
      records: [b as DynamoDBRecord],
    });
    await destination.send(failureAt(t0, [a as DynamoDBRecord]), {
      mappingId: 'Fn-Stream',
      records: [a as DynamoDBRecord],
    });

    const folder = join(root, 'orders-failures', 'aws', 'lambda', 'Fn-Stream', SHARD, '2026', '01', '02');
    expect((await readdir(folder)).sort()).toEqual(['2026-01-02T03.04.05-id-1', '2026-01-02T03.04.05-id-2']);
    const stored = JSON.parse(await readFile(join(folder, '2026-01-02T03.04.05-id-2'), 'utf8'));
    expect(JSON.parse(stored.payload)).toEqual({ Records: [a] });

    const read = await collect(join(root, 'orders-failures'));
    expect(read.map((r) => r.event.Records[0]?.dynamodb?.Keys)).toEqual(
      [a, b, c].map((r) => r?.dynamodb?.Keys),
    );
    expect(read.map((r) => r.record.timestamp)).toEqual(
      [t0, t0 + 50, t0 + 2_000].map((t) => new Date(t).toISOString()),
    );
    expect(read[2]?.location).toContain(
      join('Fn-Stream', 'shardId-2', '2026', '01', '02', '2026-01-02T03.04.07-id-0'),
    );
    // The root of all buckets works as well as one file.
    expect(await collect(root)).toHaveLength(3);
    expect(await collect(read[0]?.location as string)).toHaveLength(1);
  });

  it('needs the discarded records, and a bucket ARN', async () => {
    const destination = new LocalS3Destination(root, 'arn:aws:s3:::b');
    await expect(destination.send(failureAt(0, []))).rejects.toThrow(/carries the discarded records/);
    expect(() => new LocalS3Destination(root, 'arn:aws:sqs:us-east-1:000000000000:q')).toThrow(
      /not an S3 bucket ARN/,
    );
  });
});

describe(readS3FailureRecords.name, () => {
  it('skips files outside the layout and names an object in it that is not an on-failure record with a payload', async () => {
    const day = join(root, 'aws', 'lambda', 'm', SHARD, '2026', '01', '02');
    await mkdir(day, { recursive: true });
    await writeFile(join(root, 'README.txt'), 'not a record');
    expect(await collect(root)).toEqual([]);
    const sqsShaped = failureAt(Date.UTC(2026, 0, 2), [lambdaRecord('INSERT', { pk: 'a' })]);
    await writeFile(join(day, '2026-01-02T00.00.00-x'), JSON.stringify(sqsShaped));
    await expect(collect(root)).rejects.toThrow(/2026-01-02T00\.00\.00-x: has no payload with Records/);
    await writeFile(join(day, '2026-01-02T00.00.00-x'), '{');
    await expect(collect(root)).rejects.toThrow(/not one JSON document, so not an S3 on-failure object/);
    await expect(collect(join(root, 'missing'))).rejects.toThrow(/no such file or folder/);
  });

  it('takes a payload stored as an object, as LocalStack writes it', async () => {
    const day = join(root, 'aws', 'lambda', 'm', SHARD, '2026', '01', '02');
    await mkdir(day, { recursive: true });
    const records = [lambdaRecord('INSERT', { pk: 'a' })];
    await writeFile(
      join(day, '2026-01-02T00.00.00-x'),
      JSON.stringify({ ...failureAt(Date.UTC(2026, 0, 2), records), payload: { Records: records } }),
    );
    expect((await collect(root))[0]?.event).toEqual({ Records: records });
  });
});
