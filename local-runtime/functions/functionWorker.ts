import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { invocationStatsOf } from '../../src/records/invocationStats.js';
import { lambdaContext } from '../../src/runtime/invocation/lambdaContext.js';
import { trimStack } from './trimStack.js';

// Stack traces name the source lines (the .ts files) through the bundle's source map, as NODE_OPTIONS
// --enable-source-maps does on Lambda; a worker thread ignores NODE_OPTIONS, so it is switched on here.
process.setSourceMapsEnabled(true);

/**
 * The sandbox of one function: a worker thread with the function's own environment, which imports the bundle
 * once (the cold start) and then serves invocations one at a time, as a Lambda execution environment does.
 */
interface WorkerData {
  readonly bundleUrl: string;
  /** The Handler's export path after the module name: `handler`, or `a.b` for `app.a.b`. */
  readonly exportName: string;
  readonly functionName: string;
  readonly memoryLimitInMB: number;
  readonly region: string;
  readonly accountId: string;
  /**
   * A spare environment (`eddy dev --watch`, see `WorkerInvoker.prewarm`): the worker imports this module (the
   * packages the bundle imports first, in its order) and then waits for a `load` message before it imports the
   * bundle. Absent, with `deferred` unset: the bundle is imported at once (a cold start).
   */
  readonly preloadUrl?: string;
  /** Wait for a `load` message before importing the bundle (a spare environment). */
  readonly deferred?: boolean;
}

interface InvokeMessage {
  readonly id: number;
  /** The event's JSON text, as Lambda's runtime API hands it to the runtime. */
  readonly eventJson: string;
  readonly deadline: number;
  readonly requestId: string;
}

type Handler = (
  event: unknown,
  context: unknown,
  callback?: (error: unknown, result?: unknown) => void,
) => unknown;

const data = workerData as WorkerData;
const port = parentPort;
if (port === null) throw new Error('functionWorker must run in a worker thread');

/**
 * The function's output travels over the message port, like its results: messages keep their order, so every
 * line a handler writes reaches the parent before its invocation's result (and is printed before END). The
 * worker's own stdout pipe would deliver it later, after the summary line.
 */
const forward = (stream: 'stdout' | 'stderr') => {
  const target = process[stream];
  target.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
    const text =
      typeof chunk === 'string'
        ? chunk
        : Buffer.from(chunk as Uint8Array).toString(
            typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
          );
    (port as NonNullable<typeof port>).postMessage({ type: 'log', stream, text });
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') queueMicrotask(() => (done as (error?: Error) => void)());
    return true;
  }) as typeof target.write;
};
forward('stdout');
forward('stderr');

/** Megabytes of this environment's heap in use (V8 heap and external memory), the most seen so far. */
let maxMemoryUsedMB = 0;
const memoryUsedMB = (): number => {
  const heap = getHeapStatistics();
  maxMemoryUsedMB = Math.max(
    maxMemoryUsedMB,
    Math.ceil((heap.used_heap_size + heap.external_memory) / (1024 * 1024)),
  );
  return maxMemoryUsedMB;
};

const serializeError = (error: unknown) =>
  error instanceof Error
    ? {
        errorType: error.name,
        errorMessage: error.message,
        stackTrace: (error.stack ?? '').split('\n').slice(1),
      }
    : { errorType: 'Error', errorMessage: String(error), stackTrace: [] };

/** Walks a dotted export path as Lambda's runtime does (`_resolveHandler`): `a.b` is `exports.a.b`. */
const walk = (root: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], root);

const loadHandler = async (): Promise<Handler> => {
  const module = (await import(bundleUrl)) as Record<string, unknown>;
  // A CommonJS module's exports arrive as the default export (and as named ones when Node can detect them).
  const handler = walk(module, data.exportName) ?? walk(module.default, data.exportName);
  if (typeof handler !== 'function') {
    // Lambda's error type for a Handler that names no function (Runtime.HandlerNotFound).
    const error = new Error(
      handler === undefined
        ? `${bundleUrl} does not export ${data.exportName}`
        : `${bundleUrl} exports ${data.exportName}, but as a ${typeof handler}, not a function`,
    );
    error.name = 'Runtime.HandlerNotFound';
    throw error;
  }
  return handler as Handler;
};

