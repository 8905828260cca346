import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, describe, expect, it } from 'vitest';
import { createStreamTable } from '../helpers/createStreamTable.js';
import { type EmulatorHarness, startHarness } from '../helpers/emulatorHarness.js';
import { processedCounter, readProcessed } from '../helpers/readProcessed.js';
import { kill, spawnWorker } from '../helpers/spawnWorker.js';
import { testRandom } from '../helpers/testRandom.js';
import { waitFor } from '../helpers/waitFor.js';

const RECORDS = Number(process.env.CRASH_TEST_RECORDS ?? 100_000);
const BATCH_SIZE = 100;

let h: EmulatorHarness | undefined;
let worker: ChildProcess | undefined;
const folders: string[] = [];
afterAll(async () => {
  if (worker !== undefined) await kill(worker);
  await h?.close();
  for (const f of folders) await rm(f, { recursive: true, force: true });
});

describe('a consumer killed at random points', () => {
  it(`processes each of ${RECORDS} records at least once, with at most one batch of duplicates per crash and shard`, async () => {
    h = await startHarness({ streams: { shardCount: 2 } });
    const harness = h;
    const streamArn = await createStreamTable(harness.dynamodb, 'events', 'KEYS_ONLY');
    for (let i = 0; i < RECORDS; i += 25) {
      const batch = Array.from({ length: Math.min(25, RECORDS - i) }, (_, j) => ({
        PutRequest: { Item: { pk: { S: `e${i + j}` } } },
      }));
      await harness.dynamodb.send(new BatchWriteItemCommand({ RequestItems: { events: batch } }));
    }
    const shards =
      (await harness.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))).StreamDescription
        ?.Shards ?? [];
    const folder = await mkdtemp(join(tmpdir(), 'eddy-crash-'));
    folders.push(folder);
    const output = join(folder, 'processed.txt');
    const env = {
      EDDY_ENDPOINT: harness.running.endpoint,
      EDDY_STREAM_ARN: streamArn,
      EDDY_OUTPUT: output,
      EDDY_WORKER_ID: 'solo',
      EDDY_CHECKPOINTS: 'file',
      EDDY_CHECKPOINT_FILE: join(folder, 'checkpoints.json'),
      EDDY_BATCH_SIZE: String(BATCH_SIZE),
    };
    const { random } = testRandom(20261207);
    // Read incrementally: the file grows to RECORDS lines, and a full parse every 100 ms would compete with the
    // worker for the CPU.
    const processed = processedCounter(output);
    let crashes = 0;
    // Kill the worker at seeded points of its progress (EDDY_SEED replays them), restarting it each time: once it
    // has processed a drawn number of new records, wherever in its cycle (a batch, a checkpoint write) the kill
    // finds it. The file is polled every 100 ms (only what was appended since: it grows to RECORDS lines).
    while (processed() < RECORDS && crashes < 30) {
      worker = await spawnWorker(env);
      const target = Math.min(RECORDS, processed() + 1 + random.int(Math.ceil(RECORDS / 15)));
      await waitFor(() => processed() >= target, `${target} records processed`, 60_000, 100);
      await kill(worker, 'SIGKILL');
      crashes += 1;
    }
    // A last run with no crash, then a graceful stop: whatever remains gets processed.
    worker = await spawnWorker(env);
    await waitFor(() => processed() >= RECORDS, 'every record processed', 60_000, 100).catch(() => undefined);
    await kill(worker, 'SIGTERM');
    const { counts } = readProcessed([output]);
    expect(counts.size).toBe(RECORDS);
    const duplicates = [...counts.values()].reduce((sum, n) => sum + n - 1, 0);
    // A crash can lose at most the in-flight batch's checkpoint on each shard: those records come again.
    expect(duplicates).toBeLessThanOrEqual(crashes * shards.length * BATCH_SIZE);
    expect(crashes).toBeGreaterThan(0);
    console.log(
      `crash test: ${RECORDS} records, ${crashes} crashes, ${duplicates} duplicates (bound ${crashes * shards.length * BATCH_SIZE})`,
    );
  }, 480_000);
});
