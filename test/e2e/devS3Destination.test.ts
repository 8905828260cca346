import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import {
  readS3FailureRecords,
  type S3FailureRecord,
} from '../../src/runtime/failures/destinations/readS3FailureRecords.js';
import { freePort, ROOT, runCli } from '../helpers/runCli.js';
import { waitFor } from '../helpers/waitFor.js';

// `eddy dev` with a SAM template whose mapping sends failures to an S3 bucket
// (DestinationConfig.OnFailure, Type S3: https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html):
// on the emulator the bucket's objects are files in AWS's key layout, where the startup output says.

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: orders
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
  FailuresBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: order-failures
  ProjectionFunction:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: esbuild
    Properties:
      Runtime: nodejs24.x
      Handler: failing.handler
      Events:
        Stream:
          Type: DynamoDB
          Properties:
            Stream: !GetAtt Orders.StreamArn
            StartingPosition: TRIM_HORIZON
            MaximumRetryAttempts: 0
            DestinationConfig:
              OnFailure:
                Type: S3
                Destination: !GetAtt FailuresBucket.Arn
`;

const FAILING = `export const handler = async () => {
  throw new Error('cannot project this order');
};
`;

const apps: string[] = [];
afterAll(async () => {
  for (const dir of apps) await rm(dir, { recursive: true, force: true });
});

const read = async (source: string): Promise<S3FailureRecord[]> => {
  const out: S3FailureRecord[] = [];
  for await (const item of readS3FailureRecords(source)) out.push(item);
  return out;
};

describe('eddy dev with an S3 on-failure destination', () => {
  it.each([
    { where: '.eddy/s3/<bucket> beside the template', stateDir: undefined },
    { where: '<state dir>/s3/<bucket> with --state-dir', stateDir: 'state' },
  ])(
    'writes the discarded batch as a file in AWS’s key layout under $where, as its startup line says',
    async ({ stateDir }) => {
      await mkdir(join(ROOT, '.eddy'), { recursive: true });
      const dir = await mkdtemp(join(ROOT, '.eddy', 'cli-s3-'));
      apps.push(dir);
      await writeFile(join(dir, 'template.yaml'), TEMPLATE);
      await writeFile(join(dir, 'failing.ts'), FAILING);
      const port = await freePort();
      const state = stateDir === undefined ? undefined : join(dir, stateDir);
      const dev = runCli([
        'dev',
        ...['--template', join(dir, 'template.yaml'), '--port', String(port)],
        ...(state === undefined ? [] : ['--state-dir', state]),
      ]);
      const s3Dir = state === undefined ? join('.eddy', 's3') : join(stateDir as string, 's3');
      const client = new DynamoDBClient({
        endpoint: `http://127.0.0.1:${port}`,
        region: 'us-east-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      });
      try {
        await dev.waitForOutput(/eddy dev: ready/, 60_000);
        expect(dev.output()).toContain(
          `ProjectionFunction ← Stream: BatchSize 100, TRIM_HORIZON, on failure → ${join(s3Dir, 'order-failures', 'aws', 'lambda', 'ProjectionFunction-Stream', '<shardId>', 'YYYY', 'MM', 'DD', '…')}`,
        );
        await client.send(
          new PutItemCommand({ TableName: 'orders', Item: { id: { S: 'order-1' }, total: { N: '3' } } }),
        );
        const bucket = join(dir, s3Dir, 'order-failures');
        await waitFor(async () => (await read(bucket).catch(() => [])).length === 1, 'the S3 object', 30_000);
        const [failure] = (await read(bucket)) as [S3FailureRecord];
        expect(failure.location).toContain(
          join(
            bucket,
            'aws',
            'lambda',
            'ProjectionFunction-Stream',
            failure.record.DDBStreamBatchInfo.shardId,
          ),
        );
        expect(failure.record.requestContext.condition).toBe('RetryAttemptsExhausted');
        expect(failure.record.responseContext.functionError).toBe('Unhandled');
        expect(DynamoDBStreamSchema.safeParse(failure.event).success).toBe(true);
        expect(failure.event.Records.map((r) => r.dynamodb?.NewImage)).toEqual([
          { id: { S: 'order-1' }, total: { N: '3' } },
        ]);
      } finally {
        client.destroy();
        expect(await dev.stop('SIGTERM')).toBe(0);
      }
    },
  );
});
