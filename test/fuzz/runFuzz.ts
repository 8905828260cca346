import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fixtures } from './baseRequests.js';
import {
  digestDiff,
  digestState,
  dirFingerprint,
  dirHash,
  EmulatorApi,
  refreshFixtures,
  type ShardCache,
  type StateDigest,
  setUpFixtures,
} from './EmulatorApi.js';
import { EmulatorProcess } from './EmulatorProcess.js';
import { type FuzzRequest, generateRequest } from './generateRequest.js';
import { judgeOutcome, typeOf, type Violation } from './judgeOutcome.js';
import { type Outcome, RawClient } from './sendRequest.js';

interface FuzzOptions {
  readonly seed: number;
  readonly requests: number;
  /** Requests per emulator process and data dir; each epoch ends with a restart on the same data dir. */
  readonly epochRequests?: number;
  /** A request not answered within this is a hang. */
  readonly timeoutMs?: number;
  /** At most this many refused requests between two state digests. */
  readonly checkEvery?: number;
  /** Where failures, repro files and the summary go. */
  readonly outDir: string;
  readonly progressEvery?: number;
  readonly log?: (line: string) => void;
  /** Repro files kept per failure class. */
  readonly examplesPerClass?: number;
  /** Asked before each request: true ends the run early (the CLI's Ctrl-C), with the summary of what ran. */
  readonly stop?: () => boolean;
}

type FailureKind =
  | Violation['kind']
  | 'crash'
  | 'refusedChangedDataDir'
  | 'refusedChangedState'
  | 'readChangedDataDir'
  | 'restartChangedState'
  | 'restartFailed'
  | 'harnessError'
  | 'acceptedWrongType';

interface FailureClass {
  readonly name: string;
  readonly kind: FailureKind;
  count: number;
  readonly files: string[];
  readonly firstIndex: number;
}

interface FuzzSummary {
  readonly seed: number;
  readonly requests: number;
  readonly durationMs: number;
  readonly outDir: string;
  /** Answers per target and status (`200`, `400`, `500`, `hang`, `noAnswer`, `unsendable`). */
  readonly byTarget: Record<string, Record<string, number>>;
  readonly byStatus: Record<string, number>;
  readonly byMutator: Record<string, number>;
  readonly failures: number;
  readonly byKind: Record<string, number>;
  readonly classes: readonly FailureClass[];
  /** State digests compared around runs of refused requests, and refused requests no digest could vouch for. */
  readonly checks: number;
  readonly unverifiedRefused: number;
  /** Data dir changes not judged because TTL was on (the sweeper writes on its own). */
  readonly dirChecksSkipped: number;
  readonly epochs: number;
  readonly timings: Readonly<Record<string, number>>;
}

/** Requests the oracle treats as possibly changing state when answered 2xx (DynamoDB's writes, the control surface). */
const MAY_WRITE =
  /^(DynamoDB_20120810\.(BatchExecuteStatement|BatchWriteItem|CreateTable|DeleteItem|DeleteTable|ExecuteStatement|ExecuteTransaction|PutItem|TagResource|TransactWriteItems|UntagResource|UpdateItem|UpdateTable|UpdateTimeToLive)|control\..*)$/;

/** Requests generated, reordered and sent together (see the window loop in runFuzz). */
const WINDOW = 50;

/** Mutations that usually leave a request valid: an extra header or member, or none at all. */
const likelyRefused = (request: FuzzRequest): boolean =>
  request.mutations.some((m) => !/^(header|unknownMember):/.test(m));

/** Requests whose 2xx may move shards or iterators the generator relies on. */
const CHANGES_FIXTURES = /^(control\.|DynamoDB_20120810\.(UpdateTable|CreateTable|DeleteTable))/;

const statusOf = (outcome: Outcome): string =>
  outcome.kind === 'answer' ? String(outcome.status) : outcome.kind === 'timeout' ? 'hang' : outcome.kind;

const isRefused = (outcome: Outcome): boolean => outcome.kind !== 'answer' || outcome.status >= 300;

