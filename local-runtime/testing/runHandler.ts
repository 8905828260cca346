import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { CheckpointStore } from '../../src/checkpoint/CheckpointStore.js';
import { MemoryCheckpointStore } from '../../src/checkpoint/MemoryCheckpointStore.js';
import {
  type MappingConfigInput,
  type ResolvedMappingConfig,
  resolveMappingConfig,
} from '../../src/runtime/config/resolveMappingConfig.js';
import { EventSourceMapping } from '../../src/runtime/EventSourceMapping.js';
import { MappingConfigError } from '../../src/runtime/errors/MappingConfigError.js';
import type { OnFailureRecord } from '../../src/runtime/failures/destinations/onFailureRecord.js';
import type { FunctionInvoker } from '../../src/runtime/invocation/FunctionInvoker.js';
import { inProcessInvoker } from '../../src/runtime/invocation/inProcessInvoker.js';
import type { InvocationReport } from '../../src/runtime/observability/InvocationReport.js';
import { type Logger, silentLogger } from '../../src/runtime/observability/logger.js';
import type { ManualClock } from '../../src/time/clock.js';
import type { FunctionDefinition } from '../template/types.js';

/**
 * A Lambda handler for DynamoDB stream events, as `defineStreamHandler` makes one (or any async function).
 *
 * @example
 * const handler: TestHandler = async (event) => ({ batchItemFailures: [] });
 */
type TestHandler = (event: DynamoDBStreamEvent, context: Context) => unknown;

/**
 * Which stream feeds the handler, and with which settings. Give `table` or `function`.
 *
 * @example
 * const options: RunHandlerOptions = {
 *   table: 'OrdersTable',
 *   settings: { BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'], MaximumRetryAttempts: 2 },
 * };
 * const run = await eddy.runHandler(handler, options);
 */
interface RunHandlerOptions {
  /** The table whose stream feeds the handler: a logical id of the template, or a table name. */
  readonly table?: string;
  /**
   * A function of the template (its logical id): the stream and the settings of its `Type: DynamoDB` event,
   * as `eddy dev` and `sam deploy` would use them (`settings` override them).
   */
  readonly function?: string;
  /** The event's name under the function's `Events`, when it has several. */
  readonly event?: string;
  /**
   * Mapping settings under SAM's names (`BatchSize`, `FunctionResponseTypes`, `MaximumRetryAttempts`,
   * `BisectBatchOnFunctionError`, `FilterCriteria`, `TumblingWindowInSeconds`, `ParallelizationFactor`,
   * `MaximumRecordAgeInSeconds`, `MaximumBatchingWindowInSeconds`…), with AWS's defaults and ranges.
   * `StartingPosition` defaults to TRIM_HORIZON here, so a test may write before or after starting the run.
   */
  readonly settings?: MappingConfigInput;
  /** The function's Timeout in seconds, on the test clock. @default the template's Timeout, else 3 (Lambda's) */
  readonly timeoutSeconds?: number;
  /** Where the run keeps its checkpoints; one store shared by two runs makes the second resume. @default a new MemoryCheckpointStore */
  readonly checkpoints?: CheckpointStore;
  /** Identifies the run's checkpoints. @default `<function or table>-test` */
  readonly mappingId?: string;
  /** The runtime's log lines (retries, discards). @default silent */
  readonly logger?: Logger;
}

/**
 * One call of the handler: the event it got, and what it returned or threw.
 *
 * @example
 * const [first] = run.invocations;
 * expect(first?.event.Records).toHaveLength(3);
 * expect(first?.error).toBeUndefined();
 */
interface Invocation {
  readonly event: DynamoDBStreamEvent;
  /** The response, as Lambda reads it back (through JSON); undefined until it returns, or when it threw. */
  response?: unknown;
  /** What the handler threw (or its timeout), when it failed. */
  error?: unknown;
}

/**
 * When `settled()` gives up, and whether it moves the clock.
 *
 * @example
 * eddy.clock.advance(60_000); // the test moves time itself…
 * await run.settled({ advanceClock: false, timeoutMs: 5_000 }); // …and settled() only waits
 */
interface SettleOptions {
  /** Wall-clock milliseconds before it rejects, naming each shard's progress and the last failure. @default 10000 */
  readonly timeoutMs?: number;
  /**
   * Move the manual clock to the next thing due (a poll, a retry's backoff, a window's end) whenever the run
   * is idle and has not settled; false leaves the clock to the test. @default true
   */
  readonly advanceClock?: boolean;
}

