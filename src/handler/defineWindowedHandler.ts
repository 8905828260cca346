import type { DynamoDBBatchItemFailure, DynamoDBStreamEvent, Handler } from 'aws-lambda';
import { from, lastValueFrom } from 'rxjs';
import { type FailedOutcome, InvocationFailures } from '../pipeline/InvocationFailures.js';
import type { Item, StreamItem } from '../pipeline/StreamItem.js';
import type { WindowInvocation, WindowPipeline } from '../pipeline/WindowPipeline.js';
import type { StreamHandlerOptions } from './defineStreamHandler.js';

/**
 * A window's state: a JSON object, at most 1 MB serialized per shard (past that the window ends early).
 *
 * @example
 * type Totals = WindowState & { orders: number };
 */
type WindowState = Record<string, unknown>;

/**
 * The fields Lambda adds to a DynamoDB stream event when the mapping has TumblingWindowInSeconds
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-windows.html).
 *
 * @example
 * const { window, isFinalInvokeForWindow }: TumblingWindowFields = event;
 */
interface TumblingWindowFields<S extends object = WindowState> {
  /** The window's bounds, ISO-8601 to the second: start inclusive, end exclusive. */
  readonly window: { readonly start: string; readonly end: string };
  /** The state the previous invocation of the window answered; `{}` on the window's first invocation. */
  readonly state?: S | Record<string, never>;
  readonly shardId: string;
  readonly eventSourceARN: string;
  /** The window has ended: this invocation is its last (on AWS it comes with no records). */
  readonly isFinalInvokeForWindow: boolean;
  /** The window ended before its time because its state passed 1 MB (set on the final invocation). */
  readonly isWindowTerminatedEarly: boolean;
}

/**
 * A DynamoDB stream event for a mapping with tumbling windows.
 *
 * @example
 * export const handler = async (event: DynamoDBStreamTumblingWindowEvent<{ orders: number }>) => ({
 *   state: { orders: (event.state?.orders ?? 0) + event.Records.length },
 *   batchItemFailures: [],
 * });
 */
type DynamoDBStreamTumblingWindowEvent<S extends object = WindowState> = DynamoDBStreamEvent &
  TumblingWindowFields<S>;

/**
 * A windowed function's answer: the new state (required: without it the invocation fails) and the failures.
 *
 * @example
 * const response: DynamoDBStreamStateResponse<{ orders: number }> = { state: { orders: 3 }, batchItemFailures: [] };
 */
interface DynamoDBStreamStateResponse<S extends object = WindowState> {
  state: S;
  batchItemFailures: DynamoDBBatchItemFailure[];
}

/**
 * The state a window starts from, and how a windowed handler reports the records its pipeline failed.
 *
 * @example
 * defineWindowedHandler(countOrders, { initialState: () => ({ orders: 0 }), onRecordError: (e) => console.error(e) });
 */
interface WindowedHandlerOptions<S extends object> extends StreamHandlerOptions {
  /**
   * The state a window starts from. Lambda sends `{}` on a window's first invocation; an empty incoming state
   * is replaced by this one. @default the `{}` Lambda sends
   */
  readonly initialState?: () => S;
}

const isWindowEvent = (event: DynamoDBStreamEvent): event is DynamoDBStreamTumblingWindowEvent => {
  const fields = event as Partial<TumblingWindowFields>;
  return (
    typeof fields.window?.start === 'string' &&
    typeof fields.window.end === 'string' &&
    typeof fields.isFinalInvokeForWindow === 'boolean'
  );
};