const mutatorOf = (request: FuzzRequest): string => request.mutations[0]?.split(':')[0] ?? 'valid';

/**
 * The wrongType mutation a request still carries: none when a later mutation rewrote that member or one that
 * holds it (set it to null, removed it, replaced it with a huge string, mangled its name into invalid JSON),
 * since the body then has no wrong type.
 */
const standingWrongType = (mutations: readonly string[]): string | undefined => {
  const at = mutations.findIndex((m) => m.startsWith('wrongType:'));
  if (at < 0) return undefined;
  const pathOf = (mutation: string) => (mutation.split(':')[1] ?? '').replace(/\[\d+\]/g, '[]');
  const path = pathOf(mutations[at] as string);
  const rewritten = mutations.slice(at + 1).some((m) => {
    // Invalid JSON mutations rewrite bytes anywhere (a lone surrogate or a bad byte in the member's name).
    if (m.startsWith('invalidJson:')) return true;
    const other = pathOf(m);
    return other !== '' && (path === other || path.startsWith(`${other}.`) || path.startsWith(`${other}[`));
  });
  return rewritten ? undefined : mutations[at];
};

/** The member a mutation touched, with values dropped: `wrongType:TransactItems[].Put` */
const mutationSite = (request: FuzzRequest): string => {
  const first = request.mutations[0];
  if (first === undefined) return 'valid';
  const [name, site] = first.split(':') as [string, string | undefined];
  return `${name}:${site ?? ''}`;
};

/** What was appended to the data dir's files between two fingerprints (the first 600 bytes of each). */
const appendedBytes = (dir: string, before: string, after: string): Record<string, string> => {
  const sizes = new Map(
    before
      .split('\n')
      .map((line) => [line.slice(0, line.lastIndexOf(':')), Number(line.slice(line.lastIndexOf(':') + 1))]),
  );
  const out: Record<string, string> = {};
  for (const line of after.split('\n')) {
    const name = line.slice(0, line.lastIndexOf(':'));
    const size = Number(line.slice(line.lastIndexOf(':') + 1));
    const from = sizes.get(name) ?? 0;
    if (!(size > from)) continue;
    try {
      out[name] = readFileSync(join(dir, name))
        .subarray(from, Math.min(size, from + 600))
        .toString('utf8');
    } catch {}
  }
  return out;
};

/** Which part of the server answered: the control surface, a non-POST method, or the AWS protocol. */
const surfaceOf = (request: FuzzRequest): string =>
  `${request.path.startsWith('/_eddy/control') ? 'control' : 'aws'}${request.method === 'POST' ? '' : ` ${request.method}`}`;

/** The first line of an internal error the emulator printed, without its changing parts. */
const causeOf = (output: string): string => {
  const line = output.split('\n').find((l) => /Error|failed|at /.test(l) && !/^\s+at /.test(l)) ?? '';
  return line
    .replace(/^.*failed:\s*/, '')
    .replace(/"[^"]*"|'[^']*'/g, '…')
    .replace(/\d+/g, 'N')
    .slice(0, 120);
};

const printable = (body: Buffer): { body?: string; bodyBase64?: string } => {
  const text = body.toString('utf8');
  return Buffer.from(text, 'utf8').equals(body) ? { body: text } : { bodyBase64: body.toString('base64') };
};

/** A request as saved in a repro file (body beyond 1 MB in a side file, named in `bodyFile`). */
const savedRequest = (request: FuzzRequest, file?: string) => {
  const large = request.body.length > 1024 * 1024;
  if (large && file !== undefined) writeFileSync(`${file}.body`, request.body);
  return {
    target: request.target,
    mutations: request.mutations,
    method: request.method,
    path: request.path,
    headers: request.headers,
    bodyBytes: request.body.length,
    ...(large
      ? file === undefined
        ? { bodyPrefix: request.body.subarray(0, 2048).toString('utf8') }
        : { bodyFile: `${file}.body` }
      : printable(request.body)),
  };
};