/**
 * A handler running in this process through a real event source mapping on the test emulator's stream:
 * Lambda's batching, filtering, retries, bisection, partial batch responses, tumbling windows and on-failure
 * records, on the emulator's manual clock. Made by {@link TestEmulator.runHandler}; stop it, or `await using` it.
 *
 * @example
 * await using run = await eddy.runHandler(handler, {
 *   table: 'OrdersTable',
 *   settings: { FunctionResponseTypes: ['ReportBatchItemFailures'], MaximumRetryAttempts: 1 },
 * });
 * await eddy.put('OrdersTable', { orderId: 'o1', total: 10 });
 * await run.settled();
 * expect(run.batchItemFailures).toEqual([]);
 * expect(run.onFailure).toEqual([]);
 */
interface HandlerRun extends AsyncDisposable {
  readonly mapping: EventSourceMapping;
  readonly streamArn: string;
  /** The settings in force, AWS's defaults applied. */
  readonly config: ResolvedMappingConfig;
  /** Every call of the handler, retries included, in order. */
  readonly invocations: readonly Invocation[];
  /** What the runtime concluded from each invocation (outcome, attempt, discards, bisection). */
  readonly reports: readonly InvocationReport[];
  /** Sequence numbers the handler reported in `batchItemFailures`, over every invocation. */
  readonly batchItemFailures: readonly string[];
  /**
   * The records the on-failure destination received: one per discarded batch (retries or record age ran out),
   * with its shard and sequence range, as Lambda writes it. Recorded whether or not `DestinationConfig` is set.
   */
  readonly onFailure: readonly OnFailureRecord[];
  /** Every record the handler was given, retries included, in order. */
  records(): DynamoDBRecord[];
  /**
   * Resolves once every record written to the stream so far has been handled: processed, filtered out, or
   * sent to the on-failure destination (each shard's checkpoint has reached its latest sequence number). It
   * waits for effects, never for wall-clock time, and moves the manual clock to what is due next while the run
   * is idle (retries' backoff, batching and tumbling windows).
   */
  settled(options?: SettleOptions): Promise<void>;
  /**
   * Resolves once the run has nothing under way (no request to the stream, no invocation) and waits only on
   * the clock: the moment to assert what has not happened yet, or to move the clock by hand. It never moves
   * the clock itself.
   */
  idle(options?: { readonly timeoutMs?: number }): Promise<void>;
  /** Stops the mapping gracefully (in-flight invocations finish and are checkpointed). */
  stop(): Promise<void>;
}

/** What the test emulator hands to a run. */
interface RunContext {
  /** The emulator's URL, to tell whether the process environment points at it. */
  readonly endpoint: string;
  readonly clientConfig: ConstructorParameters<typeof DynamoDBStreamsClient>[0];
  readonly clock: ManualClock;
  readonly region: string;
  readonly accountId: string;
  readonly fn?: FunctionDefinition;
  readonly streamArnOf: (table: string) => Promise<string>;
  readonly wakeUps: {
    onRecords(listener: (event: { streamArn: string; shardId: string }) => void): () => void;
  };
}

/** The function's DynamoDB event named `name`, or its only one. */
const eventOf = (fn: FunctionDefinition, name: string | undefined) => {
  const event =
    name === undefined && fn.events.length === 1 ? fn.events[0] : fn.events.find((e) => e.name === name);
  if (event !== undefined) return event;
  const names = fn.events.map((e) => e.name).join(', ');
  throw new Error(
    name === undefined
      ? `eddy/testing: ${fn.logicalId} has several DynamoDB events (${names}); name one: runHandler(handler, { function: '${fn.logicalId}', event })`
      : `eddy/testing: ${fn.logicalId} has no DynamoDB event "${name}" (events: ${names})`,
  );
};

const settingsOf = (
  options: RunHandlerOptions,
  fn: FunctionDefinition | undefined,
): ResolvedMappingConfig => {
  const template = fn === undefined ? {} : eventOf(fn, options.event).properties;
  try {
    return resolveMappingConfig({ StartingPosition: 'TRIM_HORIZON', ...template, ...options.settings });
  } catch (error) {
    if (error instanceof MappingConfigError) {
      const where =
        fn === undefined
          ? 'runHandler settings'
          : `${fn.logicalId}'s event settings (or runHandler settings)`;
      throw new MappingConfigError(error.setting, `${error.message} (in ${where})`);
    }
    throw error;
  }
};

