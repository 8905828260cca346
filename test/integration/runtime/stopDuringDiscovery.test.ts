import { DescribeStreamCommand, type DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventSourceMapping } from '../../../src/runtime/EventSourceMapping.js';
import { inProcessInvoker } from '../../../src/runtime/invocation/inProcessInvoker.js';
import { createStreamTable } from '../../helpers/createStreamTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { waitFor } from '../../helpers/waitFor.js';

let h: EmulatorHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('EventSourceMapping.stop', () => {
  it('resolves when it comes while shard discovery is listing the shards', async () => {
    const streamArn = await createStreamTable(h.dynamodb, 'stop-race', 'NEW_IMAGE');
    // A streams client whose DescribeStream can be held: discovery is then mid-listing when stop() comes.
    let hold: Promise<void> | undefined;
    let release: () => void = () => undefined;
    let listings = 0;
    const client = new Proxy(h.streams, {
      get(target, property, receiver) {
        if (property !== 'send') return Reflect.get(target, property, receiver);
        return async (command: unknown) => {
          if (command instanceof DescribeStreamCommand) {
            listings += 1;
            if (hold !== undefined) await hold;
          }
          return target.send(command as never);
        };
      },
    }) as DynamoDBStreamsClient;
    let invocations = 0;
    const mapping = new EventSourceMapping({
      mappingId: 'stop-race',
      streamArn,
      client,
      config: { StartingPosition: 'TRIM_HORIZON' },
      invoker: inProcessInvoker(async () => {
        invocations += 1;
      }),
      pollIntervalMs: 10,
      discoveryIntervalMs: 20,
    });
    mapping.start();
    await waitFor(() => listings >= 2, 'discovery to run twice');
    hold = new Promise((resolve) => {
      release = resolve;
    });
    const before = listings;
    await waitFor(() => listings > before, 'discovery to be held mid-listing');
    let stopped = false;
    void mapping.stop().then(() => {
      stopped = true;
    });
    // The shard's consumer stops at once; then the held listing returns and finds the shard without one.
    await waitFor(() => mapping.progress().shards === 0, "the shard's consumer to stop");
    release();
    await waitFor(() => stopped, 'stop() to resolve once the held listing has returned');
    expect(invocations).toBe(0);
  });
});