/** A request as the failure log keeps it: everything but the body past 2 KiB. */
const briefRequest = (request: FuzzRequest) => ({
  target: request.target,
  mutations: request.mutations,
  method: request.method,
  path: request.path,
  bodyBytes: request.body.length,
  bodyPrefix: request.body.subarray(0, 2048).toString('utf8'),
});

const savedOutcome = (outcome: Outcome | undefined) =>
  outcome === undefined
    ? undefined
    : outcome.kind === 'answer'
      ? {
          status: outcome.status,
          headers: outcome.headers,
          body: outcome.body.subarray(0, 4096).toString('utf8'),
        }
      : outcome;

/** `table fuzz_a .TableId` and `table fuzz_b .TableId` are one class: `table .TableId`. */
const partsSummary = (parts: readonly string[]): string =>
  [...new Set(parts.map((p) => p.replace(/^(\w+) \S+( \S+)?/, (_m, kind: string) => kind).trim()))]
    .join('; ')
    .slice(0, 200);

const slug = (text: string) =>
  text
    .replace(/[^A-Za-z0-9]+/g, '-')
    .slice(0, 80)
    .replace(/^-|-$/g, '');

/**
 * The long and the fast fuzz run: requests from {@link generateRequest} sent one at a time over HTTP to an
 * emulator process with a data dir, each answer judged by {@link judgeOutcome}, state digested around runs of
 * refused requests, and every epoch closed by a restart on the same data dir that must rebuild the same state.
 */
