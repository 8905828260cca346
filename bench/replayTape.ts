/**
 * Replay throughput: a tape of N records (default 100,000, env BENCH_RECORDS) replayed with `--speed max`
 * through the runtime's stages (filters, lanes, batching, invocation, checkpoints) into a no-op handler, as
 * `replay()` and `eddy replay TAPE --handler` run it (reading the tape is timed apart). Prints records per
 * second next to the anchor (≥ 100,000 records/s on this project's 2-core machine) and next to the same work
 * live (`npm run bench`: the runtime draining a pre-written stream from the emulator over HTTP into a no-op
 * handler, BatchSize 1000). Then each example pipeline of template.yaml (bench/exampleReplays.ts): a tape of
 * N records (default 20,000, env BENCH_EXAMPLE_RECORDS) replayed through the example's handler into a fresh
 * emulator, next to the same records drained live as `npm run bench:examples` does, in the same run.
 * Asserts nothing; the machine's load average is printed with the figures.
 *
 *   npm run bench:replay
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { streamRecordFactory } from '../local-runtime/testing/streamRecordFactory.js';
import { tapeOf } from '../local-runtime/testing/tapeOf.js';
import type { FunctionInvoker } from '../src/runtime/invocation/FunctionInvoker.js';
import { inProcessInvoker } from '../src/runtime/invocation/inProcessInvoker.js';
import { replay } from '../src/runtime/replay.js';
import { TapeSource } from '../src/runtime/sources/tape/TapeSource.js';
import { TapeWriter } from '../src/tape/TapeWriter.js';
import { writeTape } from '../src/tape/writeTape.js';
import { benchExampleReplays } from './exampleReplays.js';

const ANCHOR = 100_000;
/** `npm run bench` (bench/writeToHandler.ts), its drain figure in bench/README.md. */
const LIVE = 51_000;
const n = (value: number) => Math.round(value).toLocaleString('en-US');
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

const records = Number(process.env.BENCH_RECORDS ?? 100_000);

/** `gc()` when this process may call it (flags set at run time), to measure what a source holds. */
const collector = (): (() => void) => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  return () => gc?.();
};

