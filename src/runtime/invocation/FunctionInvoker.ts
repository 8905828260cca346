import type { DynamoDBStreamEvent } from 'aws-lambda';

/**
 * How the runtime reaches the function: the event in, the function's response out. A rejection is a function
 * error (an exception, a crash or a timeout); the runtime retries the batch per its settings.
 *
 * @example
 * const invoker: FunctionInvoker = {
 *   functionName: 'orders-view',
 *   invoke: (event) => lambda.send(new InvokeCommand({ FunctionName: 'orders-view', Payload: JSON.stringify(event) })),
 * };
 */
interface FunctionInvoker {
  readonly functionName: string;
  invoke(event: DynamoDBStreamEvent): Promise<unknown>;
}

export type { FunctionInvoker };
