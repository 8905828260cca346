/**
 * `npm run fuzz -- [--requests N] [--seed S] [--out DIR] [--epoch N] [--timeout MS]`: the long fuzz run against
 * an emulator process (see runFuzz.ts). Prints progress, a summary per operation and status, and every failure
 * class with its repro file; exits 1 if anything failed. `--replay FILE` sends one saved request to a fresh
 * emulator with the same fixtures and prints the answer.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseSeed } from '../helpers/Random.js';
import { dirFingerprint, EmulatorApi, setUpFixtures } from './EmulatorApi.js';
import { EmulatorProcess } from './EmulatorProcess.js';
import { formatSummary, runFuzz } from './runFuzz.js';
import { RawClient } from './sendRequest.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '100000' },
    seed: { type: 'string' },
    out: { type: 'string' },
    epoch: { type: 'string', default: '5000' },
    timeout: { type: 'string', default: '15000' },
    progress: { type: 'string', default: '1000' },
    replay: { type: 'string' },
  },
});

const seed = parseSeed(values.seed ?? process.env.FUZZ_SEED) ?? Date.now() >>> 0;

/** Sends a saved request (a repro file) to a fresh emulator set up as a fuzz epoch starts. */
const replay = async (file: string) => {
  const saved = JSON.parse(readFileSync(file, 'utf8')) as {
    request: {
      method: string;
      path: string;
      headers: Record<string, string | string[]>;
      body?: string;
      bodyBase64?: string;
      bodyFile?: string;
    };
    minimalBody?: unknown;
  };
  const dir = mkdtempSync(join(tmpdir(), 'eddy-fuzz-replay-'));
  const emulator = await EmulatorProcess.start(dir);
  const client = new RawClient(emulator.port, 30_000);
  await setUpFixtures(new EmulatorApi(client), seed);
  const { request } = saved;
  const body =
    request.bodyFile !== undefined
      ? readFileSync(request.bodyFile)
      : request.bodyBase64 !== undefined
        ? Buffer.from(request.bodyBase64, 'base64')
        : Buffer.from(request.body ?? '', 'utf8');
  const headers = { ...request.headers, host: `127.0.0.1:${emulator.port}` };
  const before = dirFingerprint(dir);
  const outcome = await client.send({ method: request.method, path: request.path, headers, body });
  console.log(
    outcome.kind === 'answer' ? `${outcome.status} ${outcome.body.toString('utf8').slice(0, 2000)}` : outcome,
  );
  const after = dirFingerprint(dir);
  console.log(after === before ? 'data dir unchanged' : `data dir changed: ${before} → ${after}`);
  await new Promise((resolve) => setTimeout(resolve, 200));
  console.log(emulator.newOutput().slice(0, 4000));
  client.close();
  await emulator.stop();
  rmSync(dir, { recursive: true, force: true });
};

if (values.replay !== undefined) {
  await replay(values.replay);
} else {
  const outDir = values.out ?? join(tmpdir(), `eddy-fuzz-${seed}`);
  console.log(`fuzz: seed ${seed}, ${values.requests} requests, failures to ${outDir}`);
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(130);
    stopping = true;
    console.log('fuzz: stopping after this request (again to quit at once)');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const summary = await runFuzz({
    stop: () => stopping,
    seed,
    requests: Number(values.requests),
    epochRequests: Number(values.epoch),
    timeoutMs: Number(values.timeout),
    progressEvery: Number(values.progress),
    outDir,
  });
  for (const line of formatSummary(summary)) console.log(line);
  process.exitCode = summary.failures > 0 ? 1 : 0;
}
