import { type Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { crc32 } from 'node:zlib';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/time/clock.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';

let h: EmulatorHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const post = (target: string | undefined, body: string, contentType = 'application/x-amz-json-1.0') =>
  fetch(h.running.endpoint, {
    method: 'POST',
    headers: { 'Content-Type': contentType, ...(target === undefined ? {} : { 'X-Amz-Target': target }) },
    body,
  });

describe('the AWS JSON 1.0 protocol', () => {
  it('answers every request with a request id and the CRC32 of the exact body', async () => {
    const response = await post('DynamoDB_20120810.ListTables', '{}');
    const body = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[A-Z0-9]{52}$/);
    expect(response.headers.get('x-amz-crc32')).toBe(String(crc32(Buffer.from(body))));
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.0');
  });

  it('answers malformed JSON with a SerializationException without a message', async () => {
    const response = await post('DynamoDB_20120810.ListTables', '{"TableName":');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ __type: 'com.amazon.coral.service#SerializationException' });
  });

  it('answers an unknown operation with UnknownOperationException', async () => {
    const response = await post('DynamoDB_20120810.MakeCoffee', '{}');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ __type: 'com.amazon.coral.service#UnknownOperationException' });
  });

  it('routes both APIs on one port by target', async () => {
    const response = await post('DynamoDBStreams_20120810.ListStreams', '{}');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ Streams: [] });
  });

  it('accepts application/json as DynamoDB does', async () => {
    const response = await post('DynamoDB_20120810.ListTables', '{}', 'application/json');
    expect(response.status).toBe(200);
  });

  it('answers GET / with a health line', async () => {
    const response = await fetch(h.running.endpoint);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^healthy: dynamodb\.us-east-1\.amazonaws\.com/);
  });

  it('refuses other methods', async () => {
    const response = await fetch(h.running.endpoint, { method: 'PUT', body: '{}' });
    expect(response.status).toBe(404);
  });

  it('uses validation errors in the coral namespace', async () => {
    const response = await post('DynamoDB_20120810.DescribeTable', '{}');
    expect(await response.json()).toEqual({
      __type: 'com.amazon.coral.validate#ValidationException',
      message:
        "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
    });
  });
});

interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The body bytes exactly as they came off the wire (no decompression). */
  readonly body: Buffer;
  readonly reusedSocket: boolean;
}

/** One request over node:http, which (unlike fetch) neither adds Accept-Encoding nor decompresses. */
const raw = (
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; agent?: Agent } = {},
): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const url = new URL(h.running.endpoint);
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'POST',
        headers: options.headers ?? {},
        ...(options.agent === undefined ? {} : { agent: options.agent }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            reusedSocket: req.reusedSocket,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });

const JSON_10 = 'application/x-amz-json-1.0';
const amz = (target: string, body: string, extra: Record<string, string> = {}) =>
  raw({ headers: { 'Content-Type': JSON_10, 'X-Amz-Target': target, ...extra }, body });

/** botocore's check (`crc32(response.content) & 0xffffffff == int(header)`), on the bytes received. */
const botocoreCrc32Holds = (response: RawResponse): boolean =>
  (crc32(response.body) & 0xffffffff) >>> 0 === Number(response.headers['x-amz-crc32']);

