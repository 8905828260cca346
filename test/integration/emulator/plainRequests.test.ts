import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Emulator } from '../../../local-runtime/emulator/Emulator.js';
import { listen } from '../../../local-runtime/emulator/server/httpServer.js';
import { startEmulator } from '../../../local-runtime/emulator/startEmulator.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';

// The fast path for plain requests (server/plainRequests.ts) and node:http must be indistinguishable on the
// wire: the same bytes for the same request, and every other request handed to node:http intact.

let h: EmulatorHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const request = (target: string, body: string, extraHeaders = '') =>
  `POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810.${target}\r\n${extraHeaders}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

/** Sends `writes` on one connection, a few ms apart, and returns what came back once `answers` arrived. */
const exchange = async (writes: readonly string[], answers: number): Promise<string> => {
  const url = new URL(h.running.endpoint);
  const socket = connect(Number(url.port), url.hostname);
  let text = '';
  socket.on('data', (data: Buffer) => {
    text += data.toString('latin1');
  });
  for (const write of writes) {
    socket.write(write);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const deadline = Date.now() + 10_000;
  while ((text.match(/HTTP\/1\.1 \d+/g) ?? []).length < answers || !text.endsWith('}')) {
    if (Date.now() > deadline) throw new Error(`timed out with: ${text}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  socket.destroy();
  return text;
};

/** An answer with what differs between any two answers (request id, checksum, date) blanked. */
const comparable = (text: string) =>
  text
    .replace(/x-amzn-RequestId: \w+/g, 'x-amzn-RequestId: -')
    .replace(/x-amz-crc32: \d+/g, 'x-amz-crc32: -')
    .replace(/Date: [^\r]+/g, 'Date: -');

const listTables = request('ListTables', '{}');

describe('plain requests', () => {
  it('are answered with the bytes node:http sends for the same request', async () => {
    const fast = await exchange([listTables], 1);
    // Headers and body in two writes: node:http reads this request, and the connection's next ones.
    const split = listTables.indexOf('\r\n\r\n') + 4;
    const viaNode = await exchange([listTables.slice(0, split), listTables.slice(split), listTables], 2);
    const answers = comparable(viaNode).split(/(?=HTTP\/1\.1 )/);
    expect(answers).toHaveLength(2);
    expect(comparable(fast)).toBe(answers[0]);
    expect(comparable(fast)).toBe(answers[1]);
    expect(fast).toMatch(/\r\nConnection: keep-alive\r\nKeep-Alive: timeout=65\r\n\r\n\{"TableNames":\[/);
  });

  it('are answered in order when pipelined in one write', async () => {
    const text = await exchange(
      [listTables + request('DescribeTable', '{"TableName":"missing"}') + listTables],
      3,
    );
    expect([...text.matchAll(/HTTP\/1\.1 (\d+)/g)].map((m) => m[1])).toEqual(['200', '400', '200']);
    expect(text).toContain('ResourceNotFoundException');
  });

  it('leave anything else to node:http, after the answers already due', async () => {
    const chunked =
      'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\n' +
      'X-Amz-Target: DynamoDB_20120810.ListTables\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n';
    const text = await exchange([listTables + chunked + listTables], 3);
    expect([...text.matchAll(/HTTP\/1\.1 (\d+)/g)].map((m) => m[1])).toEqual(['200', '200', '200']);
    expect(text.match(/\{"TableNames":\[\]\}/g)).toHaveLength(3);
  });

  it('close as node:http closes: Connection: close ends the connection after the answer', async () => {
    const text = await exchange([request('ListTables', '{}', 'Connection: close\r\n')], 1);
    expect(text).toContain('\r\nConnection: close\r\n');
  });

  it('do not keep a server from closing while their connection is idle', async () => {
    const running = await startEmulator({ port: 0 });
    const url = new URL(running.endpoint);
    const socket = connect(Number(url.port), url.hostname);
    socket.on('error', () => {});
    const answered = new Promise((resolve) => socket.once('data', resolve));
    const disconnected = new Promise((resolve) => socket.once('close', resolve));
    socket.write(listTables);
    await answered;
    const closing = Date.now();
    await running.close();
    await disconnected;
    expect(Date.now() - closing).toBeLessThan(2_000);
  });

  it('stay open while in use and close after the keep-alive timeout of idleness', async () => {
    const { server } = await listen(new Emulator(), '127.0.0.1', 0);
    server.keepAliveTimeout = 300;
    try {
      const { port } = server.address() as { port: number };
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => {});
      let text = '';
      socket.on('data', (data: Buffer) => {
        text += data.toString('latin1');
      });
      let closed = false;
      const disconnected = new Promise((resolve) => socket.once('close', resolve));
      socket.once('close', () => {
        closed = true;
      });
      // Requests every 100 ms for twice the timeout: each one restarts the idle timer.
      for (let i = 0; i < 6; i++) {
        socket.write(listTables);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(closed).toBe(false);
      expect(text.match(/HTTP\/1\.1 200/g)?.length).toBe(6);
      await disconnected;
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
