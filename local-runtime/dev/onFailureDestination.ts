import { basename, dirname, join, relative } from 'node:path';
import { destinationFor } from '../../src/runtime/failures/destinations/destinationFor.js';
import { FileDestination } from '../../src/runtime/failures/destinations/FileDestination.js';
import { LocalS3Destination } from '../../src/runtime/failures/destinations/LocalS3Destination.js';
import type { OnFailureDestination } from '../../src/runtime/failures/destinations/OnFailureDestination.js';

/**
 * DestinationConfig.OnFailure: on the emulator there is no SQS, SNS or S3, so failure records go to a local NDJSON
 * file named after the queue or topic (`.eddy/failures/<name>.ndjson`, in a folder per region when several run),
 * and a bucket's objects to files in AWS's key layout under `s3Dir` (`<s3Dir>/<bucket>/aws/lambda/<mapping>/…`,
 * see LocalS3Destination; the mapping's name carries its region, so no region folder); against real streams, to
 * the real queue, topic or bucket through the AWS SDK.
 */
const onFailureDestination = (
  properties: Record<string, unknown>,
  where: { local: boolean; failuresDir: string; s3Dir?: string },
): OnFailureDestination | undefined => {
  const destination = (properties.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined)
    ?.OnFailure?.Destination;
  if (typeof destination !== 'string') return undefined;
  if (!where.local) return destinationFor(destination);
  if (destination.split(':')[2] === 's3') {
    return new LocalS3Destination(where.s3Dir ?? join(where.failuresDir, '..', 's3'), destination);
  }
  const name = destination.split(':').at(-1) ?? 'failures';
  return new FileDestination(join(where.failuresDir, `${name}.ndjson`));
};

/**
 * A failures file as the console shows it: relative to the template when under its folder, its region folder
 * as `<region>`.
 */
const shownFile = (file: string, templatePath: string, multiRegion: boolean): string => {
  const near = relative(join(templatePath, '..'), file);
  const shown = near.startsWith('..') ? file : near;
  return multiRegion ? join(dirname(dirname(shown)), '<region>', basename(shown)) : shown;
};

/**
 * Where the console says a mapping's failure records go: a file as `shownFile` shows it, a local bucket as the
 * key layout its objects take (`.eddy/s3/<bucket>/aws/lambda/<mapping>/<shardId>/YYYY/MM/DD/…`), else the ARN.
 */
const shownDestination = (
  onFailure: OnFailureDestination,
  at: { local: boolean; templatePath: string; multiRegion: boolean; mapping: string },
): string => {
  if (!at.local) return onFailure.destination;
  if (!(onFailure instanceof LocalS3Destination)) {
    return shownFile(onFailure.destination, at.templatePath, at.multiRegion);
  }
  const bucket = shownFile(onFailure.destination, at.templatePath, false);
  return join(bucket, 'aws', 'lambda', at.mapping, '<shardId>', 'YYYY', 'MM', 'DD', '…');
};

export { onFailureDestination, shownDestination, shownFile };
