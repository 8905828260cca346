import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { FunctionTimeoutError } from '../../src/runtime/errors.js';
import type { FunctionInvoker } from '../../src/runtime/FunctionInvoker.js';

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
  /** Where the function's console output goes, line by line. */
  readonly output?: (line: string) => void;
}

/** A function error as Lambda reports it (errorType, errorMessage). */
class FunctionError extends Error {
  constructor(errorType: string, errorMessage: string, stackTrace?: readonly string[]) {
    super(errorMessage);
    this.name = errorType;
    // The function's own stack (source-mapped to its .ts lines), not this class's.
    if (stackTrace !== undefined) this.stack = [`${errorType}: ${errorMessage}`, ...stackTrace].join('\n');
  }
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

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

  constructor(options: WorkerInvokerOptions) {
    this.#o = options;
    this.functionName = options.functionName;
  }

  invoke(event: DynamoDBStreamEvent): Promise<unknown> {
    const worker = this.#ensureWorker();
    const id = this.#nextId++;
    const timeoutMs = this.#o.timeoutSeconds * 1000;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new FunctionTimeoutError(this.#o.timeoutSeconds));
        void this.#discardWorker();
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      worker.postMessage({ id, event, deadline: Date.now() + timeoutMs, requestId: randomUUID() });
    });
  }

  /** Ends the execution environment. */
  async close(): Promise<void> {
    await this.#discardWorker();
  }

  #ensureWorker(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = new Worker(this.#o.workerUrl, {
      env: { ...this.#o.environment },
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
    const output = this.#o.output ?? ((line: string) => process.stdout.write(`${line}\n`));
    for (const stream of [worker.stdout, worker.stderr]) {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) output(line);
      });
    }
    worker.on(
      'message',
      (message: {
        id: number;
        ok: boolean;
        result?: unknown;
        error?: { errorType: string; errorMessage: string; stackTrace?: string[] };
      }) => {
        const pending = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        if (message.ok) pending?.resolve(message.result);
        else
          pending?.reject(
            new FunctionError(
              message.error?.errorType ?? 'Error',
              message.error?.errorMessage ?? 'unknown error',
              message.error?.stackTrace,
            ),
          );
      },
    );
    const fail = (error: Error) => {
      if (this.#worker === worker) this.#worker = undefined;
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    };
    worker.on('error', (error) => fail(new FunctionError('Runtime.ExitError', error.message)));
    worker.on('exit', (code) =>
      fail(new FunctionError('Runtime.ExitError', `the function's environment exited with code ${code}`)),
    );
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  async #discardWorker(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.terminate();
  }
}

export type { WorkerInvokerOptions };
export { FunctionError, WorkerInvoker };