const isStateObject = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Turns a window pipeline into a Lambda handler for a mapping with tumbling windows
 * (`TumblingWindowInSeconds`): each invocation gets the window's state and a batch of its records, and answers
 * `{ state, batchItemFailures }`; Lambda hands the state to the window's next invocation, and ends the window
 * with a final invocation (`isFinalInvokeForWindow`) that is the place to write the aggregate out.
 *
 * The pipeline's last value is the new state; a pipeline that emits nothing leaves the state as it was. It must
 * be a JSON object (Lambda serializes it); anything else fails the invocation, as does an error of the pipeline,
 * and an event without a window (a mapping without TumblingWindowInSeconds). The state given to the pipeline is
 * its own copy, so folding into it in place is safe.
 *
 * Records fail as in `defineStreamHandler`: through the side channel (`decodeWith`, `changed`, `newImage`, …,
 * `failRecord`) or a failing `processEach` effect. The state, though, is the shard's, not an item's: when a
 * record fails, the state answered must not include it or anything after it, because Lambda resumes the window
 * at the lowest failure with this state. So the handler reports the first failed record and every record after
 * it, and answers the state of the records before it, which it gets by running the pipeline again over that
 * prefix. Keep window pipelines pure folds of their records (effects belong to the final invocation, which on
 * AWS has no records), as the prefix may run twice.
 *
 * @example
 * interface Totals { orders: number; revenue: number }
 * export const handler = defineWindowedHandler<Totals, Order>(
 *   (records, { state, isFinalInvokeForWindow, window }) =>
 *     isFinalInvokeForWindow
 *       ? defer(async () => { await saveTotals(window.start, state); return state; })
 *       : records.pipe(
 *           decodeWith(Order),
 *           newImage(),
 *           reduce((s, order) => ({ orders: s.orders + 1, revenue: s.revenue + order.total }), state),
 *         ),
 *   { initialState: () => ({ orders: 0, revenue: 0 }) },
 * );
 */
const defineWindowedHandler = <S extends object, T extends Item = Item>(
  pipeline: WindowPipeline<S, T>,
  options: WindowedHandlerOptions<S> = {},
): Handler<DynamoDBStreamEvent, DynamoDBStreamStateResponse<S>> &
  ((event: DynamoDBStreamEvent) => Promise<DynamoDBStreamStateResponse<S>>) => {
  const onRecordError =
    options.onRecordError ?? ((error, item) => console.error(`record ${item.sequenceNumber} failed:`, error));
  const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBStreamStateResponse<S>> => {
    if (!isWindowEvent(event)) {
      throw new TypeError(
        'defineWindowedHandler: the event has no tumbling window (window, isFinalInvokeForWindow); ' +
          'set TumblingWindowInSeconds on the event source mapping, or use defineStreamHandler',
      );
    }
    const incoming = event.state ?? {};
    const state =
      Object.keys(incoming).length === 0 && options.initialState !== undefined
        ? options.initialState()
        : (incoming as S);
    const records = event.Records;
    const reported = new Map<string, { readonly failure: FailedOutcome; readonly item: StreamItem<T> }>();
    let length = records.length;
    for (;;) {
      const invocation: WindowInvocation<S> = {
        state: structuredClone(state),
        window: event.window,
        isFinalInvokeForWindow: event.isFinalInvokeForWindow,
        isWindowTerminatedEarly: event.isWindowTerminatedEarly,
        shardId: event.shardId,
        eventSourceARN: event.eventSourceARN,
      };
      const { result, failures, items } = await InvocationFailures.run<T, S>(
        records.slice(0, length),
        (items) => lastValueFrom(from(pipeline(from(items), invocation)), { defaultValue: invocation.state }),
      );
      const failed = new Map(failures.failures.map((failure) => [failure.sequenceNumber, failure]));
      const firstFailed = items.findIndex((item) => failed.has(item.sequenceNumber));
      for (const item of items) {
        const failure = failed.get(item.sequenceNumber);
        if (failure !== undefined && !reported.has(item.sequenceNumber)) {
          reported.set(item.sequenceNumber, { failure, item });
        }
      }
      if (firstFailed === -1) {
        if (!isStateObject(result)) {
          throw new TypeError(
            `defineWindowedHandler: the pipeline answered ${JSON.stringify(result)} as the window's state; ` +
              'a state must be an object (Lambda fails an invocation whose response has no state object)',
          );
        }
        for (const { failure, item } of reported.values()) onRecordError(failure.error, item as StreamItem);
        return {
          state: result,
          batchItemFailures: records
            .slice(length)
            .map((record) => ({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' })),
        };
      }
      // Answer the state of the records before the first failure: run the pipeline again over them alone.
      length = firstFailed;
    }
  };
  return handler as Handler<DynamoDBStreamEvent, DynamoDBStreamStateResponse<S>> & typeof handler;
};

export type {
  DynamoDBStreamStateResponse,
  DynamoDBStreamTumblingWindowEvent,
  TumblingWindowFields,
  WindowedHandlerOptions,
  WindowInvocation,
  WindowPipeline,
  WindowState,
};
export { defineWindowedHandler };
