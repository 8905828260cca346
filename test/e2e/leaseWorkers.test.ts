import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { afterAll, describe, expect, it } from 'vitest';
import { createStreamTable } from '../helpers/createStreamTable.js';
import { type EmulatorHarness, startHarness } from '../helpers/emulatorHarness.js';
import { readProcessed } from '../helpers/readProcessed.js';
import { kill, spawnWorker } from '../helpers/spawnWorker.js';
import { waitFor } from '../helpers/waitFor.js';

let h: EmulatorHarness | undefined;
const workers: ChildProcess[] = [];
const folders: string[] = [];
afterAll(async () => {
  for (const w of workers) await kill(w);
  await h?.close();
  for (const f of folders) await rm(f, { recursive: true, force: true });
});

/** Every sequence number in the stream, read from TRIM_HORIZON across all shards. */
const allSequences = async (harness: EmulatorHarness, streamArn: string): Promise<string[]> => {
  const { StreamDescription } = await harness.streams.send(
    new DescribeStreamCommand({ StreamArn: streamArn }),
  );
  const sequences: string[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let { ShardIterator } = await harness.streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    while (ShardIterator !== undefined) {
      const page = await harness.streams.send(new GetRecordsCommand({ ShardIterator, Limit: 1000 }));
      sequences.push(...(page.Records ?? []).map((r) => r.dynamodb?.SequenceNumber as string));
      if ((page.Records ?? []).length === 0) break;
      ShardIterator = page.NextShardIterator;
    }
  }
  return sequences;
};

const writeItems = async (harness: EmulatorHarness, from: number, count: number) => {
  for (let i = from; i < from + count; i += 25) {
    const batch = Array.from({ length: Math.min(25, from + count - i) }, (_, j) => ({
      PutRequest: { Item: { pk: { S: `item-${i + j}` }, n: { N: String(i + j) } } },
    }));
    await harness.dynamodb.send(new BatchWriteItemCommand({ RequestItems: { work: batch } }));
  }
};

describe('several worker processes sharing a stream through leases', () => {
  it('spreads the shards, and when one worker is killed with SIGKILL the others take over without losing a record', async () => {
    h = await startHarness({ streams: { shardCount: 3 } });
    const harness = h;
    const streamArn = await createStreamTable(harness.dynamodb, 'work', 'KEYS_ONLY');
    const folder = await mkdtemp(join(tmpdir(), 'eddy-leases-'));
    folders.push(folder);
    const outputs = ['a', 'b', 'c'].map((w) => join(folder, `${w}.txt`));
    for (const [i, id] of ['a', 'b', 'c'].entries()) {
      workers.push(
        await spawnWorker({
          EDDY_ENDPOINT: harness.running.endpoint,
          EDDY_STREAM_ARN: streamArn,
          EDDY_OUTPUT: outputs[i] as string,
          EDDY_WORKER_ID: id,
          EDDY_CHECKPOINTS: 'leases',
          EDDY_LEASE_MS: '2000',
          EDDY_BATCH_SIZE: '10',
        }),
      );
    }
    // Workers join one after another; the first takes every shard and hands some over as the others ask.
    const owners = async () =>
      new Set(
        ((await harness.dynamodb.send(new ScanCommand({ TableName: 'eddy-leases' }))).Items ?? [])
          .map((item) => item.leaseOwner?.S)
          .filter((owner): owner is string => owner !== undefined),
      );
    await waitFor(
      async () => (await owners()).size === 3,
      'the leases to spread over the three workers',
      30_000,
    );
    await writeItems(harness, 0, 300);
    let expected = await allSequences(harness, streamArn);
    await waitFor(
      () => expected.every((s) => readProcessed(outputs).counts.has(s)),
      'the first 300 records',
      30_000,
    );
    const before = readProcessed(outputs).byWorker;
    // The three shards were shared: every worker processed some records.
    expect([...before.keys()].sort()).toEqual(['a', 'b', 'c']);

    await kill(workers[0] as ChildProcess, 'SIGKILL');
    await writeItems(harness, 300, 300);
    expected = await allSequences(harness, streamArn);
    await waitFor(
      () => expected.every((s) => readProcessed(outputs).counts.has(s)),
      'every record after the kill',
      45_000,
    );
    const after = readProcessed(outputs);
    expect(expected).toHaveLength(600);
    for (const sequence of expected) expect(after.counts.has(sequence), sequence).toBe(true);
    // The killed worker processed nothing after its death; the survivors took its shard over.
    expect(after.byWorker.get('a')).toBe(before.get('a'));
  });
});
