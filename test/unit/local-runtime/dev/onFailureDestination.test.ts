import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onFailureDestination, shownFile } from '../../../../local-runtime/dev/onFailureDestination.js';

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
