import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { type InvocationStats, setInvocationStats } from '../../src/records/invocationStats.js';
import { eventJson } from '../../src/runtime/invocation/eventJson.js';
import type { FunctionInvoker } from '../../src/runtime/invocation/FunctionInvoker.js';
import { FunctionTimeoutError } from '../../src/runtime/invocation/FunctionTimeoutError.js';
import { endLine, reportLine, startLine } from './lambdaLogLines.js';

interface WorkerInvokerOptions {
  readonly functionName: string;
  readonly bundleUrl: string;
  readonly exportName: string;
  readonly timeoutSeconds: number;
  readonly memoryLimitInMB: number;
  readonly region: string;
  readonly accountId: string;
  /** The function's environment: Lambda's reserved variables plus the template's Environment.Variables. */
  readonly environment: Readonly<Record<string, string>>;
  /** The sandbox's entry script (see `workerEntry`). */
  readonly workerUrl: URL;
  /**
   * Where the function's console output goes, line by line, between Lambda's `START`, `END` and `REPORT` lines
   * for each invocation (in that order: the output reaches the parent before the result).
   */
  readonly output?: (line: string) => void;
}

/**
 * What a spare environment imports before the new code exists (`eddy dev --watch`): a module (`url`) that imports
 * the packages the bundle imports first (`specifiers`, in the bundle's order), from the bundle's folder so that
 * they resolve to the same files. See `WorkerInvoker.prewarm`.
 */
interface Preload {
  readonly url: string;
  readonly specifiers: readonly string[];
}

/** What `WorkerInvoker.reload` swaps in. */
interface ReloadOptions {
  /** The new bundle (a rebuild may write it elsewhere); the current one, read again, when omitted. */
  readonly bundleUrl?: string;
  /** The packages the new bundle imports first, for a spare to stand for its cold start (see `prewarm`). */
  readonly preload?: Preload;
}

/** The young generation of each function's V8 heap, in MB (see `#ensureWorker`). */
const WORKER_YOUNG_GENERATION_MB = 8;

/** A function error as Lambda reports it (errorType, errorMessage). */
class FunctionError extends Error {
  constructor(errorType: string, errorMessage: string, stackTrace?: readonly string[]) {
    super(errorMessage);
    this.name = errorType;
    // The function's own stack (source-mapped to its .ts lines), not this class's.
    if (stackTrace !== undefined) this.stack = [`${errorType}: ${errorMessage}`, ...stackTrace].join('\n');
  }
}

type Pending = {
  readonly requestId: string;
  /** The event as the runtime gave it: what the handler reports beside its response is set on it. */
  readonly event: DynamoDBStreamEvent;
  /** The environment the invocation runs in: it fails with it, and its REPORT line is of it. */
  readonly environment: Environment;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
};

/** One execution environment: a worker thread with the function loaded, and what it has in flight. */
interface Environment {
  readonly worker: Worker;
  /** Its cold start: its error, or undefined once the handler is loaded. */
  readonly coldStart: Promise<FunctionError | undefined>;
  /** Invocations sent to it and not answered yet. */
  readonly inFlight: Set<number>;
  /** For the REPORT line of a timed-out invocation. */
  maxMemoryUsedMB: number;
  /** Output lines not ended yet, per stream. */
  readonly partial: { stdout: string; stderr: string };
  /** Replaced (`reload`): it ends once its invocations in flight are answered. */
  retired: boolean;
  /** Its worker exited (a timeout, a crash, `terminate`). */
  exited: boolean;
}

/** A spare environment (see `WorkerInvoker.prewarm`) and what it imported already. */
interface Spare {
  readonly environment: Environment;
  readonly preload: Preload | undefined;
}

/**
 * A spare that imported `spare` may load a bundle whose first imports are `next`, with the same result as a cold
 * start: an ESM module's imports are evaluated before its body, in order, so a spare that evaluated a prefix of
 * them has done what the cold start would do first, and nothing else.
 */
