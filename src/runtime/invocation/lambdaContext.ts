import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

interface LambdaContextOptions {
  readonly functionName: string;
  readonly region: string;
  readonly accountId: string;
  readonly memoryLimitInMB: number;
  /** Epoch ms by which the invocation must finish. */
  readonly deadline: number;
  readonly now: () => number;
  readonly awsRequestId?: string;
}

/** A Lambda `Context` with the fields Lambda's Node.js runtime provides, for functions run outside Lambda. */
const lambdaContext = (options: LambdaContextOptions): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: options.functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:${options.region}:${options.accountId}:function:${options.functionName}`,
  memoryLimitInMB: String(options.memoryLimitInMB),
  awsRequestId: options.awsRequestId ?? randomUUID(),
  logGroupName: `/aws/lambda/${options.functionName}`,
  logStreamName: `eddy/[$LATEST]${randomUUID().replaceAll('-', '')}`,
  getRemainingTimeInMillis: () => Math.max(0, options.deadline - options.now()),
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

export type { LambdaContextOptions };
export { lambdaContext };