/** Calls an async handler, or a callback-style one (three parameters) through its callback. */
const call = (handler: Handler, event: unknown, context: unknown): Promise<unknown> =>
  handler.length >= 3
    ? new Promise((resolve, reject) => {
        const returned = handler(event, context, (error, result) =>
          error ? reject(error) : resolve(result),
        );
        if (returned instanceof Promise) returned.then(resolve, reject);
      })
    : Promise.resolve(handler(event, context));

/** A spare environment's order to import the bundle (the new code is built). */
interface LoadMessage {
  readonly type: 'load';
  /** The bundle to import (the new build's). */
  readonly bundleUrl: string;
}

/** The module the cold start imports: the bundle of workerData, or the one a spare's `load` message names. */
let bundleUrl = data.bundleUrl;

let initStart = performance.now();
/** Time spent importing the preloaded packages: part of the cold start, as it would be without a spare. */
let preloadMs = 0;
/** A spare's import of its packages, then its wait for the order to load the bundle. */
const loadOrdered = async (): Promise<void> => {
  if (data.preloadUrl !== undefined) {
    // A package that fails to load here fails the bundle's import too, with the same error: it is said then.
    await import(data.preloadUrl).catch(() => undefined);
  }
  preloadMs = performance.now() - initStart;
  await loadOrder;
  initStart = performance.now() - preloadMs;
};
/** Settled by the `load` message, which may come before the preload ends. */
let ordered: () => void = () => {};
const loadOrder = new Promise<void>((resolve) => {
  ordered = resolve;
});
const handlerPromise = data.deferred === true ? loadOrdered().then(loadHandler) : loadHandler();
handlerPromise.catch(() => undefined);
/** How long the cold start took (ms), reported with the first invocation only, as Lambda's REPORT line does. */
let initDurationMs: number | undefined;
// The parent may wait for the cold start (WorkerInvoker.prepare) to find a Handler that is not a function.
void handlerPromise.then(
  () => {
    initDurationMs = performance.now() - initStart;
    port.postMessage({ type: 'init', ok: true });
  },
  (error: unknown) => {
    initDurationMs = performance.now() - initStart;
    port.postMessage({ type: 'init', ok: false, error: serializeError(error) });
  },
);

port.on('message', async (message: InvokeMessage | LoadMessage) => {
  if ('type' in message) {
    bundleUrl = message.bundleUrl;
    ordered();
    return;
  }
  let started = performance.now();
  const timing = () => {
    const init = initDurationMs;
    initDurationMs = undefined;
    return {
      durationMs: performance.now() - started,
      maxMemoryUsedMB: memoryUsedMB(),
      ...(init === undefined ? {} : { initDurationMs: init }),
    };
  };
  try {
    // The cold start's output comes first; START once the handler is loaded, as on Lambda.
    await handlerPromise.catch(() => undefined);
    (port as NonNullable<typeof port>).postMessage({ type: 'start', id: message.id });
    started = performance.now();
    const handler = await handlerPromise;
    const context = lambdaContext({
      functionName: data.functionName,
      region: data.region,
      accountId: data.accountId,
      memoryLimitInMB: data.memoryLimitInMB,
      deadline: message.deadline,
      now: Date.now,
      awsRequestId: message.requestId,
    });
    const event: unknown = JSON.parse(message.eventJson);
    const result = await call(handler, event, context);
    // The response travels as JSON, as Lambda serializes it.
    const response = result === undefined ? null : JSON.parse(JSON.stringify(result));
    // What the handler told the runtime beside its response (records it found already applied).
    const stats = invocationStatsOf(event as never);
    port.postMessage({
      type: 'result',
      id: message.id,
      ok: true,
      result: response,
      ...(stats === undefined ? {} : { stats }),
      ...timing(),
    });
  } catch (error) {
    // Lambda's runtime logs a failed invocation in the function's own log ("ERROR Invoke Error …"). Frames inside
    // RxJS are folded unless EDDY_FULL_STACK=1; the invoker's error keeps the whole stack.
    const stack = error instanceof Error ? (error.stack ?? String(error)) : String(error);
    console.error(`ERROR Invoke Error ${process.env.EDDY_FULL_STACK === '1' ? stack : trimStack(stack)}`);
    port.postMessage({
      type: 'result',
      id: message.id,
      ok: false,
      error: serializeError(error),
      ...timing(),
    });
  }
});
