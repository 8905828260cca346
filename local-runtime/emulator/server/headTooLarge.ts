import type { Socket } from 'node:net';
import { requestId } from './awsJsonProtocol.js';

/**
 * The answer to a request whose request line and headers exceed node:http's `maxHeaderSize` (16 KiB by
 * default): 400 Bad Request, then the connection is closed (what follows the head cannot be told apart from
 * it). DynamoDB's front end answers an over-long request line with 400 rather than 431; AWS documents no limit
 * for headers, so they get the same answer.
 *
 * Only node:http's parser decides this: the fast path (plainRequests.ts) hands every head over 16 KiB to it,
 * so a request gets the same answer whichever path reads it.
 */
const HEAD_TOO_LARGE_BODY = JSON.stringify({
  message: 'Bad Request: the request line and headers exceed 16 KiB',
});

/**
 * A transport answer written straight to the socket: a JSON `{"message": …}` body (the shape of the 413 for a
 * body over 16 MiB) and a request id, as every answer of the emulator carries one; the connection is closed.
 */
const transportAnswer = (status: string, message: string): string => {
  const body = JSON.stringify({ message });
  return (
    `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nx-amzn-RequestId: ${requestId()}\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
};

/** node:http's answers to its parse errors (lib/_http_server.js), with a body saying what was wrong. */
const answerFor = (code: string | undefined): string => {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return transportAnswer('400 Bad Request', 'Bad Request: the request line and headers exceed 16 KiB');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return transportAnswer('413 Payload Too Large', 'Request Entity Too Large');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return transportAnswer('408 Request Timeout', 'Request Timeout');
    case 'HPE_INVALID_METHOD':
      return transportAnswer('400 Bad Request', 'Bad Request: unknown HTTP method');
    default:
      return transportAnswer('400 Bad Request', 'Bad Request: malformed HTTP request');
  }
};

/**
 * A `clientError` listener that does what node:http does without one (answer when no answer is being written
 * on the connection, then close it), except that an oversized head is answered 400 instead of 431, and every
 * answer has a JSON body and a request id.
 */
const answerClientError = (error: Error & { code?: string }, socket: Socket): void => {
  // node's own test (lib/_http_server.js socketOnError): the answer in flight, if any, has sent nothing yet.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  if (socket.writable && (inFlight === undefined || inFlight === null || inFlight.headersSent !== true)) {
    socket.write(answerFor(error.code));
  }
  socket.destroySoon();
};

export { answerClientError, HEAD_TOO_LARGE_BODY };
