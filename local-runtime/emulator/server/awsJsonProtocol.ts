import { isUtf8 } from 'node:buffer';
import { randomFillSync } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { Emulator } from '../Emulator.js';
import {
  AwsServiceError,
  internalServerError,
  serializationException,
  unknownOperationException,
} from '../errors.js';
import { operationFor } from '../operations.js';
import { nestsDeeperThan } from '../wire/jsonNesting.js';
import { AccessKeys } from './AccessKeys.js';
import { corsHeaders, preflightHeaders } from './corsHeaders.js';
import { type EDDY_EMULATOR_HEADER, EDDY_EMULATOR_HEADER_VALUE } from './eddyEmulatorHeader.js';
import { type Caller, claimedScope, identifyCaller, type RequestSecurity } from './identifyCaller.js';
import { RequestGuards } from './RequestGuards.js';
import { type HeaderValues, rawHeaderValues } from './sigv4/canonicalHeaders.js';

interface ProtocolRequest {
  readonly method: string;
  /** The request target as sent: path and optional query. @default '/' */
  readonly url?: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /**
   * Header names and values as received, in order (node's `rawHeaders`). SigV4 signs every value of a header;
   * `headers` keeps only some. @default derived from `headers`
   */
  readonly rawHeaders?: readonly string[];
  /** The headers by lower-case name, when the transport has them at hand. @default derived from rawHeaders */
  readonly headerValues?: HeaderValues;
  readonly body: Buffer;
  /** The transport stopped reading a body over {@link MAX_BODY_BYTES}; `body` is then empty. */
  readonly bodyTooLarge?: boolean;
}

interface ProtocolResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** DynamoDB refuses bodies over 16 MiB before reading them. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const AMZ_JSON = 'application/x-amz-json-1.0';
const LOOPBACK_ONLY = new RequestGuards();
const OPEN: RequestSecurity = {
  requireSignature: false,
  accessKeys: new AccessKeys(),
  guards: LOOPBACK_ONLY,
};

const ID_LENGTH = 52;
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/**
 * Random characters for request ids, 64 ids at a time: one call into the CSPRNG per 64 requests instead of
 * one per request (with the array and the join it took, it was a tenth of a PutItem's cost).
 */
const idCharacters = Buffer.alloc(ID_LENGTH * 64);
let idOffset = idCharacters.length;

/** AWS request ids are 52 characters of [A-Z0-9]. */
const requestId = (): string => {
  if (idOffset === idCharacters.length) {
    randomFillSync(idCharacters);
    for (let i = 0; i < idCharacters.length; i += 1) {
      idCharacters[i] = ID_ALPHABET.charCodeAt((idCharacters[i] as number) % ID_ALPHABET.length);
    }
    idOffset = 0;
  }
  idOffset += ID_LENGTH;
  return idCharacters.toString('latin1', idOffset - ID_LENGTH, idOffset);
};

/** The HTTP `Date` of an instant, kept for the second it names: toUTCString is costly and has no milliseconds. */
let dateSecond = Number.NaN;
let dateText = '';
const httpDate = (now: number): string => {
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateText = new Date(now).toUTCString();
    dateSecond = second;
  }
  return dateText;
};

/**
 * The x-amz-crc32 of a body: zlib's crc32 encodes a string as UTF-8 itself, the checksum of the bytes sent,
 * without a copy. The last short body's checksum is kept: most writes answer the same `{}`.
 */
let lastShortBody = '';
let lastShortChecksum = String(crc32(''));
const crc32Text = (body: string): string => {
  if (body === lastShortBody) return lastShortChecksum;
  const checksum = String(crc32(body));
  if (body.length <= 64) {
    lastShortBody = body;
    lastShortChecksum = checksum;
  }
  return checksum;
};

const headerValues = (request: ProtocolRequest): HeaderValues => {
  if (request.headerValues !== undefined) return request.headerValues;
  if (request.rawHeaders !== undefined) return rawHeaderValues(request.rawHeaders);
  const values = new Map<string, readonly string[]>();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) values.set(name.toLowerCase(), Array.isArray(value) ? value : [value]);
  }
  return values;
};

/**
 * ① The request pipeline, in DynamoDB's order: guards (Host, Origin) → transport (method, size) → content type
 * → JSON → target → authentication → operation. The order decides which error a client sees when several apply
 * (dynalite's notes of real AWS answers: a bad target is reported before a missing signature). Under
 * `requireSignature` authentication moves before JSON, so nothing unauthenticated is parsed.
 *
 * Every answer carries a request id, the CRC32 of its exact body bytes (botocore checks it for DynamoDB and
 * retries on a mismatch), CORS headers when the request has an allowed `Origin`, and a `Date` from the emulator's clock, which SDKs use to correct
 * their own clock after a signature-time error, and `x-eddy-emulator` (eddyEmulatorHeader), which tells Eddy's
 * own commands that they may report progress to this emulator's dashboard. Bodies are never compressed, whatever `Accept-Encoding` says:
 * DynamoDB does not compress, and the CRC32 is of the bytes as sent.
 */
