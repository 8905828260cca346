import { parentPort, workerData } from 'node:worker_threads';
import { lambdaContext } from '../../src/runtime/lambdaContext.js';

/**
 * The sandbox of one function: a worker thread with the function's own environment, which imports the bundle
 * once (the cold start) and then serves invocations one at a time, as a Lambda execution environment does.
 */
interface WorkerData {
  readonly bundleUrl: string;
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

const loadHandler = async (): Promise<Handler> => {
  const module = (await import(data.bundleUrl)) as Record<string, unknown>;
  // A CommonJS bundle's exports arrive as the default export.
  const exports = (typeof module[data.exportName] === 'function' ? module : module.default) as Record<
    string,
    unknown
  >;
  const handler = exports?.[data.exportName];
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
    port.postMessage({ id: message.id, ok: false, error: serializeError(error) });
  }
});