const runFuzz = async (options: FuzzOptions): Promise<FuzzSummary> => {
  const epochRequests = options.epochRequests ?? 5000;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const checkEvery = options.checkEvery ?? 25;
  const examplesPerClass = options.examplesPerClass ?? 3;
  const log = options.log ?? ((line: string) => console.log(line));
  const started = Date.now();
  mkdirSync(options.outDir, { recursive: true });
  const failuresFile = join(options.outDir, 'failures.ndjson');
  writeFileSync(failuresFile, '');

  const byTarget: Record<string, Record<string, number>> = {};
  const byStatus: Record<string, number> = {};
  const byMutator: Record<string, number> = {};
  const byKind: Record<string, number> = {};
  const classes = new Map<string, FailureClass>();
  let failures = 0;
  let checks = 0;
  let unverifiedRefused = 0;
  let epochs = 0;
  /** Where the time goes (ms): sending, digests, fixture refreshes, minimising, restarts. */
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const at = Date.now();
    try {
      return await work();
    } finally {
      timings[name] = (timings[name] ?? 0) + Date.now() - at;
    }
  };

  let dataDir = '';
  let emulator: EmulatorProcess | undefined;
  let client: RawClient | undefined;
  let api: EmulatorApi | undefined;
  let fixtures: Fixtures | undefined;
  let baseline: { digest: StateDigest; files: string } | undefined;
  let pending: { request: FuzzRequest; status: string }[] = [];
  let fingerprint = '';
  let shardCache: ShardCache = new Map();
  /** TTL is on somewhere: the emulator may write to its data dir between requests, so bytes are not compared. */
  let ttlOn = false;
  let dirChecksSkipped = 0;

  /** Records a failure; the first few of each class get a repro file. Returns the file written, if any. */
  const fail = (
    kind: FailureKind,
    name: string,
    details: { request?: FuzzRequest; outcome?: Outcome; [key: string]: unknown },
  ): string | undefined => {
    failures += 1;
    byKind[kind] = (byKind[kind] ?? 0) + 1;
    const className = `${kind} | ${name}`;
    let entry = classes.get(className);
    if (entry === undefined) {
      entry = { name: className, kind, count: 0, files: [], firstIndex: details.request?.index ?? -1 };
      classes.set(className, entry);
    }
    entry.count += 1;
    const { request, outcome, ...rest } = details;
    const record = {
      class: className,
      kind,
      seed: options.seed,
      index: request?.index,
      reproduce:
        request === undefined ? undefined : `npm run fuzz -- --seed ${options.seed} --replay <this file>`,
      request: request === undefined ? undefined : savedRequest(request),
      answer: savedOutcome(outcome),
      ...rest,
    };
    appendFileSync(
      failuresFile,
      `${JSON.stringify({ ...record, request: request === undefined ? undefined : briefRequest(request) })}\n`,
    );
    if (entry.files.length >= examplesPerClass) return undefined;
    const file = join(
      options.outDir,
      `${String([...classes.keys()].indexOf(className)).padStart(3, '0')}-${slug(className)}-${entry.files.length}.json`,
    );
    writeFileSync(
      file,
      JSON.stringify(
        { ...record, request: request === undefined ? undefined : savedRequest(request, file) },
        null,
        2,
      ),
    );
    entry.files.push(file);
    return file;
  };

  const startEpoch = async () => {
    epochs += 1;
    dataDir = mkdtempSync(join(tmpdir(), 'eddy-fuzz-data-'));
    emulator = await EmulatorProcess.start(dataDir);
    client = new RawClient(emulator.port, timeoutMs);
    api = new EmulatorApi(client);
    fixtures = await setUpFixtures(api, options.seed + epochs);
    baseline = undefined;
    pending = [];
    shardCache = new Map();
    ttlOn = false;
    fingerprint = dirFingerprint(dataDir);
  };

  /** Digests state; if refused requests ran since the last digest, they must have changed nothing. */
  const check = async () => {
    if (api === undefined) return;
    const digest = await timed('digest', () => digestState(api as EmulatorApi, shardCache));
    ttlOn = digest.ttlOn;
    const files = await timed('dirHash', async () => dirHash(dataDir));
    const refused = pending.filter((p) => p.status !== '200');
    if (baseline !== undefined && refused.length > 0) {
      checks += 1;
      const run = pending.map((p) => ({
        index: p.request.index,
        status: p.status,
        request: savedRequest(p.request),
      }));
      if (digest.hash !== baseline.digest.hash) {
        const parts = digestDiff(baseline.digest, digest);
        fail('refusedChangedState', partsSummary(parts), { changedParts: parts, run });
      } else if (files !== baseline.files && !ttlOn) {
        fail('refusedChangedDataDir', 'data dir bytes changed (same size)', { run });
      }
    }
    baseline = { digest, files };
    pending = [];
    if (fixtures !== undefined && digest.sequenceNumbers.length > 0)
      fixtures = { ...fixtures, sequenceNumbers: digest.sequenceNumbers };
  };

  /** Stops the epoch: the state must survive a restart on the same data dir unchanged. */
  const endEpoch = async (reason: 'end' | 'dead') => {
    const dir = dataDir;
    let before: StateDigest | undefined;
    if (reason === 'end' && emulator?.alive()) {
      await check();
      before = baseline?.digest;
    }
    client?.close();
    await emulator?.stop(reason === 'dead' ? 'SIGKILL' : 'SIGTERM');
    let again: EmulatorProcess | undefined;
    try {
      again = await EmulatorProcess.start(dir);
    } catch (error) {
      fail('restartFailed', reason === 'dead' ? 'after a crash or hang' : 'after a clean stop', {
        output: String(error).slice(-4000),
      });
    }
    if (again !== undefined) {
      const againClient = new RawClient(again.port, timeoutMs);
      try {
        const after = await digestState(new EmulatorApi(againClient));
        if (before !== undefined && after.hash !== before.hash) {
          const parts = digestDiff(before, after);
          fail('restartChangedState', partsSummary(parts), { changedParts: parts, dataDir: dir });
        }
      } catch (error) {
        fail('restartFailed', 'state unreadable after restart', { output: String(error).slice(0, 2000) });
      }
      againClient.close();
      await again.stop();
    }
    if (![...classes.values()].some((c) => c.kind.startsWith('restart')))
      rmSync(dir, { recursive: true, force: true });
    emulator = undefined;
  };

  /** Shortens a failing request by dropping top-level members while it still fails the same way. */
  const minimise = async (
    request: FuzzRequest,
    violation: Violation,
    outcome: Outcome,
  ): Promise<string | undefined> => {
    if (client === undefined || request.body.length > 4 * 1024 * 1024) return undefined;
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(request.body.toString('utf8'));
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
      body = parsed as Record<string, unknown>;
    } catch {
      return undefined;
    }
    const sameFailure = (candidate: Outcome) =>
      candidate.kind === outcome.kind &&
      (candidate.kind !== 'answer' ||
        outcome.kind !== 'answer' ||
        (candidate.status === outcome.status &&
          typeOf(candidate.body.toString()) === typeOf(outcome.body.toString()))) &&
      judgeOutcome(request, candidate).some((v) => v.kind === violation.kind);
    let minimal: string | undefined;
    for (const member of Object.keys(body)) {
      const { [member]: _dropped, ...smaller } = body;
      let text: string;
      try {
        text = JSON.stringify(smaller);
      } catch {
        // Nested deeper than JSON.stringify recurses: left as it is.
        return undefined;
      }
      const candidate = await client.send({ ...request, body: Buffer.from(text) });
      if (sameFailure(candidate)) {
        body = smaller;
        minimal = text;
      }
    }
    baseline = undefined;
    return minimal;
  };

  await startEpoch();
  let epochStart = 0;
  let sent = 0;
  /** One request: send, judge, keep the digests and fixtures current. */
  const step = async (request: FuzzRequest): Promise<void> => {
    const { index } = request;
    const live = emulator as EmulatorProcess;
    const mayWrite = MAY_WRITE.test(request.target);
    if (!request.expectRefused && mayWrite && pending.some((p) => p.status !== '200')) await check();
    if (baseline === undefined && request.expectRefused) await check();

    const outcome = await timed('send', () => (client as RawClient).send(request));
    const status = statusOf(outcome);
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    const counts = byTarget[request.target] ?? {};
    counts[status] = (counts[status] ?? 0) + 1;
    byTarget[request.target] = counts;
    byMutator[mutatorOf(request)] = (byMutator[mutatorOf(request)] ?? 0) + 1;
    // The stack of an internal error reaches stderr just after the answer: wait for it before reading.
    if (outcome.kind === 'answer' && outcome.status >= 500)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const output = live.newOutput();

    // A dropped connection may be the process dying: give it a moment to be seen exiting.
    if (outcome.kind === 'connectionError') await new Promise((resolve) => setTimeout(resolve, 200));
    if (!live.alive()) {
      fail('crash', `${request.target} | ${mutationSite(request)}`, {
        request,
        outcome,
        output: (output + live.newOutput()).slice(-4000),
      });
      await endEpoch('dead');
      await startEpoch();
      epochStart = index + 1;
      return;
    }
    for (const violation of judgeOutcome(request, outcome)) {
      const name =
        violation.kind === 'status5xx'
          ? `${request.target} | ${mutatorOf(request)} | ${causeOf(output) || violation.reason}`
          : violation.kind === 'errorShape'
            ? `${surfaceOf(request)} | ${violation.reason}`
            : `${request.target} | ${mutationSite(request)} | ${violation.reason.slice(0, 60)}`;
      const file = fail(violation.kind, name, {
        request,
        outcome,
        reason: violation.reason,
        output: output.slice(0, 4000),
      });
      if (file !== undefined && (violation.kind === 'status5xx' || violation.kind === 'errorShape')) {
        const minimal = await timed('minimise', () => minimise(request, violation, outcome));
        if (minimal !== undefined) {
          const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
          writeFileSync(
            file,
            JSON.stringify(
              { ...saved, minimalBody: minimal.length > 100_000 ? `${minimal.slice(0, 100_000)}…` : minimal },
              null,
              2,
            ),
          );
        }
      }
    }
    // A member of the wrong JSON type is a SerializationException on DynamoDB, never a success.
    const wrongType = standingWrongType(request.mutations);
    if (outcome.kind === 'answer' && outcome.status < 300 && request.method === 'POST' && wrongType) {
      fail(
        'acceptedWrongType',
        `${request.target} | ${wrongType.replace(/^wrongType:/, '').replace(/\[\d+\]/g, '[]')}`,
        {
          request,
          outcome,
        },
      );
    }
    if (outcome.kind === 'timeout') {
      await endEpoch('dead');
      await startEpoch();
      epochStart = index + 1;
      return;
    }

    const after = await timed('fingerprint', async () => dirFingerprint(dataDir));
    // A background compaction (started by an earlier write, written in slices between requests) rewrites the
    // snapshot and rotates the journal while later requests run: those bytes are not this request's.
    const compacting = after !== fingerprint && compactionBetween(fingerprint, after);
    if ((ttlOn || compacting) && after !== fingerprint) dirChecksSkipped += 1;
    /** A request that must not write changed the data dir: saved with the bytes it appended; runs restart. */
    const changedDataDir = (kind: 'refusedChangedDataDir' | 'readChangedDataDir', name: string) => {
      fail(kind, name, {
        request,
        outcome,
        before: fingerprint,
        after,
        appended: appendedBytes(dataDir, fingerprint, after),
      });
      baseline = undefined;
      pending = [];
    };
    if (isRefused(outcome)) {
      if (after !== fingerprint && !ttlOn && !compacting) {
        changedDataDir('refusedChangedDataDir', `${request.target} | ${mutatorOf(request)}`);
      } else {
        pending.push({ request, status });
        if (pending.length >= checkEvery) await check();
      }
    } else if (mayWrite || baseline === undefined) {
      unverifiedRefused += pending.filter((p) => p.status !== '200').length;
      baseline = undefined;
      pending = [];
    } else if (after !== fingerprint && !ttlOn && !compacting) {
      changedDataDir('readChangedDataDir', request.target);
    } else {
      pending.push({ request, status });
    }
    fingerprint = after;

    if ((!isRefused(outcome) && CHANGES_FIXTURES.test(request.target)) || index % 500 === 499) {
      fixtures = await timed('fixtures', () => refreshFixtures(api as EmulatorApi, fixtures as Fixtures));
    }
    if (options.progressEvery !== undefined && sent % options.progressEvery === 0) {
      const seconds = (Date.now() - started) / 1000;
      writeFileSync(
        join(options.outDir, 'classes.txt'),
        [...classes.values()].map((c) => `×${c.count} ${c.name} ${c.files[0] ?? ''}`).join('\n'),
      );
      log(
        `[fuzz] ${sent}/${options.requests} ${Math.round(sent / seconds)} req/s · failures ${failures} in ${classes.size} classes · ` +
          `5xx ${byStatus['500'] ?? 0} · hangs ${byKind.hang ?? 0} · crashes ${byKind.crash ?? 0}`,
      );
    }
  };

  try {
    for (let first = 0; first < options.requests && options.stop?.() !== true; first += WINDOW) {
      if (first - epochStart >= epochRequests) {
        await timed('restart', () => endEpoch('end'));
        await timed('setUp', startEpoch);
        epochStart = first;
      }
      // Requests likely to pass go first in each window, so fewer runs of refused requests are cut short by a
      // write that passed (which forces a new digest). The order is a function of the seed, like the requests.
      const window: FuzzRequest[] = [];
      for (let index = first; index < Math.min(first + WINDOW, options.requests); index += 1) {
        try {
          window.push(
            generateRequest(options.seed, index, fixtures as Fixtures, (emulator as EmulatorProcess).port),
          );
        } catch (error) {
          // A generator bug must not end a long run: it is recorded like any failure, and the index skipped.
          fail('harnessError', `generator: ${String((error as Error).message).slice(0, 120)}`, {
            index,
            stack: (error as Error).stack,
          });
        }
      }
      window.sort((a, b) => Number(likelyRefused(a)) - Number(likelyRefused(b)));
      for (const request of window) {
        if (options.stop?.() === true) break;
        sent += 1;
        try {
          await step(request);
        } catch (error) {
          // The harness itself could not go on (setting up fixtures, reading state): recorded, and a new epoch.
          fail(
            'harnessError',
            String((error as Error).message)
              .replace(/\d+/g, 'N')
              .slice(0, 160),
            {
              index: request.index,
              stack: (error as Error).stack,
              output: emulator?.newOutput().slice(-4000),
            },
          );
          await endEpoch('dead').catch(() => {});
          await startEpoch();
          epochStart = request.index + 1;
        }
      }
    }
    await endEpoch('end');
  } finally {
    client?.close();
    await emulator?.stop('SIGKILL');
  }

  const summary: FuzzSummary = {
    seed: options.seed,
    requests: sent,
    durationMs: Date.now() - started,
    outDir: options.outDir,
    byTarget,
    byStatus,
    byMutator,
    failures,
    byKind,
    classes: [...classes.values()],
    checks,
    unverifiedRefused,
    dirChecksSkipped,
    epochs,
    timings,
  };
  writeFileSync(join(options.outDir, 'summary.json'), JSON.stringify(summary, null, 2));
  return summary;
};