describe('x-amz-crc32, as botocore verifies it', () => {
  it('holds for answers and errors of every kind, byte for byte', async () => {
    await h.dynamodb.send(
      new CreateTableCommand({
        TableName: 'crc',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    // Multi-byte UTF-8 in the answer: the checksum and Content-Length are of bytes, not characters.
    const item = { pk: { S: 'ünïcødé 🚀' }, note: { S: '日本語' } };
    await amz('DynamoDB_20120810.PutItem', JSON.stringify({ TableName: 'crc', Item: item }));
    const responses = [
      await amz('DynamoDB_20120810.GetItem', JSON.stringify({ TableName: 'crc', Key: { pk: item.pk } })),
      await amz('DynamoDB_20120810.ListTables', '{}'),
      await amz('DynamoDB_20120810.ListTables', '{'),
      await amz('DynamoDB_20120810.MakeCoffee', '{}'),
      await amz('DynamoDB_20120810.DescribeTable', '{}'),
      await amz('DynamoDB_20120810.DescribeTable', '{"TableName":"nope"}'),
      await raw({ method: 'PUT', body: '{}' }),
      await raw({ method: 'OPTIONS' }),
      await raw({ method: 'GET' }),
    ];
    expect(JSON.parse(responses[0]?.body.toString('utf8') ?? '')).toEqual({ Item: item });
    for (const response of responses) {
      expect(botocoreCrc32Holds(response)).toBe(true);
      expect(Number(response.headers['content-length'])).toBe(response.body.length);
    }
    expect(responses.map((r) => r.status)).toEqual([200, 200, 400, 400, 400, 400, 404, 200, 200]);
  });

  it('matches the checksum AWS sends for its 404 body (recorded by dynalite)', async () => {
    const response = await raw({ method: 'PUT', body: '{}' });
    expect(response.body.toString()).toBe('<UnknownOperationException/>\n');
    expect(response.headers['x-amz-crc32']).toBe('3552371480');
  });
});

describe('content type and encoding', () => {
  it('answers application/x-amz-json-1.0, errors included', async () => {
    for (const response of [
      await amz('DynamoDB_20120810.ListTables', '{}'),
      await amz('DynamoDB_20120810.ListTables', 'not json'),
      await amz('DynamoDBStreams_20120810.ListStreams', '{}'),
    ]) {
      expect(response.headers['content-type']).toBe(JSON_10);
    }
  });

  it('answers application/json to a request in application/json, as DynamoDB does', async () => {
    const response = await raw({
      headers: { 'Content-Type': 'application/json', 'X-Amz-Target': 'DynamoDB_20120810.ListTables' },
      body: '{}',
    });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
  });

  it('never compresses, whatever Accept-Encoding asks: DynamoDB does not either', async () => {
    const response = await amz('DynamoDB_20120810.ListTables', '{}', {
      'Accept-Encoding': 'gzip, deflate, br',
    });
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(response.body.toString('utf8'))).toHaveProperty('TableNames');
    expect(botocoreCrc32Holds(response)).toBe(true);
  });

  it("dates answers by the emulator's clock, which SDKs use to correct their own", async () => {
    const clock = new ManualClock(Date.UTC(2030, 5, 1, 8, 30, 0));
    const other = await startHarness({ clock });
    try {
      const response = await fetch(other.running.endpoint, {
        method: 'POST',
        headers: { 'Content-Type': JSON_10, 'X-Amz-Target': 'DynamoDB_20120810.ListTables' },
        body: '{}',
      });
      expect(response.headers.get('date')).toBe('Sat, 01 Jun 2030 08:30:00 GMT');
    } finally {
      await other.close();
    }
  });
});

describe('CORS, for browser tools', () => {
  it('answers a preflight with the method and headers asked for, before any authentication', async () => {
    const response = await raw({
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:3000',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type,x-amz-date,x-amz-target',
      },
    });
    expect(response.status).toBe(200);
    expect(response.body.length).toBe(0);
    expect(response.headers).toMatchObject({
      'access-control-allow-origin': 'http://localhost:3000',
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'authorization,content-type,x-amz-date,x-amz-target',
      'access-control-max-age': '172800',
    });
  });

  it('names Authorization among the allowed headers when a preflight lists none (* does not cover it)', async () => {
    const response = await raw({ method: 'OPTIONS', headers: { Origin: 'http://localhost:3000' } });
    expect(response.headers['access-control-allow-headers']).toMatch(/\bauthorization\b/);
    expect(response.headers['access-control-allow-methods']).toMatch(/\bPOST\b/);
  });

  it('lets a page read every answer, its request id and checksum included', async () => {
    for (const response of [
      await amz('DynamoDB_20120810.ListTables', '{}', { Origin: 'http://localhost:3000' }),
      await amz('DynamoDB_20120810.MakeCoffee', '{}', { Origin: 'http://localhost:3000' }),
      await raw({ method: 'PUT', headers: { Origin: 'http://localhost:3000' } }),
    ]) {
      expect(response.headers['access-control-allow-origin']).toBe('http://localhost:3000');
      expect(response.headers.vary).toBe('Origin');
      expect(response.headers['access-control-expose-headers']).toMatch(
        /x-amzn-RequestId.*x-amz-crc32.*Date/,
      );
    }
  });
});

/** A bare TCP connection: what a client does after a 413 is not up to node's client. */
const connectRaw = () => {
  const url = new URL(h.running.endpoint);
  const socket = connect(Number(url.port), url.hostname);
  let text = '';
  socket.on('data', (data: Buffer) => {
    text += data.toString('latin1');
  });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, received: () => text, closed };
};

