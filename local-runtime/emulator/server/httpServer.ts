import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Emulator } from '../Emulator.js';
import { AccessKeys } from './AccessKeys.js';
import { handleAwsJsonRequest, MAX_BODY_BYTES, type ProtocolRequest } from './awsJsonProtocol.js';
import { CONTROL_PREFIX, handleControlRequest } from './handleControlRequest.js';
import { handlePageRequest, PAGES_PREFIX, type PageHandler, pageHeaders } from './handlePageRequest.js';
import { answerClientError } from './headTooLarge.js';
import type { RequestSecurity } from './identifyCaller.js';
import { type PlainRequest, servePlainRequests } from './plainRequests.js';
import { declaredLength, readBody } from './readBody.js';

/**
 * How large a refused body may be and still be read to its end (and thrown away) after the 413, so that a
 * client still uploading can finish, read the answer and reuse the connection. A client that sends more than
 * this, or declares more up front, has its connection closed instead.
 */
const DRAIN_LIMIT_BYTES = 2 * MAX_BODY_BYTES;

/** Reads and discards the rest of a refused body up to the drain limit; past it, drops the connection. */
const drainRest = (request: IncomingMessage, received: number): void => {
  let total = received;
  request.on('data', (chunk: Buffer) => {
    total += chunk.length;
    if (total > DRAIN_LIMIT_BYTES) request.destroy();
  });
  request.on('error', () => {});
  request.resume();
};

/**
 * One request: body (bounded), protocol answer, bytes out. A body over 16 MiB is answered 413 as soon as that
 * is known (from Content-Length, before reading anything, or once the count passes the limit), never buffered.
 *
 * @param continueWithheld - the client sent `Expect: 100-continue` and was not told to continue: it has not
 *   sent its body, so the connection is closed after the answer rather than waiting for one.
 */
const serve = (
  emulator: Emulator,
  security: RequestSecurity,
  request: IncomingMessage,
  response: ServerResponse,
  continueWithheld = false,
  pages?: PageHandler,
): void => {
  readBody(request, MAX_BODY_BYTES)
    .then(async (read) => {
      const tooLarge = read.kind === 'tooLarge';
      const url = request.url ?? '/';
      const page =
        url.startsWith(PAGES_PREFIX) && !url.startsWith(CONTROL_PREFIX)
          ? await handlePageRequest(
              emulator,
              {
                method: request.method ?? 'GET',
                url,
                headers: pageHeaders(request.rawHeaders),
                body: read.kind === 'complete' ? read.body : Buffer.alloc(0),
              },
              security,
              pages,
            )
          : undefined;
      const result = page
        ? page
        : url.startsWith(CONTROL_PREFIX)
          ? handleControlRequest(
              emulator,
              {
                method: request.method ?? 'GET',
                url: request.url ?? '/',
                rawHeaders: request.rawHeaders,
                body: read.kind === 'complete' ? read.body : Buffer.alloc(0),
              },
              security,
            )
          : handleAwsJsonRequest(
              emulator,
              {
                method: request.method ?? 'GET',
                url: request.url ?? '/',
                headers: request.headers,
                rawHeaders: request.rawHeaders,
                body: read.kind === 'complete' ? read.body : Buffer.alloc(0),
                bodyTooLarge: tooLarge,
              },
              security,
            );
      let close = false;
      if (read.kind === 'tooLarge' && !request.complete) {
        const declared = declaredLength(request);
        close = continueWithheld || (declared !== undefined && declared > DRAIN_LIMIT_BYTES);
        if (!close) drainRest(request, read.received);
      }
      response.writeHead(result.statusCode, {
        ...result.headers,
        'Content-Length': Buffer.byteLength(result.body),
        // node then ends the connection once the answer is out, without reading the body.
        ...(close ? { Connection: 'close' } : {}),
      });
      response.end(result.body);
    })
    .catch(() => response.destroy());
};

/** Headers as node's `request.headers` merges them: lower-case names, repeated values joined with ", ". */
const mergedHeaders = (rawHeaders: readonly string[]): Record<string, string> => {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const value = rawHeaders[i + 1] as string;
    headers[name] = Object.hasOwn(headers, name) ? `${headers[name]}, ${value}` : value;
  }
  return headers;
};

/**
 * A fast-path request as the protocol handler takes it. A class rather than an object literal with getters:
 * V8 defines a literal's accessor anew for every request, which cost more than the rest of this object.
 */
class PlainProtocolRequest implements ProtocolRequest {
  readonly method = 'POST';
  readonly url: string;
  readonly body: Buffer;
  /** The request reads its headers from the received block (PlainRequest), without a list of them all. */
  readonly headerValues: PlainRequest;

  constructor(request: PlainRequest) {
    this.url = request.url;
    this.body = request.body;
    this.headerValues = request;
  }

  get rawHeaders(): readonly string[] {
    return this.headerValues.rawHeaders;
  }

  /** Only read when rawHeaders is missing; node's merged form, should anything ask. */
  get headers(): Record<string, string> {
    return mergedHeaders(this.rawHeaders);
  }
}

/** The only node:http code of the emulator: bytes in, bytes out, everything else in the protocol handler. */
const listen = async (
  emulator: Emulator,
  host: string,
  port: number,
  security: RequestSecurity = { requireSignature: false, accessKeys: new AccessKeys() },
  pages?: PageHandler,
): Promise<{ server: Server; endpoint: string }> => {
  const server = createServer((request, response) =>
    serve(emulator, security, request, response, false, pages),
  );
  // `Expect: 100-continue` (curl sends it for large bodies): a body declared too large is refused before the
  // client sends it.
  server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    const declared = declaredLength(request);
    if (declared !== undefined && declared > MAX_BODY_BYTES) {
      serve(emulator, security, request, response, true, pages);
      return;
    }
    response.writeContinue();
    serve(emulator, security, request, response, false, pages);
  });
  // A request line and headers over 16 KiB: 400, as DynamoDB answers (headTooLarge.ts), on either path.
  server.on('clientError', answerClientError);
  // SDK clients keep connections alive; so do we, a little longer than their idle timeout.
  server.keepAliveTimeout = 65_000;
  // The plain POSTs SDKs send are answered without node's per-request machinery; the rest as above.
  servePlainRequests(server, {
    maxBodyBytes: MAX_BODY_BYTES,
    // The control surface and the pages (`/_eddy/…`) go to node:http, whatever their method.
    reservedPathPrefix: PAGES_PREFIX,
    answer: (request) => handleAwsJsonRequest(emulator, new PlainProtocolRequest(request), security),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { server, endpoint: `http://${shownHost}:${address.port}` };
};

export { DRAIN_LIMIT_BYTES, listen };
