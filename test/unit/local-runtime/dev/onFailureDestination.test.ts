import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  onFailureDestination,
  shownDestination,
  shownFile,
} from '../../../../local-runtime/dev/onFailureDestination.js';
import { LocalS3Destination } from '../../../../src/runtime/failures/destinations/LocalS3Destination.js';
import { S3Destination } from '../../../../src/runtime/failures/destinations/S3Destination.js';

const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:orders-dlq';
const config = (destination: unknown) => ({ DestinationConfig: { OnFailure: { Destination: destination } } });

describe('onFailureDestination', () => {
  it('writes to a file named after the queue when local', () => {
    const destination = onFailureDestination(config(QUEUE), {
      local: true,
      failuresDir: '/app/.eddy/failures',
    });
    expect(destination?.destination).toBe(join('/app/.eddy/failures', 'orders-dlq.ndjson'));
  });

  it('sends to the queue itself against AWS', () => {
    expect(onFailureDestination(config(QUEUE), { local: false, failuresDir: '/x' })?.destination).toBe(QUEUE);
  });

  it('has none without a Destination', () => {
    expect(onFailureDestination({}, { local: true, failuresDir: '/x' })).toBeUndefined();
    expect(onFailureDestination(config(undefined), { local: true, failuresDir: '/x' })).toBeUndefined();
  });
});

describe('shownFile', () => {
  it("shows a file under the template's folder relative to it, and its region folder as <region>", () => {
    const file = '/app/.eddy/failures/eu-west-1/orders-dlq.ndjson';
    expect(shownFile('/app/.eddy/failures/orders-dlq.ndjson', '/app/template.yaml', false)).toBe(
      join('.eddy', 'failures', 'orders-dlq.ndjson'),
    );
    expect(shownFile(file, '/app/template.yaml', true)).toBe(
      join('.eddy', 'failures', '<region>', 'orders-dlq.ndjson'),
    );
    expect(shownFile('/elsewhere/f.ndjson', '/app/template.yaml', false)).toBe('/elsewhere/f.ndjson');
  });
});

describe('onFailureDestination for an S3 bucket', () => {
  const BUCKET = 'arn:aws:s3:::order-failures';

  it("keeps the bucket's objects as files under s3Dir locally, and says where in AWS's key layout", () => {
    const destination = onFailureDestination(config(BUCKET), {
      local: true,
      failuresDir: '/app/.eddy/failures',
      s3Dir: '/state/s3',
    });
    expect(destination).toBeInstanceOf(LocalS3Destination);
    expect(destination?.destination).toBe(join('/state/s3', 'order-failures'));
    const shown = shownDestination(destination as LocalS3Destination, {
      local: true,
      templatePath: '/app/template.yaml',
      multiRegion: false,
      mapping: 'Fn-Stream',
    });
    expect(shown).toBe(
      join('/state/s3', 'order-failures', 'aws', 'lambda', 'Fn-Stream', '<shardId>', 'YYYY', 'MM', 'DD', '…'),
    );
  });

  it('puts the bucket beside the failures folder without s3Dir', () => {
    expect(
      onFailureDestination(config(BUCKET), { local: true, failuresDir: '/app/.eddy/failures' })?.destination,
    ).toBe(join('/app/.eddy/s3', 'order-failures'));
  });

  it('puts objects in the bucket itself against AWS', () => {
    const destination = onFailureDestination(config(BUCKET), { local: false, failuresDir: '/x' });
    expect(destination).toBeInstanceOf(S3Destination);
    expect(
      shownDestination(destination as S3Destination, {
        local: false,
        templatePath: '/app/template.yaml',
        multiRegion: false,
        mapping: 'Fn-Stream',
      }),
    ).toBe(BUCKET);
  });
});
