import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventSourceMapping } from '../../../src/runtime/EventSourceMapping.js';
import { inProcessInvoker } from '../../../src/runtime/invocation/inProcessInvoker.js';
import { ManualClock } from '../../../src/time/clock.js';
import { createStreamTable } from '../../helpers/createStreamTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { waitFor } from '../../helpers/waitFor.js';

let h: EmulatorHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('EventSourceMapping shard discovery after a failed listing', () => {
  it('lists again after the retry policy backoff on the injected clock, not after a whole discovery interval', async () => {
    const streamArn = await createStreamTable(h.dynamodb, 'discovery-retry', 'NEW_IMAGE');
    // The SDK's own retries off, so the emulator's injected 500 reaches the mapping.
    const client = new DynamoDBStreamsClient({
      endpoint: h.running.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    h.running.emulator.control.failNext('DescribeStream', 1, 'internalError');
    const clock = new ManualClock(Date.now());
    const errors: string[] = [];
    const mapping = new EventSourceMapping({
      mappingId: 'discovery-retry',
      streamArn,
      client,
      clock,
      config: { StartingPosition: 'TRIM_HORIZON' },
      invoker: inProcessInvoker(async () => undefined),
      discoveryIntervalMs: 60_000,
      metricsLogIntervalMs: 0,
      logger: {
        debug: () => undefined,
        info: () => undefined,
        warn: () => undefined,
        error: (message) => errors.push(message),
      },
    });
    mapping.start();
    try {
      await waitFor(() => errors.length === 1, 'the failed listing');
      expect(mapping.progress().shards).toBe(0);
      // TRANSIENT_RETRY's first backoff is at most 100 ms (full jitter), far below the 60 s interval.
      clock.advance(100);
      await waitFor(() => mapping.progress().shards === 1, 'the shard found by the second listing');
      expect(errors).toEqual(["could not list the stream's shards; retrying"]);
    } finally {
      await mapping.stop();
      client.destroy();
    }
  });
});
