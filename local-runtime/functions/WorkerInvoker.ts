import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { DynamoDBStreamEvent } from 'aws-lambda';
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
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
};

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
      error?: { errorType: string; errorMessage: string; stackTrace?: string[] };
      durationMs: number;
      maxMemoryUsedMB: number;
      initDurationMs?: number;
    };

/**
 * Invokes a function in its own worker thread, like a Lambda execution environment: its own environment
 * variables, one invocation at a time, and a timeout that ends the environment (the next invocation starts
 * cold, as on Lambda after a timeout).
 */
class WorkerInvoker implements FunctionInvoker {
  readonly functionName: string;
  readonly #o: WorkerInvokerOptions;
  #worker: Worker | undefined;
  #nextId = 0;
  readonly #pending = new Map<number, Pending>();
  readonly #partial = { stdout: '', stderr: '' };
  /** The current environment's cold start: its error, or undefined once the handler is loaded. */
  #coldStart: Promise<FunctionError | undefined> | undefined;
  /** Of this execution environment, for the REPORT line of a timed-out invocation. */
  #maxMemoryUsedMB = 0;

  constructor(options: WorkerInvokerOptions) {
    this.#o = options;
    this.functionName = options.functionName;
  }

  invoke(event: DynamoDBStreamEvent): Promise<unknown> {
    const worker = this.#ensureWorker();
    const id = this.#nextId++;
    const timeoutMs = this.#o.timeoutSeconds * 1000;
    const requestId = randomUUID();
    const started = Date.now();
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        // As Lambda logs a timeout: the message, then END and REPORT with its status.
        this.#flushOutput();
        const error = new FunctionTimeoutError(this.#o.timeoutSeconds);
        this.#print(`${new Date().toISOString()} ${requestId} ${error.message}`);
        this.#print(endLine(requestId));
        this.#print(
          reportLine({
            requestId,
            durationMs: Date.now() - started,
            memorySizeMB: this.#o.memoryLimitInMB,
            maxMemoryUsedMB: this.#maxMemoryUsedMB,
            status: 'timeout',
          }),
        );
        reject(error);
        void this.#discardWorker();
      }, timeoutMs);
      this.#pending.set(id, {
        requestId,
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      worker.postMessage({ id, event, deadline: Date.now() + timeoutMs, requestId });
    });
  }

  /**
   * Starts the execution environment now (the cold start: the bundle imported, the handler looked up) instead of
   * at the first invocation. Resolves with the cold start's error (e.g. `Runtime.HandlerNotFound` when the
   * Handler names no function), or undefined; either way the environment stays, as after a cold start on Lambda.
   */
  prepare(): Promise<FunctionError | undefined> {
    this.#ensureWorker();
    return this.#coldStart as Promise<FunctionError | undefined>;
  }

  /** Ends the execution environment. */
  async close(): Promise<void> {
    await this.#discardWorker();
  }

  #ensureWorker(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    this.#maxMemoryUsedMB = 0;
    let initialized: (error: FunctionError | undefined) => void = () => {};
    this.#coldStart = new Promise((resolve) => {
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
        bundleUrl: this.#o.bundleUrl,
        exportName: this.#o.exportName,
        functionName: this.#o.functionName,
        memoryLimitInMB: this.#o.memoryLimitInMB,
        region: this.#o.region,
        accountId: this.#o.accountId,
      },
    });
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
        this.#write(message.stream, message.text);
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
      if (pending === undefined) return; // timed out already: its END and REPORT are printed
      this.#flushOutput();
      this.#maxMemoryUsedMB = Math.max(this.#maxMemoryUsedMB, message.maxMemoryUsedMB);
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
      if (message.ok) pending.resolve(message.result);
      else
        pending.reject(
          new FunctionError(
            message.error?.errorType ?? 'Error',
            message.error?.errorMessage ?? 'unknown error',
            message.error?.stackTrace,
          ),
        );
    });
    const fail = (error: Error) => {
      if (this.#worker === worker) this.#worker = undefined;
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    };
    worker.on('error', (error) => {
      const failure = new FunctionError('Runtime.ExitError', error.message);
      initialized(failure);
      fail(failure);
    });
    worker.on('exit', (code) => {
      const error = new FunctionError(
        'Runtime.ExitError',
        `the function's environment exited with code ${code}`,
      );
      initialized(error); // an environment that exits during its cold start: prepare() says why
      fail(error);
    });
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  #print(line: string): void {
    (this.#o.output ?? ((text: string) => process.stdout.write(`${text}\n`)))(line);
  }

  /** Output forwarded by the worker, printed by whole lines; a line still open is kept until it ends. */
  #write(stream: 'stdout' | 'stderr', text: string): void {
    const lines = (this.#partial[stream] + text).split('\n');
    this.#partial[stream] = lines.pop() ?? '';
    for (const line of lines) this.#print(line);
  }

  /** Prints what is left of an unfinished line, so that it comes before the invocation's END. */
  #flushOutput(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.#partial[stream] !== '') this.#print(this.#partial[stream]);
      this.#partial[stream] = '';
    }
  }

  async #discardWorker(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.terminate();
  }
}

export type { WorkerInvokerOptions };
export { FunctionError, WorkerInvoker };
