import { randomUUID } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DiscardedBatch, OnFailureDestination } from './OnFailureDestination.js';
import type { OnFailureRecord } from './onFailureRecord.js';
import { S3_FAILURE_CONTENT_TYPE, s3FailureObject } from './s3FailureObject.js';

/** The bucket an `arn:<partition>:s3:::<bucket>` names; a clear error for anything else. */
const bucketOf = (bucketArn: string): string => {
  const match = /^arn:[^:]+:s3:::([^/:]+)$/.exec(bucketArn);
  if (match === null) {
    throw new Error(
      `DestinationConfig.OnFailure.Destination: ${bucketArn} is not an S3 bucket ARN (arn:aws:s3:::<bucket>, no key or prefix)`,
    );
  }
  return match[1] as string;
};

/** A destination for S3 objects needs the records themselves: the runtime passes them, a bare `send` cannot. */
const needsBatch = (destination: string): Error =>
  new Error(
    `on-failure destination ${destination}: an S3 object carries the discarded records as its payload; ` +
      'send(record, { mappingId, records }) with them',
  );

/**
 * An S3 bucket as on-failure destination, as Lambda uses one for stream sources: one object per failure record
 * at `aws/lambda/<mapping>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<random UUID>`, holding the record and,
 * as `payload`, the invocation event of the discarded records
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html). Where AWS puts the event source
 * mapping's UUID this puts the mapping's `mappingId`. `readS3FailureRecords` reads the objects back.
 *
 * @example
 * const onFailure = new S3Destination(new S3Client({ region: 'us-east-1' }), 'arn:aws:s3:::orders-failures');
 * new EventSourceMapping({ ...options, onFailure });
 */
class S3Destination implements OnFailureDestination {
  readonly destination: string;
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #randomId: () => string;

  constructor(client: S3Client, bucketArn: string, options: { readonly randomId?: () => string } = {}) {
    this.#bucket = bucketOf(bucketArn);
    this.#client = client;
    this.destination = bucketArn;
    this.#randomId = options.randomId ?? randomUUID;
  }

  async send(record: OnFailureRecord, batch?: DiscardedBatch): Promise<void> {
    if (batch === undefined) throw needsBatch(this.destination);
    const { key, body } = s3FailureObject(record, batch, this.#randomId());
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: key,
        Body: body,
        ContentType: S3_FAILURE_CONTENT_TYPE,
      }),
    );
  }
}

export { bucketOf, needsBatch, S3Destination };
