import { CreateTableCommand, DescribeTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventSourceMapping } from '../../../src/runtime/EventSourceMapping.js';
import { inProcessInvoker } from '../../../src/runtime/invocation/inProcessInvoker.js';
import { type Clock, ManualClock } from '../../../src/time/clock.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { countPolls } from '../../helpers/mappingIdle.js';
import { waitFor } from '../../helpers/waitFor.js';

// Lambda polls each shard four times a second (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html):
// 2400 GetRecords calls in ten idle minutes. With the emulator's wake-up hint, eddy backs off instead.
const TEN_MINUTES = 10 * 60_000;

let h: EmulatorHarness;
let mapping: EventSourceMapping | undefined;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await mapping?.stop();
  mapping = undefined;
  await h.close();
});

/** A manual clock that knows how many sleeps are pending: time moves only once every loop of the mapping waits. */
const countingClock = () => {
  const manual = new ManualClock(Date.now());
  let sleeping = 0;
  const clock: Clock = {
    now: () => manual.now(),
    sleep: (ms, signal) => {
      sleeping += 1;
      return manual.sleep(ms, signal).finally(() => {
        sleeping -= 1;
      });
    },
  };
  return { manual, clock, sleeping: () => sleeping };
};

/**
 * A table whose mapping waits on a manual clock (the emulator keeps the system's), with the emulator's wake-up
 * hint, reading through a client of its own whose GetRecords calls are counted.
 */
const startIdleMapping = async (hinted: boolean) => {
  await h.dynamodb.send(
    new CreateTableCommand({
      TableName: 'quiet',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
  const { Table } = await h.dynamodb.send(new DescribeTableCommand({ TableName: 'quiet' }));
  const streamArn = Table?.LatestStreamArn as string;
  const { manual, clock: counted, sleeping } = countingClock();
  const clock = manual;
  const client = h.clientsFor('us-east-1').streams;
  const polls = countPolls(client);
  /** The shards the mapping took iterators for, and how many times it listed the stream. */
  const iterators: string[] = [];
  let listings = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'GetShardIteratorCommand')
        iterators.push((args.input as { ShardId: string }).ShardId);
      if (context.commandName === 'DescribeStreamCommand') listings += 1;
      return next(args);
    },
    { step: 'initialize', name: 'recordShardCalls' },
  );
  const invoked: string[] = [];
  mapping = new EventSourceMapping({
    mappingId: 'idle',
    streamArn,
    client,
    clock: counted,
    config: { StartingPosition: 'TRIM_HORIZON' },
    metricsLogIntervalMs: 0,
    invoker: inProcessInvoker(async (event: DynamoDBStreamEvent) => {
      for (const record of event.Records) invoked.push(record.dynamodb?.NewImage?.id?.S as string);
    }),
    ...(hinted
      ? {
          wakeUps: {
            subscribe: (listener: (shardId: string) => void) =>
              h.running.emulator.onRecords((e) => {
                if (e.streamArn === streamArn) listener(e.shardId);
              }),
          },
        }
      : {}),
  });
  mapping.start();
  await mapping.started();
  const stream = h.running.emulator.region('us-east-1').streams.get(streamArn);
  /**
   * Moves the mapping's clock `ms` forward, to one wake-up at a time, each once the discovery and every shard
   * consumer wait (no poll is in flight), so that no poll is skipped.
   */
  const idleFor = async (ms: number) => {
    const end = clock.now() + ms;
    while (clock.now() < end) {
      await waitFor(
        () => sleeping() >= 1 + (mapping as EventSourceMapping).progress().shards,
        'the discovery and every consumer to wait',
      );
      clock.set(Math.min(end, clock.nextWakeUp() as number));
      // The sleeps just ended are counted out once their promises settle, a turn of the event loop later.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const put = (id: string) =>
    h.dynamodb.send(new PutItemCommand({ TableName: 'quiet', Item: { id: { S: id } } }));
  return { clock, polls, invoked, stream, idleFor, put, iterators, listings: () => listings };
};

describe('an idle mapping with the wake-up hint', () => {
  it("polls an idle shard a few dozen times in ten minutes, not Lambda's 2400, and reads a new record at once", async () => {
    const { clock, polls, invoked, idleFor, put } = await startIdleMapping(true);
    await idleFor(TEN_MINUTES);
    // 250 ms doubling to 30 s: 8 polls in the first 32 s, then one every 30 s.
    expect(polls.started()).toBeLessThan(40);
    const asleepAt = clock.now();
    await put('o-1');
    await waitFor(() => invoked.length === 1, 'the record to be processed on its hint');
    expect(clock.now()).toBe(asleepAt);
    expect(invoked).toEqual(['o-1']);
  });

  it("without the hint, polls at Lambda's rate", async () => {
    const { polls, idleFor } = await startIdleMapping(false);
    await idleFor(60_000);
    expect(polls.started()).toBeGreaterThanOrEqual(240);
  });

  it('finds the children of a shard split while it idles, on the first record written to one', async () => {
    const { clock, invoked, stream, idleFor, put } = await startIdleMapping(true);
    await idleFor(TEN_MINUTES);
    const parent = stream?.shards.find((s) => s.isOpen);
    stream?.split(parent?.id as string);
    const asleepAt = clock.now();
    // Every item lands in one of the two children: the parent is closed, read to its end, then the child.
    for (const id of ['a', 'b', 'c', 'd']) await put(id);
    await waitFor(() => invoked.length === 4, 'the records of the new shards to be processed');
    expect(clock.now()).toBe(asleepAt);
    expect(invoked.sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('finds shards rolled over without any record at its slow listing', async () => {
    const { stream, idleFor, iterators, listings } = await startIdleMapping(true);
    await idleFor(TEN_MINUTES);
    const parent = stream?.shards.find((s) => s.isOpen);
    const [child] = stream?.rollOver(parent?.id as string) ?? [];
    const listed = listings();
    await idleFor(60_000);
    // The parent is read to its end and the child consumed (its reader takes an iterator for it).
    await waitFor(() => iterators.includes(child?.id as string), 'the child to be consumed');
    // Fewer listings than one every 5 s (12 in the minute): the backoff starts over once the child starts.
    expect(listings() - listed).toBeLessThan(12);
  });
});
