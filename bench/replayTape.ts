/**
 * Replay throughput: a tape of N records (default 100,000, env BENCH_RECORDS) replayed with `--speed max`
 * through the runtime's stages (filters, lanes, batching, invocation, checkpoints) into an in-process no-op
 * handler, as `replay()` and `eddy replay TAPE --handler` run it. Prints records per second next to the anchor
 * (≥ 100,000 records/s on this project's 2-core machine) and next to the same work live (`npm run bench`:
 * the runtime reading a pre-written stream from the emulator over HTTP). Asserts nothing.
 *
 *   npm run bench:replay
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { streamRecordFactory } from '../local-runtime/testing/streamRecordFactory.js';
import { tapeOf } from '../local-runtime/testing/tapeOf.js';
import { inProcessInvoker } from '../src/runtime/invocation/inProcessInvoker.js';
import { replay } from '../src/runtime/replay.js';
import { TapeSource } from '../src/runtime/sources/tape/TapeSource.js';
import { writeTape } from '../src/tape/writeTape.js';

const ANCHOR = 100_000;
/** `npm run bench` (bench/writeToHandler.ts), its drain figure: one shard, BatchSize 1000, no-op handler (bench/README.md). */
const LIVE = 51_000;

const records = Number(process.env.BENCH_RECORDS ?? 100_000);
const dir = await mkdtemp(join(tmpdir(), 'eddy-bench-replay-'));
const path = join(dir, 'bench.tape.ndjson.gz');
try {
  const orders = streamRecordFactory({ tableName: 'orders', keys: ['orderId'] });
  const tape = tapeOf(
    Array.from({ length: records }, (_, i) =>
      orders.insert({ orderId: `o${i % 5000}`, customerId: `c${i % 97}`, total: i, status: 'NEW' }),
    ),
  );
  await writeTape({ path }, tape);
  const size = (await stat(path)).size;
  let started = performance.now();
  const source = await TapeSource.load(path);
  const loadMs = performance.now() - started;
  console.log(
    `tape: ${records.toLocaleString('en-US')} records, ${(size / 1e6).toFixed(1)} MB gzip; ` +
      `loaded in ${(loadMs / 1000).toFixed(2)} s (${Math.round((records * 1000) / loadMs).toLocaleString('en-US')} records/s)`,
  );
  console.log(
    `load average before: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')} (2 cores, shared)`,
  );
  console.log(
    '\nreplay --speed max into a no-op handler (in process, the event through JSON as Lambda sends it):',
  );
  console.log('| BatchSize | ParallelizationFactor | records/s | anchor | live (npm run bench) |');
  console.log('|---|---|---|---|---|');
  for (const [BatchSize, ParallelizationFactor] of [
    [100, 1],
    [1000, 1],
    [1000, 4],
  ] as const) {
    started = performance.now();
    const summary = await replay({
      source: await TapeSource.load(path),
      invoker: inProcessInvoker(async () => ({ batchItemFailures: [] })),
      config: { BatchSize, ParallelizationFactor },
    });
    const seconds = (performance.now() - started) / 1000;
    if (summary.records !== records) throw new Error(`replayed ${summary.records} of ${records} records`);
    console.log(
      `| ${BatchSize} | ${ParallelizationFactor} | ${Math.round(records / seconds).toLocaleString('en-US')} | ` +
        `≥ ${ANCHOR.toLocaleString('en-US')} | ~${LIVE.toLocaleString('en-US')} (BatchSize 1000) |`,
    );
  }
  console.log(
    `\nload average after: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  void source;
} finally {
  await rm(dir, { recursive: true, force: true });
}