/** Writes a tape of `count` orders in pieces of 50,000, so the bench never holds the whole capture. */
const writeLargeTape = async (path: string, count: number): Promise<void> => {
  const orders = streamRecordFactory({ tableName: 'orders', keys: ['orderId'] });
  const piece = (from: number) =>
    tapeOf(
      Array.from({ length: Math.min(50_000, count - from) }, (_, i) =>
        orders.insert({
          orderId: `o${(from + i) % 5000}`,
          customerId: `c${(from + i) % 97}`,
          total: from + i,
        }),
      ),
    );
  const first = piece(0);
  const { type: _type, format: _format, version: _version, ...header } = first.header;
  const writer = await TapeWriter.open({ path }, header);
  for (const shard of first.shards) {
    const { type: _shardType, ...fields } = shard;
    await writer.shard(fields);
  }
  for (let from = 0; from < count; from += 50_000) {
    for (const line of (from === 0 ? first : piece(from)).records)
      await writer.record(line.shardId, line.record);
  }
  await writer.close('until');
};
const dir = await mkdtemp(join(tmpdir(), 'eddy-bench-replay-'));
const path = join(dir, 'bench.tape.ndjson.gz');
try {
  const orders = streamRecordFactory({ tableName: 'orders', keys: ['orderId'] });
  await writeTape(
    { path },
    tapeOf(
      Array.from({ length: records }, (_, i) =>
        orders.insert({ orderId: `o${i % 5000}`, customerId: `c${i % 97}`, total: i, status: 'NEW' }),
      ),
    ),
  );
  const size = (await stat(path)).size;
  const loadStarted = performance.now();
  const tape = await TapeSource.load(path);
  const loadMs = performance.now() - loadStarted;
  console.log(
    `tape: ${n(records)} records, ${(size / 1e6).toFixed(1)} MB gzip; read and checked in ` +
      `${(loadMs / 1000).toFixed(2)} s (${n((records * 1000) / loadMs)} records/s)`,
  );
  console.log(`load average before: ${load()} (2 cores, shared with other work)`);
  console.log('\nreplay --speed max into a no-op handler:');
  console.log('| invoker | BatchSize | ParallelizationFactor | records/s | anchor | live (npm run bench) |');
  console.log('|---|---|---|---|---|---|');
  const noop = async () => ({ batchItemFailures: [] });
  const invokers: Record<string, () => FunctionInvoker> = {
    // What `eddy replay --handler` and the live bench use: the event through JSON both ways, as Lambda sends it.
    inProcessInvoker: () => inProcessInvoker(noop),
    // The runtime alone: the event handed over as it is.
    direct: () => ({ functionName: 'noop', invoke: noop }),
  };
  const runs: [string, number, number][] = [
    ['inProcessInvoker', 100, 1],
    ['inProcessInvoker', 1000, 1],
    ['direct', 100, 1],
    ['direct', 1000, 1],
    ['direct', 1000, 4],
  ];
  for (const [name, BatchSize, ParallelizationFactor] of runs) {
    const started = performance.now();
    const summary = await replay({
      // Each replay takes new readers, which start at the tape's start: one source serves every run.
      source: tape,
      invoker: (invokers[name] as () => FunctionInvoker)(),
      config: { BatchSize, ParallelizationFactor },
    });
    const seconds = (performance.now() - started) / 1000;
    if (summary.records !== records) throw new Error(`replayed ${summary.records} of ${records} records`);
    console.log(
      `| ${name} | ${BatchSize} | ${ParallelizationFactor} | ${n(records / seconds)} | ≥ ${n(ANCHOR)} | ~${n(LIVE)} (BatchSize 1000, inProcessInvoker) |`,
    );
  }
  console.log(`\nload average after: ${load()}`);

  const largeRecords = Number(process.env.BENCH_LARGE_RECORDS ?? 1_000_000);
  if (largeRecords > 0) {
    // A capture of a busy table: past `spoolAfter` (100,000) records a tape source keeps them in a temporary
    // file. The tape is written in pieces so that making it does not hold it whole either.
    const largePath = join(dir, 'large.tape.ndjson.gz');
    await writeLargeTape(largePath, largeRecords);
    const gc = collector();
    console.log(
      `\n${n(largeRecords)}-record tape (${((await stat(largePath)).size / 1e6).toFixed(0)} MB gzip), ` +
        `replayed into a no-op handler (inProcessInvoker, BatchSize 1000), load average ${load()}:`,
    );
    console.log('| records kept | load, s | heap held by the source | replay, records/s |');
    console.log('|---|---|---|---|');
    // Spooled first: what the in-memory run holds is only collected some time after it.
    for (const [label, spoolAfter] of [
      ['spooled to a file (default)', undefined],
      ['in memory (spoolAfter ∞)', Number.POSITIVE_INFINITY],
    ] as const) {
      gc();
      const heapBefore = process.memoryUsage().heapUsed;
      const loadStarted = performance.now();
      const large = await TapeSource.load(largePath, spoolAfter === undefined ? {} : { spoolAfter });
      const loadSeconds = (performance.now() - loadStarted) / 1000;
      gc();
      const held = process.memoryUsage().heapUsed - heapBefore;
      const started = performance.now();
      const summary = await replay({
        source: large,
        invoker: inProcessInvoker(noop),
        config: { BatchSize: 1000 },
      });
      const seconds = (performance.now() - started) / 1000;
      await large.close();
      if (summary.records !== largeRecords) throw new Error(`replayed ${summary.records} of ${largeRecords}`);
      console.log(
        `| ${label} | ${loadSeconds.toFixed(1)} | ${Math.max(0, held / 1e6).toFixed(0)} MB | ${n(largeRecords / seconds)} |`,
      );
    }
  }

  const exampleRecords = Number(process.env.BENCH_EXAMPLE_RECORDS ?? 20_000);
  console.log(`\nexample pipelines, ${n(exampleRecords)} orders written (load average ${load()}):`);
  const examples = await benchExampleReplays(exampleRecords, join(dir, 'examples.tape.ndjson.gz'));
  console.log(
    `written at ${n(examples.writesPerSecond)} writes/s; recorded ${n(examples.recording.records)} records ` +
      `with recordStream in ${examples.recording.seconds.toFixed(2)} s ` +
      `(${n(examples.recording.records / examples.recording.seconds)} records/s)`,
  );
  console.log(
    '\n| example | records | replay from tape, records/s | live (npm run bench:examples), records/s | replay / live | failed (replay, live) |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const f of examples.figures)
    console.log(
      `| ${f.example} | ${n(f.records)} | ${n(f.replayRecordsPerSecond)} | ${n(f.liveRecordsPerSecond)} | ` +
        `${(f.replayRecordsPerSecond / f.liveRecordsPerSecond).toFixed(2)} | ${f.replayFailures}, ${f.liveFailures} |`,
    );
  console.log(`\nload average at the end: ${load()}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
