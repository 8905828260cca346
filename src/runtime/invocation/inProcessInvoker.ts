import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { invocationStatsOf, setInvocationStats } from '../../records/invocationStats.js';
import { type Clock, systemClock } from '../../time/clock.js';
import { eventJson } from './eventJson.js';
import type { FunctionInvoker } from './FunctionInvoker.js';
import { FunctionTimeoutError } from './FunctionTimeoutError.js';
import { lambdaContext } from './lambdaContext.js';

/**
 * A Lambda handler for DynamoDB stream events, as `inProcessInvoker` calls it (a `defineStreamHandler` result is one).
 *
 * @example
 * const handler: StreamHandlerFunction = async (event) => ({ batchItemFailures: [] });
 * inProcessInvoker(handler);
 */
type StreamHandlerFunction = (event: DynamoDBStreamEvent, context: Context) => unknown;

/**
 * The Lambda settings an in-process invocation imitates: the context's names and limits, and the timeout.
 *
 * @example
 * inProcessInvoker(handler, { functionName: 'orders-view', timeoutSeconds: 30, memoryLimitInMB: 256 });
 */
interface InProcessInvokerOptions {
  readonly functionName?: string;
  /** Seconds before an invocation counts as timed out (Lambda's Timeout). @default 3 */
  readonly timeoutSeconds?: number;
  readonly memoryLimitInMB?: number;
  readonly region?: string;
  readonly accountId?: string;
  readonly clock?: Clock;
}

/**
 * Runs a handler in this process, as Lambda would call it: the event passed through JSON (the function sees
 * exactly the bytes Lambda would send, never shared objects), the response passed back through JSON, and a
 * timeout that fails the invocation.
 *
 * @example
 * import { handler } from '../handlers/ordersProjection.js';
 * const invoker = inProcessInvoker(handler, { functionName: 'orders-projection', timeoutSeconds: 30 });
 */
const inProcessInvoker = (
  handler: StreamHandlerFunction,
  options: InProcessInvokerOptions = {},
): FunctionInvoker => {
  const clock = options.clock ?? systemClock;
  const functionName = options.functionName ?? 'eddy-function';
  const timeoutSeconds = options.timeoutSeconds ?? 3;
  return {
    functionName,
    async invoke(event) {
      const timeoutMs = timeoutSeconds * 1000;
      const context = lambdaContext({
        functionName,
        region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
        accountId: options.accountId ?? '000000000000',
        memoryLimitInMB: options.memoryLimitInMB ?? 128,
        deadline: clock.now() + timeoutMs,
        now: () => clock.now(),
      });
      const abort = new AbortController();
      const timeout = clock.sleep(timeoutMs, abort.signal).then(() => {
        throw new FunctionTimeoutError(timeoutSeconds);
      });
      try {
        const copy = JSON.parse(eventJson(event)) as DynamoDBStreamEvent;
        const response = await Promise.race([Promise.resolve().then(() => handler(copy, context)), timeout]);
        // What the handler reported beside its response reaches the runtime on the event it gave.
        const stats = invocationStatsOf(copy);
        if (stats !== undefined) setInvocationStats(event, stats);
        return response === undefined ? null : (JSON.parse(JSON.stringify(response)) as unknown);
      } finally {
        abort.abort();
        timeout.catch(() => undefined);
      }
    },
  };
};

export type { InProcessInvokerOptions, StreamHandlerFunction };
export { inProcessInvoker };
