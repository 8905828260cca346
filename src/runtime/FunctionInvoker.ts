import type { DynamoDBStreamEvent } from 'aws-lambda';

/**
 * How the runtime reaches the function: the event in, the function's response out. A rejection is a function
 * error (an exception, a crash or a timeout); the runtime retries the batch per its settings.
 */
interface FunctionInvoker {
  readonly functionName: string;
  invoke(event: DynamoDBStreamEvent): Promise<unknown>;
}

export type { FunctionInvoker };
