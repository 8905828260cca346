import type { OnFailureRecord } from '../runtime/failures/destinations/onFailureRecord.js';

/**
 * A failure record that is not one Lambda writes for a DynamoDB stream: where it was read and what is wrong.
 *
 * @example
 * try { parseFailureRecord(line, 'failures.jsonl:4'); } catch (e) { if (e instanceof FailureRecordError) console.error(e.message); }
 */
class FailureRecordError extends Error {
  readonly from: string;

  constructor(from: string, problem: string) {
    super(`${from}: ${problem}`);
    this.name = 'FailureRecordError';
    this.from = from;
  }
}

const SEQUENCE = /^\d{21,40}$/;

/**
 * Reads one on-failure record from the text a destination holds: the record's JSON as Lambda writes it to a
 * file, an SQS message body, or an SNS notification delivered to SQS (`{"Type":"Notification","Message":"…"}`,
 * whose `Message` is the record; https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html).
 * An S3 object's record also carries `payload` (the batch), which is ignored here: redrive reads the stream.
 *
 * @example
 * const record = parseFailureRecord(message.Body ?? '', `message ${message.MessageId}`);
 */
const parseFailureRecord = (text: string, from: string): OnFailureRecord => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new FailureRecordError(from, 'not JSON');
  }
  const envelope = value as { Type?: unknown; Message?: unknown };
  if (envelope?.Type === 'Notification' && typeof envelope.Message === 'string') {
    return parseFailureRecord(envelope.Message, `${from} (SNS message)`);
  }
  const record = value as Partial<OnFailureRecord> | null;
  const info = record?.DDBStreamBatchInfo;
  if (typeof info !== 'object' || info === null) {
    throw new FailureRecordError(
      from,
      'no DDBStreamBatchInfo: not an on-failure record of a DynamoDB stream event source mapping',
    );
  }
  const problems: string[] = [];
  const text_ = (name: keyof typeof info) => {
    if (typeof info[name] !== 'string' || info[name] === '')
      problems.push(`DDBStreamBatchInfo.${name} is missing`);
  };
  text_('streamArn');
  text_('shardId');
  for (const name of ['startSequenceNumber', 'endSequenceNumber'] as const) {
    if (typeof info[name] !== 'string' || !SEQUENCE.test(info[name])) {
      problems.push(`DDBStreamBatchInfo.${name} is not a sequence number (21 to 40 digits)`);
    }
  }
  for (const name of ['approximateArrivalOfFirstRecord', 'approximateArrivalOfLastRecord'] as const) {
    if (typeof info[name] !== 'string' || Number.isNaN(Date.parse(info[name]))) {
      problems.push(`DDBStreamBatchInfo.${name} is not a time`);
    }
  }
  if (!Number.isInteger(info.batchSize) || (info.batchSize as number) < 1) {
    problems.push('DDBStreamBatchInfo.batchSize is not a whole number ≥ 1');
  }
  if (typeof record?.requestContext?.requestId !== 'string')
    problems.push('requestContext.requestId is missing');
  if (problems.length > 0) throw new FailureRecordError(from, problems.join('; '));
  return record as OnFailureRecord;
};

export { FailureRecordError, parseFailureRecord };
