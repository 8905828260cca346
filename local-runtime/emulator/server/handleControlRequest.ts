import { ControlArgumentError } from '../control/controlArguments.js';
import type { FaultKind } from '../control/FaultInjector.js';
import type { Emulator } from '../Emulator.js';
import {
  AwsServiceError,
  internalServerError,
  serializationException,
  validationException,
} from '../errors.js';
import { requestId } from './awsJsonProtocol.js';
import { identifyCaller, type RequestSecurity } from './identifyCaller.js';
import { RequestGuards } from './RequestGuards.js';
import { rawHeaderValues } from './sigv4/canonicalHeaders.js';

/** The HTTP control surface's path prefix: AWS requests are always `POST /`, so this can never collide. */
const CONTROL_PREFIX = '/_eddy/control/';

interface ControlRequest {
  readonly method: string;
  /** The request target as sent: `/_eddy/control/<action>` and an optional query. */
  readonly url: string;
  /** Header names and values as received, in order (node's `rawHeaders`): SigV4 signs them. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
}

interface ControlResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

type Action = (emulator: Emulator, input: Record<string, unknown>) => unknown;

/**
 * Each action hands its arguments to `emulator.control` as they came: the control API validates them, so the
 * HTTP surface and the in-process one accept exactly the same values.
 */
const ACTIONS: Readonly<Record<string, Action>> = {
  advanceClock: (emulator, input) => ({ now: emulator.control.advanceClock(input.ms as number) }),
  rollOver: (emulator, input) => ({
    childShardIds: emulator.control.rollOver({
      streamArn: input.streamArn as string,
      ...(input.shardId === undefined ? {} : { shardId: input.shardId as string }),
    }),
  }),
  split: (emulator, input) => ({
    childShardIds: emulator.control.split({
      streamArn: input.streamArn as string,
      shardId: input.shardId as string,
    }),
  }),
  expireIterators: (emulator) => {
    emulator.control.expireIterators();
    return {};
  },
  failNext: (emulator, input) => {
    emulator.control.failNext(
      input.operation as string,
      (input.count ?? 1) as number,
      input.kind as FaultKind,
    );
    return {};
  },
  clearFaults: (emulator) => {
    emulator.control.clearFaults();
    return {};
  },
  sweepTtl: (emulator) => {
    emulator.sweepTtl();
    return {};
  },
};

const LOOPBACK_ONLY = new RequestGuards();

/**
 * `POST /_eddy/control/<action>` with a JSON body: the test control surface over HTTP, for tests written in any
 * language. Actions: advanceClock {ms}, rollOver {streamArn, shardId?}, split {streamArn, shardId},
 * expireIterators {}, failNext {operation, count?, kind}, clearFaults {}, sweepTtl {}. Answers JSON: the result,
 * or an error in DynamoDB's shape (`{"__type": "<namespace>#<Name>", "message": "…"}`, with a request id like
 * every answer), so any AWS-aware client reads it: ValidationException (400) for an argument out of range,
 * named with its range; SerializationException (400) for a body that is not a JSON object;
 * UnknownOperationException (404) for no such action; ResourceNotFoundException (400) for an unknown stream.
 *
 * The same guards as the AWS protocol come first: a foreign `Host` or `Origin` is refused with 403, and under
 * `requireSignature` the request must carry a valid SigV4 signature by a known key (any region; the signing
 * name `dynamodb`), else it gets AWS's authentication error, before the action or its body is looked at.
 * Nothing here answers an unauthenticated caller of such an emulator.
 */
const handleControlRequest = (
  emulator: Emulator,
  request: ControlRequest,
  security: RequestSecurity,
): ControlResponse => {
  const respond = (statusCode: number, payload: unknown): ControlResponse => ({
    statusCode,
    headers: { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId() },
    body: JSON.stringify(payload),
  });
  const fail = (error: AwsServiceError) => respond(error.statusCode, error.toBody());
  const headers = rawHeaderValues(request.rawHeaders);
  const refusal = (security.guards ?? LOOPBACK_ONLY).check(
    headers.get('host')?.[0],
    headers.get('origin')?.[0],
  );
  if (refusal !== undefined) return fail(refusal);
  if (security.requireSignature) {
    try {
      identifyCaller({ method: request.method, url: request.url, headers, body: request.body }, security, {
        accountId: emulator.accountId,
        now: emulator.clock.now(),
      });
    } catch (error) {
      if (error instanceof AwsServiceError) return fail(error);
      throw error;
    }
  }
  const name = request.url.slice(CONTROL_PREFIX.length).split('?')[0] ?? '';
  const action = Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
  if (request.method !== 'POST' || action === undefined) {
    return fail(
      new AwsServiceError(
        'UnknownOperationException',
        `unknown control action ${request.method} ${name}; known: POST ${Object.keys(ACTIONS).join(', ')}`,
        { namespace: 'com.amazon.coral.service', statusCode: 404 },
      ),
    );
  }
  let input: unknown;
  try {
    const text = request.body.toString('utf8').trim();
    input = text === '' ? {} : JSON.parse(text);
  } catch {
    return fail(serializationException('the body must be a JSON object of the action arguments'));
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    return fail(serializationException('the body must be a JSON object of the action arguments'));
  try {
    return respond(200, action(emulator, input as Record<string, unknown>));
  } catch (error) {
    if (error instanceof ControlArgumentError) return fail(validationException(error.message));
    if (error instanceof AwsServiceError) return fail(error);
    // Anything else is an emulator bug: answered as DynamoDB answers one, and said on the console.
    console.error(`eddy emulator: control action ${name} failed:`, error);
    return fail(internalServerError());
  }
};

export type { ControlRequest, ControlResponse };
export { CONTROL_PREFIX, handleControlRequest };