const startsWith = (next: readonly string[], spare: readonly string[]): boolean =>
  spare.length <= next.length && spare.every((specifier, index) => next[index] === specifier);

/** What the function's worker sends: its output, an invocation starting, an invocation's result. */
type WorkerMessage =
  | { type: 'log'; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'start'; id: number }
  | { type: 'init'; ok: boolean; error?: { errorType: string; errorMessage: string } }
  | {
      type: 'result';
      id: number;
      ok: boolean;
      result?: unknown;
      stats?: InvocationStats;
      error?: { errorType: string; errorMessage: string; stackTrace?: string[] };
      durationMs: number;
      maxMemoryUsedMB: number;
      initDurationMs?: number;
    };

/**
 * Invokes a function in its own worker thread, like a Lambda execution environment: its own environment
 * variables, one invocation at a time, and a timeout that ends the environment (the next invocation starts
 * cold, as on Lambda after a timeout). `reload` swaps in a new environment (new code) between invocations.
 */
class WorkerInvoker implements FunctionInvoker {
  readonly functionName: string;
  readonly #o: WorkerInvokerOptions;
  /** Where the next invocation goes; undefined until one is needed. */
  #current: Environment | undefined;
  #nextId = 0;
  readonly #pending = new Map<number, Pending>();
  /** The bundle a new environment imports: the options', then the last one `reload` swapped in. */
  #bundleUrl: string;
  /** The environment the next `reload` starts from, once `prewarm` asked for one. */
  #spare: Spare | undefined;

  constructor(options: WorkerInvokerOptions) {
    this.#o = options;
    this.#bundleUrl = options.bundleUrl;
    this.functionName = options.functionName;
  }

