import { parentPort, workerData } from 'node:worker_threads';
import { lambdaContext } from '../../src/runtime/lambdaContext.js';
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
}

interface InvokeMessage {
  readonly id: number;
  readonly event: unknown;
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
  const module = (await import(data.bundleUrl)) as Record<string, unknown>;
  // A CommonJS module's exports arrive as the default export (and as named ones when Node can detect them).
  const handler = walk(module, data.exportName) ?? walk(module.default, data.exportName);
  if (typeof handler !== 'function') {
    throw new Error(
      `Runtime.HandlerNotFound: ${data.bundleUrl} does not export a function named ${data.exportName}`,
    );
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

const handlerPromise = loadHandler();
handlerPromise.catch(() => undefined);

port.on('message', async (message: InvokeMessage) => {
  try {
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
    const result = await call(handler, message.event, context);
    // The response travels as JSON, as Lambda serializes it.
    port.postMessage({
      id: message.id,
      ok: true,
      result: result === undefined ? null : JSON.parse(JSON.stringify(result)),
    });
  } catch (error) {
    // Lambda's runtime logs a failed invocation in the function's own log ("ERROR Invoke Error …"). Frames inside
    // RxJS are folded unless EDDY_FULL_STACK=1; the invoker's error keeps the whole stack.
    const stack = error instanceof Error ? (error.stack ?? String(error)) : String(error);
    console.error(`ERROR Invoke Error ${process.env.EDDY_FULL_STACK === '1' ? stack : trimStack(stack)}`);
    port.postMessage({ id: message.id, ok: false, error: serializeError(error) });
  }
});
