import { type Server, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { nameIs, PlainRequest } from './PlainRequest.js';

interface PlainAnswer {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

interface PlainRequestOptions {
  /** Bodies declared larger than this go to node:http, which refuses them. */
  readonly maxBodyBytes: number;
  /** Requests to paths starting with this go to node:http. */
  readonly reservedPathPrefix: string;
  /** Answers a plain request; throwing drops the connection, as node:http's handler does. */
  readonly answer: (request: PlainRequest) => PlainAnswer;
}

/** node:http's default limit on the request line and headers (`--max-http-header-size`). */
const MAX_HEADER_BYTES = 16 * 1024;
/** More header lines than this, and node:http decides (it keeps the first 2000 pairs). */
const MAX_HEADER_LINES = 100;

/**
 * Every header line, each ending in CRLF: a token, a colon, a value of visible characters, spaces and tabs
 * (and obs-text). Anything else (a line folded onto the one before, a control character, a malformed name)
 * is for node's parser to judge.
 */
const HEADER_LINES = /^(?:[!#$%&'*+.^_`|~0-9A-Za-z-]+:[\t\x20-\x7e\x80-\xff]*\r\n)*$/;
/** A request target of the characters URIs are made of (RFC 3986), nothing node's parser might refuse. */
const TARGET = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]+$/;

/** Where the header lines of the request being read lie (see readPlainRequest); filled anew for each. */
const SPANS: number[] = new Array<number>(4 * MAX_HEADER_LINES).fill(0);

const isOws = (code: number): boolean => code === 0x20 || code === 0x09;

/** Where a plain request ends and what it holds; undefined when the bytes at `offset` are anything else. */
const readPlainRequest = (
  data: Buffer,
  offset: number,
  options: Pick<PlainRequestOptions, 'maxBodyBytes' | 'reservedPathPrefix'>,
): { request: PlainRequest; end: number } | undefined => {
  // The bytes that may hold the head, as text at once (one call into node instead of a search and a copy for
  // each part): a head ending past them is over node's limit and goes to node:http, as one found beyond it did.
  const text = data.toString('latin1', offset, Math.min(data.length, offset + MAX_HEADER_BYTES + 4));
  const headEnd = text.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const lineEnd = text.indexOf('\r\n');
  const requestLine = text.slice(0, lineEnd);
  if (!requestLine.startsWith('POST ') || !requestLine.endsWith(' HTTP/1.1')) return undefined;
  const url = requestLine.slice(5, -9);
  if (!TARGET.test(url) || url.startsWith(options.reservedPathPrefix)) return undefined;
  const block = text.slice(lineEnd + 2, headEnd + 2);
  if (!HEADER_LINES.test(block)) return undefined;
  // Per header: name start, colon, value start, value end. Names and values are cut out only when asked for
  // (PlainRequest): a request reads a few of its dozen headers. Collected in SPANS, then copied at their exact
  // length: an array grown push by push allocated twice what it kept.
  let count = 0;
  let length: number | undefined;
  let host = false;
  // Each line is `name:value` and ends in CRLF (HEADER_LINES).
  for (let start = 0; start < block.length; ) {
    const end = block.indexOf('\r\n', start);
    const colon = block.indexOf(':', start);
    let valueStart = colon + 1;
    let valueEnd = end;
    while (valueStart < valueEnd && isOws(block.charCodeAt(valueStart))) valueStart += 1;
    while (valueEnd > valueStart && isOws(block.charCodeAt(valueEnd - 1))) valueEnd -= 1;
    if (count === 4 * MAX_HEADER_LINES) return undefined;
    SPANS[count] = start;
    SPANS[count + 1] = colon;
    SPANS[count + 2] = valueStart;
    SPANS[count + 3] = valueEnd;
    count += 4;
    // Only names of the lengths of the headers that matter here are looked at more closely.
    switch (colon - start) {
      case 4:
        if (nameIs(block, start, colon, 'host')) host = true;
        break;
      case 6:
      case 7:
      case 17:
        if (
          nameIs(block, start, colon, 'expect') ||
          nameIs(block, start, colon, 'upgrade') ||
          nameIs(block, start, colon, 'transfer-encoding')
        )
          return undefined;
        break;
      case 10:
        if (
          nameIs(block, start, colon, 'connection') &&
          block.slice(valueStart, valueEnd).toLowerCase() !== 'keep-alive'
        )
          return undefined;
        break;
      case 14: {
        if (!nameIs(block, start, colon, 'content-length')) break;
        const value = block.slice(valueStart, valueEnd);
        if (length !== undefined || !/^\d{1,9}$/.test(value)) return undefined;
        length = Number(value);
        if (length > options.maxBodyBytes) return undefined;
        break;
      }
      default:
    }
    start = end + 2;
  }
  const bodyStart = offset + headEnd + 4;
  const end = bodyStart + (length ?? 0);
  if (!host || end > data.length) return undefined;
  return { request: new PlainRequest(url, block, SPANS.slice(0, count), data.subarray(bodyStart, end)), end };
};

/** An answer's head and whether it is ASCII (then head and body go out as one UTF-8 string). */
interface AnswerHead {
  readonly text: string;
  readonly ascii: boolean;
}

/**
 * The bytes node:http sends before an answer's body on a kept-alive HTTP/1.1 connection: the status line, the
 * answer's headers in order, Content-Length, a Date if the answer has none, then Connection and Keep-Alive.
 * Whether the head is ASCII is told from each header's UTF-8 length (a native call on a flat string) rather
 * than by a search of the joined head, which V8 would first have to flatten.
 */
const answerHead = (answer: PlainAnswer, keepAliveMs: number): AnswerHead => {
  let head = `HTTP/1.1 ${answer.statusCode} ${STATUS_CODES[answer.statusCode] ?? 'unknown'}\r\n`;
  let dated = false;
  let ascii = true;
  const headers = answer.headers;
  for (const name in headers) {
    const value = headers[name] as string;
    head += `${name}: ${value}\r\n`;
    if (ascii && (Buffer.byteLength(value) !== value.length || Buffer.byteLength(name) !== name.length))
      ascii = false;
    if (name.length === 4 && name.toLowerCase() === 'date') dated = true;
  }
  head += `Content-Length: ${Buffer.byteLength(answer.body)}\r\n`;
  if (!dated) head += `Date: ${new Date().toUTCString()}\r\n`;
  head += 'Connection: keep-alive\r\n';
  if (keepAliveMs > 0) head += `Keep-Alive: timeout=${Math.floor(keepAliveMs / 1000)}\r\n`;
  return { text: `${head}\r\n`, ascii };
};

/**
 * Puts a fast path in front of a node:http server for the requests AWS SDKs send nearly all of the time: a
 * complete HTTP/1.1 `POST` with a Content-Length body that arrived in one read, on a kept-alive connection.
 * Those are parsed here and answered with the bytes node:http would send (same status line, headers in the
 * same order, `Connection: keep-alive` and `Keep-Alive`), without node's per-request request and response
 * objects, streams and events, which cost more CPU than the emulator's own work on a PutItem.
 *
 * Anything else (a partial request, chunked bodies, `Expect`, other methods and versions, `Connection:
 * close`, oversized or malformed requests) hands the connection, with its unread bytes, to node:http, which
 * keeps it from then on: every such case is answered exactly as before. Connections are closed after the
 * server's keep-alive timeout of idleness, and by the server's `close`, `closeIdleConnections` and
 * `closeAllConnections`, as node's own are.
 */
const servePlainRequests = (server: Server, options: PlainRequestOptions): void => {
  const [nodeConnectionListener] = server.listeners('connection') as ((socket: Socket) => void)[];
  if (nodeConnectionListener === undefined) return;
  server.removeListener('connection', nodeConnectionListener);
  const sockets = new Set<Socket>();

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    const stop = () => {
      socket.removeListener('drain', onDrain);
      socket.removeListener('data', onData);
      socket.removeListener('end', onEnd);
      socket.removeListener('error', onError);
      socket.removeListener('timeout', onTimeout);
      socket.removeListener('close', onClose);
      socket.setTimeout(0);
      sockets.delete(socket);
    };
    const handOver = (unread: Buffer) => {
      stop();
      // Node takes the socket as it would a new one: reading, nothing waiting on a drain of ours.
      if (socket.isPaused()) socket.resume();
      nodeConnectionListener.call(server, socket);
      // Node's parser now reads the socket; the bytes already read are its first input.
      if (unread.length > 0) socket.emit('data', unread);
    };
    const onData = (chunk: Buffer) => {
      // Node counts requests per connection when a limit is set: such servers get node's handling only.
      if (server.maxRequestsPerSocket !== null && server.maxRequestsPerSocket > 0) {
        handOver(chunk);
        return;
      }
      let offset = 0;
      // Answers written in parts (a head that is not ASCII, several requests in one read from a pipelining
      // client) are corked into one write; the usual lone answer is one write already and skips the corking.
      let corked = false;
      try {
        while (offset < chunk.length) {
          const read = readPlainRequest(chunk, offset, options);
          if (read === undefined) break;
          const answer = options.answer(read.request);
          const head = answerHead(answer, server.keepAliveTimeout);
          const inParts = !head.ascii;
          if (!corked && (inParts || read.end < chunk.length)) {
            socket.cork();
            corked = true;
          }
          const flowing = inParts
            ? socket.write(head.text, 'latin1') && socket.write(answer.body)
            : socket.write(head.text + answer.body);
          // Reading waits while the client does not read its answers, as with node:http.
          if (!flowing && !socket.isPaused()) {
            socket.pause();
            socket.once('drain', onDrain);
          }
          offset = read.end;
        }
      } catch {
        socket.destroy();
        return;
      } finally {
        if (corked) socket.uncork();
      }
      // The idle timer set below is refreshed by node on every read and write of the socket.
      if (offset < chunk.length) handOver(chunk.subarray(offset));
    };
    const onDrain = () => socket.resume();
    // A client that half-closes gets the end of the connection, as from node:http.
    const onEnd = () => socket.end();
    const onError = () => socket.destroy();
    const onTimeout = () => socket.destroy();
    const onClose = () => stop();
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('error', onError);
    socket.on('timeout', onTimeout);
    socket.on('close', onClose);
    socket.setTimeout(server.keepAliveTimeout);
  });

  // Between requests every connection served here is idle: the server's close functions end them too.
  const closeIdle = server.closeIdleConnections.bind(server);
  const closeAll = server.closeAllConnections.bind(server);
  const destroyAll = () => {
    for (const socket of [...sockets]) socket.destroy();
  };
  server.closeIdleConnections = () => {
    destroyAll();
    closeIdle();
  };
  server.closeAllConnections = () => {
    destroyAll();
    closeAll();
  };
};

export type { PlainAnswer, PlainRequest, PlainRequestOptions };
export { readPlainRequest, servePlainRequests };