/** The last sequence number of each shard of a stream now (shards without records are left out). */
const latestSequenceNumbers = async (
  client: DynamoDBStreamsClient,
  streamArn: string,
): Promise<Map<string, bigint>> => {
  const latest = new Map<string, bigint>();
  let start: string | undefined;
  do {
    const { StreamDescription } = await client.send(
      new DescribeStreamCommand({
        StreamArn: streamArn,
        ...(start === undefined ? {} : { ExclusiveStartShardId: start }),
      }),
    );
    for (const shard of StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId as string;
      const { ShardIterator } = await client.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      let iterator = ShardIterator;
      while (iterator !== undefined) {
        const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
        const records = page.Records ?? [];
        if (records.length === 0) break;
        latest.set(shardId, BigInt(records.at(-1)?.dynamodb?.SequenceNumber ?? '0'));
        iterator = page.NextShardIterator;
      }
    }
    start = StreamDescription?.LastEvaluatedShardId;
  } while (start !== undefined);
  return latest;
};

/** Real time between checks for effects: a poll of the run's state, not a wait the test's outcome depends on. */
const realTime = () => new Promise<void>((resolve) => setTimeout(resolve, 1));
/** One turn of the event loop: pending I/O callbacks and every microtask they start run first. */
const eventLoopTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Turns without any request or invocation before the run counts as idle (waiting only on the clock). */
const QUIET_TURNS = 3;

