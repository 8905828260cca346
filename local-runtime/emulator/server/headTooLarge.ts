import type { Socket } from 'node:net';

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
const HEAD_TOO_LARGE =
  'HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n' +
  `Content-Length: ${Buffer.byteLength(HEAD_TOO_LARGE_BODY)}\r\nConnection: close\r\n\r\n${HEAD_TOO_LARGE_BODY}`;

/** node:http's own answers to the other parse errors (lib/_http_server.js), kept as they are. */
const NODE_ANSWERS: Readonly<Record<string, string>> = {
  HPE_HEADER_OVERFLOW: HEAD_TOO_LARGE,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 'HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n',
  ERR_HTTP_REQUEST_TIMEOUT: 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n',
};
const BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n';

/**
 * A `clientError` listener that does what node:http does without one (answer when no answer is being written
 * on the connection, then close it), except that an oversized head is answered {@link HEAD_TOO_LARGE} instead
 * of 431.
 */
const answerClientError = (error: Error & { code?: string }, socket: Socket): void => {
  // node's own test (lib/_http_server.js socketOnError): the answer in flight, if any, has sent nothing yet.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  if (socket.writable && (inFlight === undefined || inFlight === null || inFlight.headersSent !== true)) {
    socket.write(NODE_ANSWERS[error.code ?? ''] ?? BAD_REQUEST);
  }
  socket.destroySoon();
};

export { answerClientError, HEAD_TOO_LARGE, HEAD_TOO_LARGE_BODY };
