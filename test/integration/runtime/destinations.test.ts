import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { destinationFor } from '../../../src/runtime/failures/destinations/destinationFor.js';
import { onFailureRecord } from '../../../src/runtime/failures/destinations/onFailureRecord.js';

/**
 * SQS and SNS are not served by the emulator: a small HTTP endpoint answers as each service does on the wire
 * (SQS: AWS JSON 1.0 with the body's MD5, which the SDK checks; SNS: the query protocol's XML) and records what
 * it received, so the real SDK clients are exercised end to end.
 */
let server: Server | undefined;
afterEach(
  () => new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve()))),
);

const fakeService = async () => {
  const received: { target: string | undefined; body: string }[] = [];
  const listening = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      const target = request.headers['x-amz-target'] as string | undefined;
      received.push({ target, body });
      if (target === 'AmazonSQS.GetQueueUrl') {
        response.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify({ QueueUrl: 'http://sqs.local/000000000000/failures' }));
      } else if (target === 'AmazonSQS.SendMessage') {
        const message = (JSON.parse(body) as { MessageBody: string }).MessageBody;
        response.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.0' });
        response.end(
          JSON.stringify({
            MessageId: 'm-1',
            MD5OfMessageBody: createHash('md5').update(message).digest('hex'),
          }),
        );
      } else {
        response.writeHead(200, { 'Content-Type': 'text/xml' });
        response.end(
          '<PublishResponse><PublishResult><MessageId>m-2</MessageId></PublishResult></PublishResponse>',
        );
      }
    });
  });
  server = listening;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', () => resolve()));
  return { endpoint: `http://127.0.0.1:${(listening.address() as AddressInfo).port}`, received };
};

const record = onFailureRecord({
  requestId: 'r-1',
  functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
  condition: 'RetryAttemptsExhausted',
  approximateInvokeCount: 3,
  functionThrew: true,
  records: [
    {
      dynamodb: { SequenceNumber: '100000000000000000001', ApproximateCreationDateTime: 1767225600 },
    } as DynamoDBRecord,
  ],
  shardId: 'shardId-00000001767225600000-abcdef01',
  streamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026-01-01T00:00:00.000',
  now: Date.UTC(2026, 0, 1),
});
const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };

describe(destinationFor.name, () => {
  it('sends the failure record as the message body of an SQS queue named by its ARN', async () => {
    const { endpoint, received } = await fakeService();
    const destination = destinationFor('arn:aws:sqs:us-east-1:000000000000:failures', {
      sqs: new SQSClient({ endpoint, region: 'us-east-1', credentials }),
    });
    await destination.send(record);
    await destination.send(record);
    expect(received.map((r) => r.target)).toEqual([
      'AmazonSQS.GetQueueUrl',
      'AmazonSQS.SendMessage',
      'AmazonSQS.SendMessage',
    ]);
    expect(JSON.parse(received[0]?.body ?? '{}')).toEqual({
      QueueName: 'failures',
      QueueOwnerAWSAccountId: '000000000000',
    });
    const sent = JSON.parse(received[1]?.body ?? '{}') as { QueueUrl: string; MessageBody: string };
    expect(sent.QueueUrl).toBe('http://sqs.local/000000000000/failures');
    expect(JSON.parse(sent.MessageBody)).toEqual(record);
  });

  it('publishes the failure record to an SNS topic', async () => {
    const { endpoint, received } = await fakeService();
    const topic = 'arn:aws:sns:us-east-1:000000000000:failures';
    await destinationFor(topic, { sns: new SNSClient({ endpoint, region: 'us-east-1', credentials }) }).send(
      record,
    );
    const form = new URLSearchParams(received[0]?.body);
    expect(form.get('Action')).toBe('Publish');
    expect(form.get('TopicArn')).toBe(topic);
    expect(JSON.parse(form.get('Message') ?? '{}')).toEqual(record);
  });

  it('says which destinations it supports for anything else', () => {
    expect(() => destinationFor('arn:aws:kafka:us-east-1:000000000000:cluster/c/abc')).toThrow(
      /not an SQS queue, SNS topic or S3 bucket ARN/,
    );
    expect(() => destinationFor('arn:aws:s3:::bucket/prefix')).toThrow(/not an S3 bucket ARN/);
  });
});
