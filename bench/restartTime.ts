/**
 * How long `eddy emulator --data-dir` takes to start again after N writes (default 1,000,000) and a kill -9,
 * against the anchor of ≤ 2 s, and how large the data dir is. A child process writes N items (PutItem through
 * in-process dispatch, ~100 bytes each, to a table with a NEW_AND_OLD_IMAGES stream, so the data dir holds N
 * items and N stream records; `BENCH_STREAM=none` for a table without one), is killed with SIGKILL (no close,
 * so no final compaction: the data dir is a snapshot plus whatever journal tail the background compactions
 * left), and a fresh process times
 * `startEmulator({ dataDir })`. For comparison it writes the same N writes as a format 1 journal (requests,
 * Eddy before format 2) and times what a start did with it: read the file and replay every request.
 *
 *   npm run bench:restart                 # 1M writes
 *   BENCH_WRITES=100000 npm run bench:restart
 *   BENCH_V1=0 npm run bench:restart      # skip the format 1 comparison
 *   BENCH_STREAM=none npm run bench:restart  # a table without a stream
 *   BENCH_RESTARTS=5 npm run bench:restart   # restarts timed, each on a fresh copy of the killed data dir
 *
 * The machine may be shared: each restart runs on its own copy of the data dir (a start changes it: a torn
 * line cut, a rotated journal merged), and the best and the median are printed with the load average.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Emulator } from '../local-runtime/emulator/Emulator.js';
import { DataDir } from '../local-runtime/emulator/persistence/DataDir.js';
import { startEmulator } from '../local-runtime/emulator/startEmulator.js';

const SELF = fileURLToPath(import.meta.url);
const WRITES = Number(process.env.BENCH_WRITES ?? 1_000_000);
const ANCHOR_MS = 2000;
const RESTARTS = Math.max(1, Number(process.env.BENCH_RESTARTS ?? 3));
const REGION = 'us-east-1';
const TABLE = 'restart-bench';

/** The table's stream view type, or `none` for a table without a stream. */
const STREAM = process.env.BENCH_STREAM ?? 'NEW_AND_OLD_IMAGES';
const createTable = {
  TableName: TABLE,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  ...(STREAM === 'none' ? {} : { StreamSpecification: { StreamEnabled: true, StreamViewType: STREAM } }),
};
const putInput = (i: number) => ({
  TableName: TABLE,
  Item: {
    pk: { S: `item-${String(i).padStart(8, '0')}` },
    n: { N: String(i) },
    payload: { S: 'x'.repeat(48) },
  },
});

/** Child: writes the items, says so, and waits to be killed. */
const write = async (dir: string, count: number) => {
  const running = await startEmulator({ port: 0, dataDir: dir });
  const { emulator } = running;
  emulator.dispatch('DynamoDB_20120810.CreateTable', createTable, REGION);
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    emulator.dispatch('DynamoDB_20120810.PutItem', putInput(i), REGION);
    // Let the event loop turn (background compaction runs there), as a server's does between requests.
    if (i % 100 === 99) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  console.log(`WRITTEN ${Math.round(performance.now() - started)}`);
  await new Promise(() => {});
};

/** Child: times a start on the data dir. */
const restart = async (dir: string) => {
  const started = performance.now();
  const running = await startEmulator({ port: 0, dataDir: dir, log: () => {} });
  const ms = performance.now() - started;
  const { Table } = running.emulator.dispatch(
    'DynamoDB_20120810.DescribeTable',
    { TableName: TABLE },
    REGION,
  ) as {
    Table: { ItemCount: number };
  };
  console.log(`RESTARTED ${ms.toFixed(0)} ${Table.ItemCount}`);
  process.exit(0);
};

