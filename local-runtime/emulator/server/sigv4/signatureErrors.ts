import { AwsServiceError, NAMESPACE } from '../../errors.js';

/**
 * The authentication errors DynamoDB answers with, all HTTP 400 in the `com.amazon.coral.service` namespace,
 * with the wording AWS uses (recorded in dynalite's index.js). SDKs retry `InvalidSignatureException` after
 * correcting their clock from the response's `Date` header, so the names are part of the wire contract.
 */
const coral = (name: string, message: string) =>
  new AwsServiceError(name, message, { namespace: NAMESPACE.coral });

/** No `Authorization` header, or one that is not SigV4 (`AWS4-…`). */
const missingAuthenticationToken = () =>
  coral('MissingAuthenticationTokenException', 'Request is missing Authentication Token');

/** A SigV4 header that lacks a part or cannot be read. */
const incompleteSignature = (message: string) => coral('IncompleteSignatureException', message);

/** A well-formed SigV4 header that does not hold: scope, time or signature. */
const invalidSignature = (message: string) => coral('InvalidSignatureException', message);

/** An access key the emulator was not given. */
const unrecognizedClient = () =>
  coral('UnrecognizedClientException', 'The security token included in the request is invalid.');

export { incompleteSignature, invalidSignature, missingAuthenticationToken, unrecognizedClient };