/** The summary as lines for a terminal: totals, then per operation and per status, then failure classes. */
const formatSummary = (summary: FuzzSummary): string[] => {
  const statuses = Object.keys(summary.byStatus).sort();
  const lines = [
    `fuzz seed=${summary.seed} requests=${summary.requests} failures=${summary.failures} classes=${summary.classes.length} ` +
      `crashes=${summary.byKind.crash ?? 0} hangs=${summary.byKind.hang ?? 0} 5xx=${summary.byKind.status5xx ?? 0} ` +
      `errorShape=${summary.byKind.errorShape ?? 0} stateChecks=${summary.checks} epochs=${summary.epochs} ` +
      `${Math.round(summary.durationMs / 1000)}s · ${Object.entries(summary.byStatus)
        .map(([s, n]) => `${s}:${n}`)
        .join(' ')}`,
    `${'target'.padEnd(45)}${statuses.map((s) => s.padStart(9)).join('')}`,
    ...Object.keys(summary.byTarget)
      .sort()
      .map(
        (t) =>
          `${t.padEnd(45)}${statuses.map((s) => String(summary.byTarget[t]?.[s] ?? 0).padStart(9)).join('')}`,
      ),
    `time (ms): ${Object.entries(summary.timings)
      .map(([k, v]) => `${k}:${v}`)
      .join(
        ' ',
      )} · refused requests not vouched for by a digest: ${summary.unverifiedRefused} · data-dir changes not judged (TTL on, or a compaction running): ${summary.dirChecksSkipped}`,
    `mutators: ${Object.entries(summary.byMutator)
      .map(([m, n]) => `${m}:${n}`)
      .join(' ')}`,
    ...summary.classes.map(
      (c) => `FAIL ×${c.count} ${c.name} (first at index ${c.firstIndex}; ${c.files[0] ?? ''})`,
    ),
  ];
  if (summary.failures > 0)
    lines.push(
      `seed ${summary.seed}: reproduce with FUZZ_SEED=${summary.seed}; repro files in ${summary.outDir}`,
    );
  return lines;
};

export type { FuzzOptions, FuzzSummary };

/**
 * Whether two data dir fingerprints (`file:size` lines) differ the way a compaction changes a data dir: the
 * snapshot, a records file or the rotated journal changed, or the journal shrank (started again).
 */
const compactionBetween = (before: string, after: string): boolean => {
  const sizes = (fingerprint: string) =>
    new Map(
      fingerprint
        .split('\n')
        .map((line) => [line.slice(0, line.lastIndexOf(':')), line.slice(line.lastIndexOf(':') + 1)]),
    );
  const was = sizes(before);
  const is = sizes(after);
  for (const file of new Set([...was.keys(), ...is.keys()])) {
    if (was.get(file) === is.get(file)) continue;
    if (/^(snapshot\.ndjson(\.tmp)?|journal\.previous\.ndjson|records-\d+\.texts)$/.test(file)) return true;
    if (file === 'journal.ndjson' && Number(is.get(file) ?? 0) < Number(was.get(file) ?? 0)) return true;
  }
  return false;
};

export { formatSummary, runFuzz };