/** Child: writes a format 1 journal of the same requests, then times what a format 1 start did. */
const v1 = (dir: string, count: number) => {
  const now = Date.now();
  const lines: string[] = [
    JSON.stringify({
      t: 'DynamoDB_20120810.CreateTable',
      a: '000000000000',
      r: REGION,
      n: now,
      s: '00',
      i: createTable,
    }),
  ];
  for (let i = 0; i < count; i++) {
    lines.push(
      JSON.stringify({
        t: 'DynamoDB_20120810.PutItem',
        a: '000000000000',
        r: REGION,
        n: now,
        s: i.toString(16).padStart(16, '0'),
        i: putInput(i),
      }),
    );
  }
  writeFileSync(join(dir, 'journal.ndjson'), `${lines.join('\n')}\n`);
  lines.length = 0;
  const started = performance.now();
  const read = DataDir.open(dir);
  const emulator = new Emulator();
  emulator.replayRequests(read.v1?.entries ?? []);
  const ms = performance.now() - started;
  console.log(`RESTARTED ${ms.toFixed(0)} ${count}`);
  process.exit(0);
};

const child = (args: string[]): { child: ChildProcess; output: Promise<string> } => {
  const proc = spawn(process.execPath, ['--import', 'tsx', SELF, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let text = '';
  const output = new Promise<string>((resolve, reject) => {
    proc.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (/(WRITTEN|RESTARTED) [^\n]*\n/.test(text)) resolve(text);
    });
    proc.once('exit', (code) =>
      /(WRITTEN|RESTARTED)/.test(text) ? resolve(text) : reject(new Error(`child exited ${code}`)),
    );
  });
  return { child: proc, output };
};

const sizeOf = (dir: string) => readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const main = async () => {
  const [mode, dir, count] = process.argv.slice(2);
  if (mode === '--write') return write(dir as string, Number(count));
  if (mode === '--restart') return restart(dir as string);
  if (mode === '--v1') return v1(dir as string, Number(count));

  console.log(
    `restartTime: ${WRITES.toLocaleString('en-US')} PutItem writes (stream: ${STREAM}), kill -9, start again; ` +
      `node ${process.version}`,
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'eddy-restart-'));
  try {
    const writer = child(['--write', dataDir, String(WRITES)]);
    const writtenMs = Number(/WRITTEN (\d+)/.exec(await writer.output)?.[1]);
    writer.child.kill('SIGKILL');
    await new Promise((resolve) => writer.child.once('exit', resolve));
    const files = readdirSync(dataDir)
      .map((f) => `${f} ${mb(statSync(join(dataDir, f)).size)}`)
      .join(', ');
    const times: number[] = [];
    let items = 0;
    for (let i = 0; i < RESTARTS; i++) {
      const copy = mkdtempSync(join(tmpdir(), 'eddy-restart-copy-'));
      try {
        cpSync(dataDir, copy, { recursive: true });
        const restarted = /RESTARTED (\d+) (\d+)/.exec(await child(['--restart', copy]).output);
        times.push(Number(restarted?.[1]));
        items = Number(restarted?.[2]);
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    }
    const sorted = [...times].sort((a, b) => a - b);
    const best = sorted[0] as number;
    const median = sorted[Math.floor((sorted.length - 1) / 2)] as number;
    const verdict = (ms: number) => (ms <= ANCHOR_MS ? 'within' : 'over');
    console.log(`| format | writes | data dir | restart: best | median of ${RESTARTS} | anchor |`);
    console.log(`|---|---:|---:|---:|---:|---:|`);
    console.log(
      `| 2 (snapshot + journal of effects) | ${WRITES.toLocaleString('en-US')} | ${mb(sizeOf(dataDir))} | ${best} ms (${verdict(best)}) | ${median} ms (${verdict(median)}) | ≤ ${ANCHOR_MS} ms |`,
    );
    const note = `- ${items.toLocaleString('en-US')} items after each restart; restarts: ${times.join(', ')} ms; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${availableParallelism()} cores`;
    if (process.env.BENCH_V1 !== '0') {
      const v1Dir = mkdtempSync(join(tmpdir(), 'eddy-restart-v1-'));
      try {
        const old = /RESTARTED (\d+)/.exec(await child(['--v1', v1Dir, String(WRITES)]).output);
        console.log(
          `| 1 (journal of requests, replayed) | ${WRITES.toLocaleString('en-US')} | ${mb(sizeOf(v1Dir))} | ${old?.[1]} ms | | |`,
        );
      } finally {
        rmSync(v1Dir, { recursive: true, force: true });
      }
    }
    console.log(`\n${note}`);
    console.log(
      `- writing took ${writtenMs.toLocaleString('en-US')} ms in process; data dir after the kill: ${files}`,
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
};

await main();
