import type { DiscardedBatch } from './OnFailureDestination.js';
import type { OnFailureRecord } from './onFailureRecord.js';

/**
 * What Lambda writes to an S3 on-failure destination for a stream source, as documented in
 * https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html (and, for Kinesis, in
 * https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html):
 * - the key is `aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<Random UUID>`;
 * - the body is the invocation record SQS and SNS get, plus `payload`: "the original invocation record as an
 *   escaped JSON string".
 * The content type is not documented; `application/json` is what the body is.
 * Lambda needs `s3:PutObject` and `s3:ListBucket` on the bucket in the function's execution role (and
 * `kms:GenerateDataKey` for a bucket encrypted with a customer managed key); AWS advises a condition on
 * `s3:ResourceAccount` so records never go to a same-named bucket in another account.
 */
const S3_FAILURE_CONTENT_TYPE = 'application/json';

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * The object key AWS documents for an on-failure record (times in UTC, to the second).
 *
 * @example
 * s3FailureObjectKey({ mappingId: '14e0db71-5d35-4eb5-b481-8945cf9d10c2', shardId, at: Date.UTC(2019, 10, 14, 0, 13, 49), id });
 * // 'aws/lambda/14e0db71-…/shardId-…/2019/11/14/2019-11-14T00.13.49-<id>'
 */
const s3FailureObjectKey = (input: {
  readonly mappingId: string;
  readonly shardId: string;
  /** Epoch ms of the failure. */
  readonly at: number;
  /** The random UUID that ends the key. */
  readonly id: string;
}): string => {
  const t = new Date(input.at);
  const [y, m, d] = [t.getUTCFullYear(), two(t.getUTCMonth() + 1), two(t.getUTCDate())];
  const time = `${two(t.getUTCHours())}.${two(t.getUTCMinutes())}.${two(t.getUTCSeconds())}`;
  return `aws/lambda/${input.mappingId}/${input.shardId}/${y}/${m}/${d}/${y}-${m}-${d}T${time}-${input.id}`;
};

/** A key in AWS's layout, anywhere under a prefix: the mapping, the shard, the date and the file name's time. */
const S3_FAILURE_KEY =
  /(?:^|\/)aws\/lambda\/([^/]+)\/([^/]+)\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{4})-(\d{2})-(\d{2})T(\d{2})\.(\d{2})\.(\d{2})-[^/]+$/;

/**
 * The time (epoch ms, to the second) in a key of AWS's layout, or undefined when the key is not one.
 *
 * @example
 * s3FailureKeyTime('aws/lambda/m/shardId-1/2019/11/14/2019-11-14T00.13.49-x'); // Date.UTC(2019, 10, 14, 0, 13, 49)
 */
const s3FailureKeyTime = (key: string): number | undefined => {
  const match = S3_FAILURE_KEY.exec(key);
  if (match === null) return undefined;
  const [, , , , , , y, mo, d, h, mi, s] = match.map(Number) as number[];
  return Date.UTC(y as number, (mo as number) - 1, d, h, mi, s);
};

/**
 * The key and body of the S3 object for one on-failure record: the record with `payload` set to the event
 * that carries exactly the discarded records (`{ Records: [...] }`, the records `DDBStreamBatchInfo` ranges
 * over), so they can be redriven without reading the stream again.
 *
 * @example
 * const { key, body } = s3FailureObject(record, { mappingId, records }, randomUUID());
 */
const s3FailureObject = (
  record: OnFailureRecord,
  batch: DiscardedBatch,
  id: string,
): { readonly key: string; readonly body: string } => {
  const key = s3FailureObjectKey({
    mappingId: batch.mappingId,
    shardId: record.DDBStreamBatchInfo.shardId,
    at: Date.parse(record.timestamp),
    id,
  });
  const withPayload: OnFailureRecord = {
    ...record,
    payload: JSON.stringify({ Records: batch.records }),
  };
  return { key, body: JSON.stringify(withPayload) };
};

export { S3_FAILURE_CONTENT_TYPE, s3FailureKeyTime, s3FailureObject, s3FailureObjectKey };
