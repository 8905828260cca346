import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { failedRangesInFile, failedRangesInQueue } from '../../../src/redrive/readFailureRecords.js';
import { FileDestination } from '../../../src/runtime/failures/destinations/FileDestination.js';
import { onFailureRecord } from '../../../src/runtime/failures/destinations/onFailureRecord.js';

const STREAM = 'arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/2026-01-01T00:00:00.000';
const failure = (n: number) =>
  onFailureRecord({
    requestId: `req-${n}`,
    functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:orders',
    condition: 'RetryAttemptsExhausted',
    approximateInvokeCount: 1,
    functionThrew: true,
    records: [
      {
        dynamodb: {
          SequenceNumber: `4${String(n).padStart(20, '0')}`,
          ApproximateCreationDateTime: 1_767_225_600,
        },
      },
    ],
    shardId: 'shardId-1',
    streamArn: STREAM,
    now: 1_767_225_601_000,
  });

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

describe('failure records from where the destinations put them', () => {
  it('reads the file FileDestination writes, naming each range by file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eddy-redrive-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'failures.jsonl');
    const destination = new FileDestination(path);
    await destination.send(failure(1));
    await destination.send(failure(2));
    const ranges = await failedRangesInFile(path);
    expect(ranges.map((r) => [r.from, r.startSequenceNumber, r.requestId])).toEqual([
      [`${path}:1`, '400000000000000000001', 'req-1'],
      [`${path}:2`, '400000000000000000002', 'req-2'],
    ]);
    writeFileSync(path, `${JSON.stringify(failure(1))}\n{"Records":[]}\n`);
    await expect(failedRangesInFile(path)).rejects.toThrow(`${path}:2: no DDBStreamBatchInfo`);
  });

  it("receives an SQS queue's messages (plain and SNS-wrapped) and deletes each once it is done", async () => {
    // A minimal SQS endpoint speaking the AWS JSON 1.0 protocol the SDK uses: it serves two messages once.
    const queue = [
      { MessageId: 'm1', ReceiptHandle: 'h1', Body: JSON.stringify(failure(1)) },
      {
        MessageId: 'm2',
        ReceiptHandle: 'h2',
        Body: JSON.stringify({ Type: 'Notification', Message: JSON.stringify(failure(2)) }),
      },
    ];
    const deleted: string[] = [];
    const server: Server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on('end', () => {
        const target = String(request.headers['x-amz-target']);
        const input = JSON.parse(body) as { ReceiptHandle?: string };
        response.setHeader('content-type', 'application/x-amz-json-1.0');
        // With each body its MD5, as SQS sends it (the SDK checks it).
        const md5 = (text: string) => createHash('md5').update(text).digest('hex');
        if (target === 'AmazonSQS.ReceiveMessage') {
          response.end(
            JSON.stringify({ Messages: queue.splice(0).map((m) => ({ ...m, MD5OfBody: md5(m.Body) })) }),
          );
        } else if (target === 'AmazonSQS.DeleteMessage') {
          deleted.push(input.ReceiptHandle ?? '');
          response.end('{}');
        } else {
          response.statusCode = 400;
          response.end(JSON.stringify({ __type: 'com.amazonaws.sqs#InvalidAction', message: target }));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => server.close());
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new SQSClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    cleanup.push(() => client.destroy());
    const queueUrl = `${endpoint}/000000000000/orders-dlq`;
    const received = await failedRangesInQueue(client, queueUrl);
    expect(received.map(({ range }) => [range.requestId, range.from])).toEqual([
      ['req-1', `${queueUrl} message m1`],
      ['req-2', `${queueUrl} message m2`],
    ]);
    expect(deleted).toEqual([]);
    for (const { done } of received) await done();
    expect(deleted).toEqual(['h1', 'h2']);
  });
});