const handleAwsJsonRequest = (
  emulator: Emulator,
  request: ProtocolRequest,
  security: RequestSecurity = OPEN,
): ProtocolResponse => {
  const id = requestId();
  // One reading of the clock for the request: the Date of its answer and the instant it runs at.
  const now = emulator.clock.now();
  const headers = headerValues(request);
  // ⓪ Guards first (RequestGuards): a foreign Host or Origin is refused before anything runs.
  const guards = security.guards ?? LOOPBACK_ONLY;
  const origin = headers.get('origin')?.[0];
  const refusal = guards.check(headers.get('host')?.[0], origin);
  const grant = refusal === undefined ? guards.originGrant(origin) : undefined;
  // DynamoDB answers in the JSON flavour it was asked in (dynalite records application/json echoed back).
  let jsonType = AMZ_JSON;
  const respond = (
    statusCode: number,
    body: string,
    contentType: string | undefined = jsonType,
    extra: Record<string, string> = {},
  ): ProtocolResponse => {
    const checksum = crc32Text(body);
    const date = httpDate(now);
    // One literal per case, so every answer's headers have one of two shapes (no property added one by one).
    const headers: Record<string, string> =
      contentType === undefined
        ? ({
            'x-amzn-RequestId': id,
            'x-amz-crc32': checksum,
            Date: date,
            'x-eddy-emulator': EDDY_EMULATOR_HEADER_VALUE,
          } satisfies Record<string, string> & Record<typeof EDDY_EMULATOR_HEADER, string>)
        : ({
            'Content-Type': contentType,
            'x-amzn-RequestId': id,
            'x-amz-crc32': checksum,
            Date: date,
            'x-eddy-emulator': EDDY_EMULATOR_HEADER_VALUE,
          } satisfies Record<string, string> & Record<typeof EDDY_EMULATOR_HEADER, string>);
    if (typeof grant === 'string') Object.assign(headers, corsHeaders(grant), extra);
    return { statusCode, headers, body };
  };
  const fail = (error: AwsServiceError) => respond(error.statusCode, JSON.stringify(error.toBody()));

  if (refusal !== undefined) return fail(refusal);
  // A CORS preflight carries no credentials: it is answered before anything is checked.
  if (request.method === 'OPTIONS') return respond(200, '', undefined, preflightHeaders(headers));
  if (request.method === 'GET')
    return respond(200, `healthy: dynamodb.${claimedScope(headers).region}.amazonaws.com `, 'text/plain');
  if (request.method !== 'POST') return respond(404, '<UnknownOperationException/>\n', 'text/xml');
  if (request.bodyTooLarge === true || request.body.length > MAX_BODY_BYTES) {
    return respond(413, JSON.stringify({ message: 'Request Entity Too Large' }), 'application/json');
  }
  const contentType = headers.get('content-type')?.[0] ?? '';
  const flavour = /^application\/(x-amz-json-1\.0|json)\b/.exec(contentType);
  if (flavour === null) return respond(404, '<UnknownOperationException/>\n', 'text/xml');
  if (flavour[1] === 'json') jsonType = 'application/json';
  const target = headers.get('x-amz-target')?.[0];
  const known = target !== undefined && operationFor(target) !== undefined;
  const signed = { method: request.method, url: request.url ?? '/', headers, body: request.body };
  const context = { accountId: emulator.accountId, now };
  let caller: Caller | undefined;
  // Under requireSignature the signature is checked before the body is parsed, so an unauthenticated caller
  // cannot make the emulator parse 16 MiB of JSON. The target (a header) is still reported first, as DynamoDB
  // does; only SerializationException moves after the authentication errors.
  if (security.requireSignature) {
    if (!known) return fail(unknownOperationException());
    try {
      caller = identifyCaller(signed, security, context);
    } catch (error) {
      if (error instanceof AwsServiceError) return fail(error);
      throw error;
    }
  }
  // Over-deep bodies are refused as malformed before JSON.parse builds them (jsonNesting.ts says why), and so
  // are bodies that are not UTF-8, which DynamoDB's JSON parser refuses where a decoder would substitute U+FFFD
  // and carry on (found by the fuzz suite: a mangled member name then passed as an unknown member).
  if (nestsDeeperThan(request.body) || !isUtf8(request.body)) return fail(serializationException());
  let input: unknown;
  try {
    input = JSON.parse(request.body.toString('utf8'));
  } catch {
    return fail(serializationException());
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return fail(serializationException('Start of structure or map found where not expected.'));
  }
  if (!known) return fail(unknownOperationException());
  try {
    caller ??= identifyCaller(signed, security, context);
    const output = emulator.dispatchJson(
      target as string,
      input as Record<string, unknown>,
      caller.region,
      caller.accountId,
    );
    return respond(200, output);
  } catch (error) {
    if (error instanceof AwsServiceError) return fail(error);
    // Anything else is an emulator bug: answer as DynamoDB does, and say what went wrong on the console.
    console.error(`eddy emulator: ${target} failed:`, error);
    return fail(internalServerError());
  }
};

export type { ProtocolRequest, ProtocolResponse };
export { handleAwsJsonRequest, MAX_BODY_BYTES, requestId };
