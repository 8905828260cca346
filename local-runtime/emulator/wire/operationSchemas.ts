import * as dynamodb from '@aws-sdk/client-dynamodb';
import * as streams from '@aws-sdk/client-dynamodb-streams';
import type { Schema } from './compileShape.js';

/**
 * AWS's service models as the AWS SDK ships them: each client exports one smithy schema per operation
 * (`PutItem$ = [9, namespace, 'PutItem', traits, () => PutItemInput$, () => PutItemOutput$]`). The emulator
 * takes every operation's input shape from there instead of keeping a second copy per operation.
 */
const SERVICES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  DynamoDB_20120810: dynamodb as Readonly<Record<string, unknown>>,
  DynamoDBStreams_20120810: streams as Readonly<Record<string, unknown>>,
};

const OPERATION = 9;

/** The input schema of the operation an `X-Amz-Target` names, or undefined when the SDK's model has none. */
const inputSchemaFor = (target: string): Schema | undefined => {
  const dot = target.indexOf('.');
  if (dot < 0) return undefined;
  const service = target.slice(0, dot);
  const exports = Object.hasOwn(SERVICES, service) ? SERVICES[service] : undefined;
  const exportName = `${target.slice(dot + 1)}$`;
  if (exports === undefined || !Object.hasOwn(exports, exportName)) return undefined;
  const operation = exports[exportName];
  if (!Array.isArray(operation) || operation[0] !== OPERATION) return undefined;
  return operation[4] as Schema;
};

export { inputSchemaFor };