  invoke(event: DynamoDBStreamEvent): Promise<unknown> {
    const environment = this.#ensureEnvironment();
    const id = this.#nextId++;
    const timeoutMs = this.#o.timeoutSeconds * 1000;
    const requestId = randomUUID();
    const started = Date.now();
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        environment.inFlight.delete(id);
        // As Lambda logs a timeout: the message, then END and REPORT with its status.
        this.#flushOutput(environment);
        const error = new FunctionTimeoutError(this.#o.timeoutSeconds);
        this.#print(`${new Date().toISOString()} ${requestId} ${error.message}`);
        this.#print(endLine(requestId));
        this.#print(
          reportLine({
            requestId,
            durationMs: Date.now() - started,
            memorySizeMB: this.#o.memoryLimitInMB,
            maxMemoryUsedMB: environment.maxMemoryUsedMB,
            status: 'timeout',
          }),
        );
        reject(error);
        void this.#discard(environment);
      }, timeoutMs);
      this.#pending.set(id, {
        requestId,
        event,
        environment,
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      environment.inFlight.add(id);
      // The event goes as its JSON text, as Lambda sends it: the function parses its own copy, and a string
      // crosses to the worker thread at a fraction of what cloning the records' objects costs.
      environment.worker.postMessage({
        id,
        eventJson: eventJson(event),
        deadline: Date.now() + timeoutMs,
        requestId,
      });
    });
  }

  /**
   * Starts the execution environment now (the cold start: the bundle imported, the handler looked up) instead of
   * at the first invocation. Resolves with the cold start's error (e.g. `Runtime.HandlerNotFound` when the
   * Handler names no function), or undefined; either way the environment stays, as after a cold start on Lambda.
   */
  prepare(): Promise<FunctionError | undefined> {
    return this.#ensureEnvironment().coldStart;
  }

  /**
   * Swaps in a new execution environment that loads the bundle again (`eddy dev --watch`, after a rebuild):
   * the new one's cold start runs first, beside the current one; if it succeeds, every invocation from then on
   * goes to it, and the old one ends once the invocations it is running are answered, so no batch is cut in half.
   * If it fails (the new code throws while loading), it is dropped and the current one stays. Resolves with the
   * cold start's error, or undefined once the new environment serves. The new environment is the spare
   * (`prewarm`) when there is one whose packages are the first that the bundle imports (`preload`, from the
   * build; none when omitted): its cold start then only imports the bundle.
   *
   * @example
   * const error = await invoker.reload();
   * if (error === undefined) console.log('the next invocation runs the new code');
   */
  async reload(next: ReloadOptions = {}): Promise<FunctionError | undefined> {
    const bundleUrl = next.bundleUrl ?? this.#bundleUrl;
    const candidate = this.#takeSpare(bundleUrl, next.preload) ?? this.#spawn(bundleUrl);
    const error = await candidate.coldStart;
    if (error !== undefined) {
      await this.#discard(candidate);
      return error;
    }
    // An environment started later (after a timeout) runs this version too.
    this.#bundleUrl = bundleUrl;
    const previous = this.#current;
    this.#current = candidate;
    if (previous !== undefined) {
      previous.retired = true;
      if (previous.inFlight.size === 0) await this.#discard(previous);
    }
    return undefined;
  }

  /**
   * Starts a spare execution environment for the next `reload` (`eddy dev --watch` asks for one after each
   * reload, once every copy's is done, so that the spares do not slow the cold starts down): a worker thread booted with the function's environment variables that has imported `preload`'s
   * packages and waits. `reload` then only imports the bundle in it, which is most of a reload's time saved when
   * the bundle's packages (the AWS SDK) are loaded from node_modules. A spare whose packages are not the first
   * ones the new bundle imports is not used (see `startsWith`): the cold start then starts from nothing.
   *
   * @example
   * invoker.prewarm({ url: 'file:///app/.eddy/build/Fn/.preload-1a2b3c4d.mjs', specifiers: ['@aws-sdk/client-dynamodb'] });
   * await invoker.reload(preload); // the new environment skips the SDK's import
   */
  prewarm(preload: Preload | undefined): void {
    const spare = this.#spare;
    if (spare !== undefined) {
      if (!spare.environment.exited && spare.preload?.url === preload?.url) return;
      this.#spare = undefined;
      void this.#discard(spare.environment);
    }
    this.#spare = { environment: this.#spawn(this.#bundleUrl, { deferred: true, preload }), preload };
  }

  /** The spare, told to load the bundle, when it can stand for a cold start of a bundle that imports `preload`. */
  #takeSpare(bundleUrl: string, preload: Preload | undefined): Environment | undefined {
    const spare = this.#spare;
    if (spare === undefined) return undefined;
    this.#spare = undefined;
    if (spare.environment.exited || !startsWith(preload?.specifiers ?? [], spare.preload?.specifiers ?? [])) {
      void this.#discard(spare.environment);
      return undefined;
    }
    spare.environment.worker.postMessage({ type: 'load', bundleUrl });
    return spare.environment;
  }

  /** Ends the execution environment. */
  async close(): Promise<void> {
    const spare = this.#spare;
    this.#spare = undefined;
    if (spare !== undefined) await this.#discard(spare.environment);
    const current = this.#current;
    if (current !== undefined) await this.#discard(current);
  }

  #ensureEnvironment(): Environment {
    this.#current ??= this.#spawn(this.#bundleUrl);
    return this.#current;
  }

  #spawn(
    bundleUrl: string,
    spare?: { readonly deferred: true; readonly preload: Preload | undefined },
  ): Environment {
    let initialized: (error: FunctionError | undefined) => void = () => {};
    const coldStart = new Promise<FunctionError | undefined>((resolve) => {
      initialized = resolve;
    });
    const worker = new Worker(this.#o.workerUrl, {
      env: { ...this.#o.environment },
      // V8 gives every isolate a young generation of up to 48 MB by default, filled before each scavenge: with a
      // worker per function and region (six for the example template) that alone made `eddy dev`'s RSS swing by
      // hundreds of MB (bench/devSoak.ts). A function's short-lived garbage fits in a few MB.
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
      stdout: true,
      stderr: true,
      workerData: {
        bundleUrl,
        exportName: this.#o.exportName,
        functionName: this.#o.functionName,
        memoryLimitInMB: this.#o.memoryLimitInMB,
        region: this.#o.region,
        accountId: this.#o.accountId,
        ...(spare === undefined ? {} : { deferred: true }),
        ...(spare?.preload === undefined ? {} : { preloadUrl: spare.preload.url }),
      },
    });
    const environment: Environment = {
      worker,
      coldStart,
      inFlight: new Set(),
      maxMemoryUsedMB: 0,
      partial: { stdout: '', stderr: '' },
      retired: false,
      exited: false,
    };
    // What bypasses the worker's forwarded console (native writes) still arrives, through the worker's pipes.
    for (const stream of [worker.stdout, worker.stderr]) {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) this.#print(line);
      });
    }
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'log') {
        this.#write(environment, message.stream, message.text);
        return;
      }
      if (message.type === 'init') {
        initialized(
          message.ok
            ? undefined
            : new FunctionError(
                message.error?.errorType ?? 'Error',
                message.error?.errorMessage ?? 'unknown error',
              ),
        );
        return;
      }
      const pending = this.#pending.get(message.id);
      if (message.type === 'start') {
        if (pending !== undefined) this.#print(startLine(pending.requestId));
        return;
      }
      this.#pending.delete(message.id);
      environment.inFlight.delete(message.id);
      if (pending === undefined) return; // timed out already: its END and REPORT are printed
      this.#flushOutput(environment);
      environment.maxMemoryUsedMB = Math.max(environment.maxMemoryUsedMB, message.maxMemoryUsedMB);
      this.#print(endLine(pending.requestId));
      this.#print(
        reportLine({
          requestId: pending.requestId,
          durationMs: message.durationMs,
          memorySizeMB: this.#o.memoryLimitInMB,
          maxMemoryUsedMB: message.maxMemoryUsedMB,
          ...(message.initDurationMs === undefined ? {} : { initDurationMs: message.initDurationMs }),
        }),
      );
      if (message.ok) {
        if (message.stats !== undefined) setInvocationStats(pending.event, message.stats);
        pending.resolve(message.result);
      } else
        pending.reject(
          new FunctionError(
            message.error?.errorType ?? 'Error',
            message.error?.errorMessage ?? 'unknown error',
            message.error?.stackTrace,
          ),
        );
      // A replaced environment ends after its last answer.
      if (environment.retired && environment.inFlight.size === 0) void this.#discard(environment);
    });
    const fail = (error: Error) => {
      if (this.#current === environment) this.#current = undefined;
      for (const id of environment.inFlight) {
        this.#pending.get(id)?.reject(error);
        this.#pending.delete(id);
      }
      environment.inFlight.clear();
    };
    worker.on('error', (error) => {
      const failure = new FunctionError('Runtime.ExitError', error.message);
      initialized(failure);
      fail(failure);
    });
    worker.on('exit', (code) => {
      environment.exited = true;
      const error = new FunctionError(
        'Runtime.ExitError',
        `the function's environment exited with code ${code}`,
      );
      initialized(error); // an environment that exits during its cold start: prepare() says why
      fail(error);
    });
    worker.unref();
    return environment;
  }

  #print(line: string): void {
    (this.#o.output ?? ((text: string) => process.stdout.write(`${text}\n`)))(line);
  }

  /** Output forwarded by the worker, printed by whole lines; a line still open is kept until it ends. */
  #write(environment: Environment, stream: 'stdout' | 'stderr', text: string): void {
    const lines = (environment.partial[stream] + text).split('\n');
    environment.partial[stream] = lines.pop() ?? '';
    for (const line of lines) this.#print(line);
  }

  /** Prints what is left of an unfinished line, so that it comes before the invocation's END. */
  #flushOutput(environment: Environment): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (environment.partial[stream] !== '') this.#print(environment.partial[stream]);
      environment.partial[stream] = '';
    }
  }

  async #discard(environment: Environment): Promise<void> {
    if (this.#current === environment) this.#current = undefined;
    await environment.worker.terminate();
  }
}

export type { Preload, ReloadOptions, WorkerInvokerOptions };
export { FunctionError, WorkerInvoker };