const runHandler = async (
  handler: TestHandler,
  options: RunHandlerOptions,
  context: RunContext,
): Promise<HandlerRun> => {
  const { fn, clock } = context;
  if (options.table === undefined && fn === undefined) {
    throw new Error(
      "eddy/testing: runHandler needs the stream to read: { table: 'OrdersTable' } or { function: 'OrdersFunction' }",
    );
  }
  const config = settingsOf(options, fn);
  const table = options.table ?? (fn === undefined ? undefined : eventOf(fn, options.event).tableLogicalId);
  const literalArn = fn === undefined ? undefined : eventOf(fn, options.event).streamArn;
  const streamArn =
    options.table === undefined && literalArn !== undefined
      ? literalArn
      : await context.streamArnOf(table as string);
  const mappingId = options.mappingId ?? `${fn?.logicalId ?? table}-test`;
  const checkpoints = options.checkpoints ?? new MemoryCheckpointStore();

  // Activity the run is waiting on: requests to the stream and invocations. With none for a few turns, the
  // run waits only on the clock, and settled() may move it.
  let busy = 0;
  let activity = 0;
  const client = new DynamoDBStreamsClient(context.clientConfig ?? {});
  client.middlewareStack.add(
    (next) => async (args) => {
      busy += 1;
      activity += 1;
      try {
        return await next(args);
      } finally {
        busy -= 1;
        activity += 1;
      }
    },
    { step: 'initialize', name: 'eddyTestingActivity' },
  );

  const invocations: Invocation[] = [];
  const reports: InvocationReport[] = [];
  const onFailure: OnFailureRecord[] = [];
  const recorded: TestHandler = async (event, lambdaContext) => {
    const invocation: Invocation = { event: JSON.parse(JSON.stringify(event)) as DynamoDBStreamEvent };
    invocations.push(invocation);
    try {
      const response = await handler(event, lambdaContext);
      invocation.response = response === undefined ? undefined : JSON.parse(JSON.stringify(response));
      return response;
    } catch (error) {
      invocation.error = error;
      throw error;
    }
  };
  const inner = inProcessInvoker(recorded, {
    functionName: fn?.functionName ?? mappingId,
    timeoutSeconds: options.timeoutSeconds ?? fn?.timeoutSeconds ?? 3,
    ...(fn === undefined ? {} : { memoryLimitInMB: fn.memorySize }),
    region: context.region,
    accountId: context.accountId,
    clock,
  });
  const invoker: FunctionInvoker = {
    functionName: inner.functionName,
    async invoke(event) {
      busy += 1;
      activity += 1;
      try {
        return await inner.invoke(event);
      } finally {
        busy -= 1;
        activity += 1;
      }
    },
  };

  const mapping = new EventSourceMapping({
    mappingId,
    streamArn,
    config,
    client,
    invoker,
    checkpoints,
    clock,
    logger: options.logger ?? silentLogger,
    metricsLogIntervalMs: 0,
    // The emulator's hint brings new records at once, so polls are only the fallback Lambda's 250 ms are for;
    // a second of the manual clock keeps the steps settled() takes through a long window few.
    pollIntervalMs: 1_000,
    onFailure: {
      destination: 'eddy/testing',
      send: async (record) => {
        activity += 1;
        onFailure.push(record);
      },
    },
    wakeUps: {
      subscribe: (listener) =>
        context.wakeUps.onRecords((e) => {
          if (e.streamArn === streamArn) listener(e.shardId);
        }),
    },
    onInvocation: (report) => {
      activity += 1;
      reports.push(report);
    },
  });
  mapping.start();

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= mapping.stop().finally(() => client.destroy());
    return stopped;
  };

  /** Each shard whose checkpoint is short of its target, with both. */
  const behind = async (targets: ReadonlyMap<string, bigint>) => {
    const lagging: { shardId: string; at: string; latest: bigint }[] = [];
    for (const [shardId, latest] of targets) {
      const checkpoint = await checkpoints.get(mappingId, shardId);
      if (checkpoint?.shardEnded === true) continue;
      if (checkpoint?.sequenceNumber !== undefined && BigInt(checkpoint.sequenceNumber) >= latest) continue;
      lagging.push({ shardId, at: checkpoint?.sequenceNumber ?? '(none)', latest });
    }
    return lagging;
  };

  const settled = async (settle: SettleOptions = {}): Promise<void> => {
    if (stopped !== undefined) throw new Error('eddy/testing: settled() after the run was stopped');
    const timeoutMs = settle.timeoutMs ?? 10_000;
    const deadline = Date.now() + timeoutMs;
    const targets = await latestSequenceNumbers(client, streamArn);
    let quiet = 0;
    let seen = activity;
    for (;;) {
      const lagging = await behind(targets);
      if (lagging.length === 0) return;
      if (Date.now() > deadline) {
        const last = reports.findLast((r) => r.outcome !== 'success');
        throw new Error(
          `eddy/testing: the run on ${streamArn} did not settle within ${timeoutMs} ms: ` +
            lagging.map((l) => `${l.shardId} checkpointed at ${l.at}, latest ${l.latest}`).join('; ') +
            (last === undefined
              ? ''
              : `; its last failed invocation (attempt ${last.attempt}): ${last.error ?? `batch item failures ${last.failures.join(', ')}`}`) +
            (last !== undefined && process.env.AWS_ENDPOINT_URL !== context.endpoint
              ? '. AWS_ENDPOINT_URL does not point at this emulator: if the handler makes its own AWS clients, call eddy.useEnvironment() before importing it'
              : '') +
            (config.MaximumRetryAttempts === -1 && config.MaximumRecordAgeInSeconds === -1
              ? '. With MaximumRetryAttempts -1 and MaximumRecordAgeInSeconds -1 (AWS’s defaults) a failing batch is retried forever: set MaximumRetryAttempts to let it go to the on-failure destination'
              : ''),
        );
      }
      if (busy > 0 || activity !== seen) {
        // A request or an invocation is under way: its effect comes with I/O, so give it real time.
        seen = activity;
        quiet = 0;
        await realTime();
        continue;
      }
      // Nothing under way: after a few turns of the event loop with no new activity, the run waits only on
      // the clock (a poll, a backoff, a window), and the clock moves to the first of them.
      await eventLoopTurn();
      quiet += 1;
      if (quiet < QUIET_TURNS) continue;
      quiet = 0;
      const next = settle.advanceClock === false ? undefined : clock.nextWakeUp();
      if (next === undefined) await realTime();
      else clock.set(Math.max(next, clock.now()));
    }
  };

  const idle = async (wait: { readonly timeoutMs?: number } = {}): Promise<void> => {
    const timeoutMs = wait.timeoutMs ?? 10_000;
    const deadline = Date.now() + timeoutMs;
    let quiet = 0;
    let seen = activity;
    while (quiet < QUIET_TURNS) {
      if (Date.now() > deadline) {
        throw new Error(
          `eddy/testing: the run on ${streamArn} was still busy after ${timeoutMs} ms (${busy} request(s) or invocation(s) under way)`,
        );
      }
      if (busy > 0 || activity !== seen) {
        seen = activity;
        quiet = 0;
        await realTime();
      } else {
        await eventLoopTurn();
        quiet += 1;
      }
    }
  };

  return {
    mapping,
    streamArn,
    config: mapping.config,
    invocations,
    reports,
    get batchItemFailures() {
      return reports.flatMap((r) => r.failures);
    },
    onFailure,
    records: () => invocations.flatMap((i) => i.event.Records),
    settled,
    idle,
    stop,
    [Symbol.asyncDispose]: stop,
  };
};

export type { HandlerRun, Invocation, RunContext, RunHandlerOptions, SettleOptions, TestHandler };
export { latestSequenceNumbers, runHandler };