const waitUntil = async (condition: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('bodies over 16 MiB', () => {
  const LIMIT = 16 * 1024 * 1024;
  /** `{}` padded with spaces to `size` bytes: valid JSON of any size. */
  const padded = (size: number) => Buffer.concat([Buffer.from('{}'), Buffer.alloc(size - 2, 0x20)]);

  it('reads a body of exactly 16 MiB', async () => {
    const response = await amz('DynamoDB_20120810.ListTables', padded(LIMIT) as unknown as string);
    expect(response.status).toBe(200);
  });

  it('answers 413 to one byte more, reads the rest away, and keeps the connection usable', async () => {
    const { socket, received, closed } = connectRaw();
    const head = (length: number) =>
      `POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: ${JSON_10}\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\nContent-Length: ${length}\r\n\r\n`;
    socket.write(head(LIMIT + 1));
    socket.write(padded(LIMIT + 1));
    socket.write(`${head(2)}{}`);
    await waitUntil(() => (received().match(/HTTP\/1\.1 /g) ?? []).length === 2);
    const statuses = [...received().matchAll(/HTTP\/1\.1 (\d+)/g)].map((m) => m[1]);
    expect(statuses).toEqual(['413', '200']);
    expect(received()).toContain('{"message":"Request Entity Too Large"}');
    socket.end();
    await closed;
  });

  it('answers 413 to a chunked upload as soon as it passes the limit, before it ends', async () => {
    const url = new URL(h.running.endpoint);
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const outcome = await new Promise<{ status: number; writtenWhenAnswered: number }>((resolve, reject) => {
      let written = 0;
      let answered = false;
      const req = httpRequest(
        { host: url.hostname, port: url.port, method: 'POST', headers: { 'Content-Type': JSON_10 } },
        (res) => {
          answered = true;
          const writtenWhenAnswered = written;
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, writtenWhenAnswered }));
          req.end();
        },
      );
      req.on('error', reject);
      const pump = () => {
        while (!answered && written < 64 * chunk.length) {
          written += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        if (!answered) req.end();
      };
      pump();
    });
    expect(outcome.status).toBe(413);
    expect(outcome.writtenWhenAnswered).toBeLessThan(64 * chunk.length);
  });

  it('drops a client that keeps sending well past the limit, after answering it', async () => {
    const { socket, received, closed } = connectRaw();
    socket.write(
      `POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: ${JSON_10}\r\nTransfer-Encoding: chunked\r\n\r\n`,
    );
    const chunk = Buffer.concat([
      Buffer.from('100000\r\n'),
      Buffer.alloc(0x100000, 0x20),
      Buffer.from('\r\n'),
    ]);
    const MAX = 512;
    let written = 0;
    const pump = () => {
      while (written < MAX && !socket.destroyed) {
        written += 1;
        if (!socket.write(chunk)) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    pump();
    await closed;
    expect(received()).toMatch(/^HTTP\/1\.1 413 /);
    expect(written).toBeLessThan(MAX);
  });

  it('refuses a body declared too large before it is sent (Expect: 100-continue), and closes', async () => {
    const url = new URL(h.running.endpoint);
    const outcome = await new Promise<{ status: number; connection?: string; continued: boolean }>(
      (resolve, reject) => {
        let continued = false;
        const req = httpRequest(
          {
            host: url.hostname,
            port: url.port,
            method: 'POST',
            headers: { 'Content-Type': JSON_10, 'Content-Length': String(1024 ** 3), Expect: '100-continue' },
          },
          (res) => {
            res.resume();
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                ...(res.headers.connection === undefined ? {} : { connection: res.headers.connection }),
                continued,
              }),
            );
          },
        );
        req.on('continue', () => {
          continued = true;
        });
        req.on('error', reject);
        req.flushHeaders();
      },
    );
    expect(outcome).toEqual({ status: 413, connection: 'close', continued: false });
  });

  it('refuses a body declared too large without reading it', async () => {
    const url = new URL(h.running.endpoint);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          method: 'POST',
          headers: { 'Content-Type': JSON_10, 'Content-Length': String(1024 ** 3) },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
      // Only the headers go out: the answer cannot be waiting for the gigabyte.
      req.flushHeaders();
    });
    expect(status).toBe(413);
  });
});
