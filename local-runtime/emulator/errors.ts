/**
 * The exceptions the emulator answers with, named, namespaced and coded exactly as DynamoDB's.
 *
 * Clients decide retries by the name (smithy `THROTTLING_ERROR_CODES`), so a name here is part of the wire
 * contract. Validation errors live in the `com.amazon.coral.validate` namespace, protocol errors in
 * `com.amazon.coral.service`, service errors in `com.amazonaws.dynamodb.v20120810`
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html).
 */
const NAMESPACE = {
  service: 'com.amazonaws.dynamodb.v20120810',
  validate: 'com.amazon.coral.validate',
  coral: 'com.amazon.coral.service',
} as const;

/** An error that is sent to the client as `{ "__type": "<namespace>#<name>", "message": ... }`. */
class AwsServiceError extends Error {
  readonly namespace: string;
  readonly statusCode: number;
  /** Extra members DynamoDB adds to some errors (e.g. `CancellationReasons`, `Item`). */
  readonly members: Record<string, unknown>;

  constructor(
    name: string,
    message: string | undefined,
    options: { namespace?: string; statusCode?: number; members?: Record<string, unknown> } = {},
  ) {
    super(message ?? '');
    this.name = name;
    this.namespace = options.namespace ?? NAMESPACE.service;
    this.statusCode = options.statusCode ?? 400;
    this.members = options.members ?? {};
    if (message === undefined) this.hasMessage = false;
  }

  /** SerializationException and friends carry no message at all on the wire. */
  hasMessage = true;

  /** The error body DynamoDB sends. */
  toBody(): Record<string, unknown> {
    return {
      __type: `${this.namespace}#${this.name}`,
      ...(this.hasMessage ? { message: this.message } : {}),
      ...this.members,
    };
  }
}

/** A request that breaks a constraint; the message is DynamoDB's text for that check. */
const validationException = (message: string) =>
  new AwsServiceError('ValidationException', message, { namespace: NAMESPACE.validate });

const resourceNotFoundException = (message = 'Requested resource not found') =>
  new AwsServiceError('ResourceNotFoundException', message);

const resourceInUseException = (message: string) => new AwsServiceError('ResourceInUseException', message);

/**
 * The conditional request failed. With ReturnValuesOnConditionCheckFailure the body also carries the item, and
 * then the message travels as `Message`: the botocore view of the answer recorded from AWS has no lowercase
 * `message` member next to `Item` (DERIVED from the recording; SDKs read either spelling).
 */
const conditionalCheckFailedException = (item?: Record<string, unknown>) =>
  item === undefined
    ? new AwsServiceError('ConditionalCheckFailedException', 'The conditional request failed')
    : new AwsServiceError('ConditionalCheckFailedException', undefined, {
        members: { Item: item, Message: 'The conditional request failed' },
      });

const serializationException = (message?: string) =>
  new AwsServiceError('SerializationException', message, { namespace: NAMESPACE.coral });

const unknownOperationException = () =>
  new AwsServiceError('UnknownOperationException', undefined, { namespace: NAMESPACE.coral });

const internalServerError = (
  message = 'The server encountered an internal error trying to fulfill the request.',
) => new AwsServiceError('InternalServerError', message, { statusCode: 500 });

const expiredIteratorException = (
  message = 'Iterator expired. The iterator was created more than 15 minutes ago.',
) => new AwsServiceError('ExpiredIteratorException', message);

const trimmedDataAccessException = (message = 'The data you are trying to access has been trimmed.') =>
  new AwsServiceError('TrimmedDataAccessException', message);

export {
  AwsServiceError,
  conditionalCheckFailedException,
  expiredIteratorException,
  internalServerError,
  NAMESPACE,
  resourceInUseException,
  resourceNotFoundException,
  serializationException,
  trimmedDataAccessException,
  unknownOperationException,
  validationException,
};
