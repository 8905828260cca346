/**
 * The floor under every figure of bench/emulatorOperations.ts: a node:net server that frames each HTTP/1.1
 * request by its Content-Length and answers it with a fixed DynamoDB-shaped response, doing no DynamoDB work
 * at all. Its server CPU per 1000 operations is what receiving and answering a request costs a Node process
 * on this machine (kernel time for the loopback socket included), which no Node server can go below.
 *
 *   node --import tsx bench/noopServer.ts <port>
 */
import { createServer, type Socket } from 'node:net';

const answer = (body: string) =>
  Buffer.from(
    'HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: keep-alive\r\n\r\n${body}`,
  );
/** DescribeTable must say ACTIVE for the benchmark to go on; every other operation accepts `{}`. */
const ACTIVE = answer('{"Table":{"TableStatus":"ACTIVE"}}');
const EMPTY = answer('{}');

const serve = (socket: Socket) => {
  let pending: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      const headEnd = pending.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = pending.toString('latin1', 0, headEnd);
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      const end = headEnd + 4 + length;
      if (pending.length < end) return;
      socket.write(/x-amz-target:\s*\S+DescribeTable\r?$/im.test(head) ? ACTIVE : EMPTY);
      pending = pending.subarray(end);
    }
  });
  socket.on('error', () => socket.destroy());
};

const port = Number(process.argv[2] ?? 0);
createServer(serve).listen(port, '127.0.0.1', () => console.log(`noop server listening on ${port}`));
