import { randomUUID } from 'node:crypto';
import { mkdir, open, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { DiscardedBatch, OnFailureDestination } from './OnFailureDestination.js';
import type { OnFailureRecord } from './onFailureRecord.js';
import { bucketOf, needsBatch } from './S3Destination.js';
import { s3FailureObject } from './s3FailureObject.js';

/**
 * An S3 on-failure destination kept on the local disk: each object Lambda would put in the bucket is a file at
 * `<root>/<bucket>/<key>`, with the key in AWS's layout
 * (`aws/lambda/<mapping>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<random UUID>`,
 * https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html) and the same body as
 * `S3Destination` writes. `eddy dev` uses it for a bucket destination on the emulator; `readS3FailureRecords`
 * reads the folder back. A file is written and flushed before `send` resolves.
 *
 * @example
 * const onFailure = new LocalS3Destination('.eddy/s3', 'arn:aws:s3:::orders-failures');
 * // writes .eddy/s3/orders-failures/aws/lambda/<mappingId>/<shardId>/2026/01/01/2026-01-01T00.00.00-<uuid>
 */
class LocalS3Destination implements OnFailureDestination {
  /** The bucket's folder, `<root>/<bucket>`. */
  readonly destination: string;
  readonly #randomId: () => string;

  constructor(root: string, bucketArn: string, options: { readonly randomId?: () => string } = {}) {
    this.destination = join(root, bucketOf(bucketArn));
    this.#randomId = options.randomId ?? randomUUID;
  }

  async send(record: OnFailureRecord, batch?: DiscardedBatch): Promise<void> {
    if (batch === undefined) throw needsBatch(this.destination);
    const { key, body } = s3FailureObject(record, batch, this.#randomId());
    const path = join(this.destination, ...key.split('/'));
    await mkdir(dirname(path), { recursive: true });
    // Written aside and renamed, so a reader never sees half an object (the dot name is outside AWS's layout).
    const partial = join(dirname(path), `.${basename(path)}.partial`);
    const file = await open(partial, 'w');
    try {
      await file.writeFile(body);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(partial, path);
  }
}

export { LocalS3Destination };
