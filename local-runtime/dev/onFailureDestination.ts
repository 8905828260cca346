import { basename, dirname, join, relative } from 'node:path';
import { destinationFor } from '../../src/runtime/failures/destinations/destinationFor.js';
import { FileDestination } from '../../src/runtime/failures/destinations/FileDestination.js';
import type { OnFailureDestination } from '../../src/runtime/failures/destinations/OnFailureDestination.js';

/**
 * DestinationConfig.OnFailure: on the emulator there is no SQS or SNS, so failure records go to a local NDJSON
 * file named after the destination (`.eddy/failures/<name>.ndjson`, in a folder per region when several run);
 * against real streams, to the real queue or topic through the AWS SDK.
 */
const onFailureDestination = (
  properties: Record<string, unknown>,
  where: { local: boolean; failuresDir: string },
): OnFailureDestination | undefined => {
  const destination = (properties.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined)
    ?.OnFailure?.Destination;
  if (typeof destination !== 'string') return undefined;
  if (!where.local) return destinationFor(destination);
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

export { onFailureDestination, shownFile };
