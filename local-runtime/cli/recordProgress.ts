import type { RecordProgress } from '../../src/tape/recordStream.js';

const bytes = (n: number): string =>
  n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`;

const lag = (ms: number | undefined): string =>
  ms === undefined ? 'lag -' : ms < 1000 ? `lag ${ms} ms` : `lag ${(ms / 1000).toFixed(1)} s`;

/**
 * One progress line of `eddy record`.
 *
 * @example
 * progressLine({ records: 1200, bytes: 350_000, shardsDone: 2, shardsKnown: 5, lagMs: 2100 });
 * // 'eddy record: 1200 records, 2/5 shards done, 341.8 KiB, lag 2.1 s'
 */
const progressLine = (p: RecordProgress): string =>
  `eddy record: ${p.records} records, ${p.shardsDone}/${p.shardsKnown} shards done, ${bytes(p.bytes)}, ${lag(p.lagMs)}`;

export { progressLine };
