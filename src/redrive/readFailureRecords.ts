import { readFile } from 'node:fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { readS3FailureRecords } from '../runtime/failures/destinations/readS3FailureRecords.js';
import { type FailedRange, failedRangeOf } from './FailedRange.js';
import { parseFailureRecord } from './parseFailureRecord.js';

/**
 * The failed ranges of an on-failure file as `FileDestination` writes it (`eddy dev`'s local destination):
 * one record per line. A line that is not a failure record stops the reading with its file and line.
 *
 * @example
 * const ranges = await failedRangesInFile('.eddy/failures/OrdersProjection.jsonl');
 */
const failedRangesInFile = async (path: string): Promise<FailedRange[]> => {
  const text = await readFile(path, 'utf8');
  const ranges: FailedRange[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    const from = `${path}:${i + 1}`;
    ranges.push(failedRangeOf(parseFailureRecord(line, from), from));
  }
  return ranges;
};

/**
 * A queue's messages, received until the queue answers with none: each a failed range, with a function that
 * deletes the message (call it once the range is redriven, so a redrive that stops half-way can run again).
 * Messages stay invisible to other readers for `visibilityTimeoutSeconds` meanwhile.
 *
 * @example
 * for (const { range, done } of await failedRangesInQueue(new SQSClient({}), queueUrl)) {
 *   await redriveOne(range);
 *   await done();
 * }
 */
const failedRangesInQueue = async (
  client: SQSClient,
  queueUrl: string,
  options: { readonly visibilityTimeoutSeconds?: number } = {},
): Promise<{ readonly range: FailedRange; readonly done: () => Promise<void> }[]> => {
  const out: { range: FailedRange; done: () => Promise<void> }[] = [];
  for (;;) {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: options.visibilityTimeoutSeconds ?? 900,
      }),
    );
    if (Messages.length === 0) return out;
    for (const message of Messages) {
      const from = `${queueUrl} message ${message.MessageId ?? '?'}`;
      const range = failedRangeOf(parseFailureRecord(message.Body ?? '', from), from);
      out.push({
        range,
        done: async () => {
          await client.send(
            new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
          );
        },
      });
    }
  }
};

/**
 * The failed ranges of an S3 on-failure destination (a folder in its key layout, as `eddy dev` writes it, or an
 * `s3://bucket/prefix`), each with its records from the object's payload, so they are redriven without going
 * back to the stream (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html).
 *
 * @example
 * const ranges = await failedRangesInS3('.eddy/s3/order-failures');
 */
const failedRangesInS3 = async (source: string, s3?: S3Client): Promise<FailedRange[]> => {
  const ranges: FailedRange[] = [];
  for await (const { location, record, event } of readS3FailureRecords(
    source,
    s3 === undefined ? {} : { s3 },
  )) {
    ranges.push({ ...failedRangeOf(record, location), records: event.Records });
  }
  return ranges;
};

export { failedRangesInFile, failedRangesInQueue, failedRangesInS3 };
