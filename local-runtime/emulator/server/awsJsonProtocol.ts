import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { Emulator } from '../Emulator.js';
import {
  AwsServiceError,
  internalServerError,
  serializationException,
  unknownOperationException,
} from '../errors.js';

interface ProtocolRequest {
  readonly method: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

interface ProtocolResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** DynamoDB refuses bodies over 16 MiB before reading them. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const DEFAULT_REGION = 'us-east-1';
const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': '*',
  'Access-Control-Expose-Headers': 'x-amzn-RequestId, x-amz-crc32',
  'Access-Control-Max-Age': '172800',
};

/** AWS request ids are 52 characters of [A-Z0-9]. */
const requestId = (): string => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return Array.from(randomBytes(52), (b) => alphabet[b % alphabet.length]).join('');
};

const header = (request: ProtocolRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The region of the SigV4 credential scope: `Credential=AKID/20260101/eu-west-1/dynamodb/aws4_request`. */
const regionOf = (request: ProtocolRequest): string => {
  const match = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\//.exec(header(request, 'authorization') ?? '');
  return match?.[1] ?? DEFAULT_REGION;
};

/**
 * ① The request pipeline, in DynamoDB's order: transport (method, size) → content type → JSON → target →
 * operation. The order decides which error a client sees when several apply.
 */
const handleAwsJsonRequest = (emulator: Emulator, request: ProtocolRequest): ProtocolResponse => {
  const id = requestId();
  const respond = (
    statusCode: number,
    body: string,
    contentType = 'application/x-amz-json-1.0',
  ): ProtocolResponse => ({
    statusCode,
    headers: {
      'Content-Type': contentType,
      'x-amzn-RequestId': id,
      'x-amz-crc32': String(crc32(Buffer.from(body, 'utf8'))),
      ...CORS_HEADERS,
    },
    body,
  });
  const fail = (error: AwsServiceError) => respond(error.statusCode, JSON.stringify(error.toBody()));

  if (request.method === 'OPTIONS') return respond(200, '', 'text/plain');
  if (request.method === 'GET')
    return respond(200, `healthy: dynamodb.${regionOf(request)}.amazonaws.com `, 'text/plain');
  if (request.method !== 'POST') return respond(404, '<UnknownOperationException/>\n', 'text/xml');
  if (request.body.length > MAX_BODY_BYTES) {
    return respond(413, JSON.stringify({ message: 'Request Entity Too Large' }), 'application/json');
  }
  const contentType = header(request, 'content-type') ?? '';
  if (!/^application\/(x-amz-json-1\.0|json)\b/.test(contentType)) {
    return respond(404, '<UnknownOperationException/>\n', 'text/xml');
  }
  let input: unknown;
  try {
    input = JSON.parse(request.body.toString('utf8'));
  } catch {
    return fail(serializationException());
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return fail(serializationException('Start of structure or map found where not expected.'));
  }
  const target = header(request, 'x-amz-target');
  if (target === undefined) return fail(unknownOperationException());
  try {
    const output = emulator.dispatch(target, input as Record<string, unknown>, regionOf(request));
    return respond(200, JSON.stringify(output));
  } catch (error) {
    if (error instanceof AwsServiceError) return fail(error);
    // Anything else is an emulator bug: answer as DynamoDB does, and say what went wrong on the console.
    console.error(`eddy emulator: ${target} failed:`, error);
    return fail(internalServerError());
  }
};

export type { ProtocolRequest, ProtocolResponse };
export { handleAwsJsonRequest, MAX_BODY_BYTES };
