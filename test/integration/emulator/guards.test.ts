import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ControlArgumentError } from '../../../local-runtime/emulator/control/controlArguments.js';
import { type RunningEmulator, startEmulator } from '../../../local-runtime/emulator/startEmulator.js';
import { ITERATOR_KEY_FILE } from '../../../local-runtime/emulator/streams/iteratorKey.js';
import { createStreamTable } from '../../helpers/createStreamTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { type Answer, rawRequest as send } from '../../helpers/rawRequest.js';
import { freePort, runCli } from '../../helpers/runCli.js';

const KEY = { accessKeyId: 'AKIDGUARD', secretAccessKey: 'guard-secret' };
const JSON_10 = 'application/x-amz-json-1.0';

/**
 * Raw bytes on one connection, and every answer received until the server closes it or `answers` complete
 * answers have arrived. A plain POST sent this way is served by the fast path (plainRequests.ts).
 */
const exchange = (endpoint: string, writes: readonly string[], answers: number): Promise<string[]> =>
  new Promise((resolve, reject) => {
    const url = new URL(endpoint);
    const socket = connect(Number(url.port), url.hostname);
    let text = '';
    const parsed = (): string[] => {
      const out: string[] = [];
      let rest = text;
      for (;;) {
        const headEnd = rest.indexOf('\r\n\r\n');
        if (headEnd < 0) return out;
        const length = Number(/\r\ncontent-length: (\d+)/i.exec(rest.slice(0, headEnd))?.[1] ?? '0');
        if (rest.length < headEnd + 4 + length) return out;
        out.push(rest.slice(0, headEnd + 4 + length));
        rest = rest.slice(headEnd + 4 + length);
      }
    };
    socket.on('data', (data: Buffer) => {
      text += data.toString('latin1');
      if (parsed().length >= answers) socket.destroy();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(parsed()));
    const [first, ...more] = writes;
    socket.write(first ?? '', () => {
      for (const write of more) socket.write(write);
    });
  });

const plainPost = (host: string, target: string, body: string, extra = '') =>
  `POST / HTTP/1.1\r\nHost: ${host}\r\nContent-Type: ${JSON_10}\r\nX-Amz-Target: DynamoDB_20120810.${target}\r\n` +
  `${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
/** The same request chunked: node:http serves it, not the fast path. */
const chunkedPost = (host: string, target: string, body: string) =>
  `POST / HTTP/1.1\r\nHost: ${host}\r\nContent-Type: ${JSON_10}\r\nX-Amz-Target: DynamoDB_20120810.${target}\r\n` +
  `Transfer-Encoding: chunked\r\n\r\n${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`;
const statusOf = (answer: string | undefined) => Number(answer?.slice(9, 12));
const bodyOf = (answer: string | undefined) => answer?.slice(answer.indexOf('\r\n\r\n') + 4) ?? '';

/** SHA-256 for the SDK's signer, from node:crypto. */
class Sha256 {
  readonly #hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#hash =
      secret === undefined
        ? createHash('sha256')
        : createHmac('sha256', typeof secret === 'string' ? secret : Buffer.from(secret as ArrayBuffer));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#hash.update(typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
  reset(): void {}
}

/** A control request signed by the SDK's own SigV4 signer, as any AWS tool would sign it. */
const signedControl = async (
  endpoint: string,
  action: string,
  body: unknown,
  credentials = KEY,
): Promise<Answer> => {
  const url = new URL(endpoint);
  const text = JSON.stringify(body);
  const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 'dynamodb', sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: `/_eddy/control/${action}`,
    query: {},
    headers: { host: url.host, 'content-type': 'application/json' },
    body: text,
  });
  return send(endpoint, {
    path: `/_eddy/control/${action}`,
    headers: signed.headers as Record<string, string>,
    body: text,
  });
};

const control = (
  endpoint: string,
  action: string,
  body: unknown = {},
  headers: Record<string, string> = {},
) =>
  send(endpoint, {
    path: `/_eddy/control/${action}`,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('Host names (DNS rebinding protection)', () => {
  let h: EmulatorHarness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('refuses a foreign Host with 403 before running anything, on the fast path and on node:http', async () => {
    const create = JSON.stringify({
      TableName: 'rebound',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    });
    const [fast] = await exchange(h.running.endpoint, [plainPost('evil.example', 'CreateTable', create)], 1);
    const [slow] = await exchange(
      h.running.endpoint,
      [chunkedPost('evil.example:80', 'CreateTable', create)],
      1,
    );
    for (const answer of [fast, slow]) {
      expect(statusOf(answer)).toBe(403);
      expect(JSON.parse(bodyOf(answer))).toEqual({
        __type: 'com.amazon.coral.service#AccessDeniedException',
        message: expect.stringMatching(/^Host "evil\.example(:80)?" is not served.*--allow-host/),
      });
    }
    const viaControl = await control(h.running.endpoint, 'sweepTtl', {}, { Host: 'evil.example' });
    expect(viaControl.status).toBe(403);
    const health = await send(h.running.endpoint, { method: 'GET', headers: { Host: 'evil.example' } });
    expect(health.status).toBe(403);
    expect((await h.dynamodb.send(new ListTablesCommand({}))).TableNames).toEqual([]);
  });

  it('serves loopback names and IP addresses, on both paths', async () => {
    const port = new URL(h.running.endpoint).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'LOCALHOST', `[::1]:${port}`, '10.0.0.7']) {
      const [fast] = await exchange(h.running.endpoint, [plainPost(host, 'ListTables', '{}')], 1);
      const [slow] = await exchange(h.running.endpoint, [chunkedPost(host, 'ListTables', '{}')], 1);
      expect([statusOf(fast), statusOf(slow)]).toEqual([200, 200]);
    }
  });

  it('serves the names given with allowHosts (--allow-host), and still refuses others', async () => {
    const other = await startEmulator({ port: 0, allowHosts: ['dev.internal'] });
    try {
      const [allowed, refused] = await Promise.all([
        exchange(other.endpoint, [plainPost('dev.internal:8000', 'ListTables', '{}')], 1),
        exchange(other.endpoint, [plainPost('evil.example', 'ListTables', '{}')], 1),
      ]);
      expect([statusOf(allowed[0]), statusOf(refused[0])]).toEqual([200, 403]);
    } finally {
      await other.close();
    }
  });
});

describe('browser origins', () => {
  let h: EmulatorHarness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const listTables = (endpoint: string, headers: Record<string, string> = {}) =>
    send(endpoint, {
      headers: { 'Content-Type': JSON_10, 'X-Amz-Target': 'DynamoDB_20120810.ListTables', ...headers },
      body: '{}',
    });

  it('refuses a page from another origin with 403, preflight included, before anything runs', async () => {
    const create = await send(h.running.endpoint, {
      headers: {
        'Content-Type': JSON_10,
        'X-Amz-Target': 'DynamoDB_20120810.CreateTable',
        Origin: 'http://evil.example',
      },
      body: JSON.stringify({
        TableName: 'drive-by',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    });
    expect(create.status).toBe(403);
    expect(JSON.parse(create.body)).toMatchObject({
      __type: 'com.amazon.coral.service#AccessDeniedException',
      message: expect.stringMatching(/^Origin "http:\/\/evil\.example" is not allowed.*--allow-origin/),
    });
    expect(create.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await send(h.running.endpoint, {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect((await h.dynamodb.send(new ListTablesCommand({}))).TableNames).toEqual([]);
  });

  it('grants pages on localhost, 127.0.0.1 and [::1] their own origin', async () => {
    for (const origin of ['http://localhost:3000', 'http://127.0.0.1:5173', 'http://[::1]:8080']) {
      const answer = await listTables(h.running.endpoint, { Origin: origin });
      expect(answer.status).toBe(200);
      expect(answer.headers['access-control-allow-origin']).toBe(origin);
      expect(answer.headers.vary).toBe('Origin');
    }
  });

  it('sends no Access-Control-* header to a request without an Origin, as DynamoDB does', async () => {
    for (const answer of [
      await listTables(h.running.endpoint),
      await listTables(h.running.endpoint, { 'X-Amz-Target': 'DynamoDB_20120810.MakeCoffee' }),
      await send(h.running.endpoint, { method: 'OPTIONS' }),
      await send(h.running.endpoint, { method: 'GET' }),
    ]) {
      expect(Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });

  it('grants the origins given with allowOrigins (--allow-origin), or every origin with *', async () => {
    const listed = await startEmulator({ port: 0, allowOrigins: ['https://Admin.example:8443/'] });
    const any = await startEmulator({ port: 0, allowOrigins: ['*'] });
    try {
      const granted = await listTables(listed.endpoint, { Origin: 'https://admin.example:8443' });
      expect(granted.headers['access-control-allow-origin']).toBe('https://admin.example:8443');
      expect((await listTables(listed.endpoint, { Origin: 'https://admin.example' })).status).toBe(403);
      const wildcard = await listTables(any.endpoint, { Origin: 'http://evil.example' });
      expect(wildcard.status).toBe(200);
      expect(wildcard.headers['access-control-allow-origin']).toBe('*');
    } finally {
      await listed.close();
      await any.close();
    }
  });

  it('refuses an origin option that is not scheme://host[:port]', async () => {
    await expect(startEmulator({ port: 0, allowOrigins: ['evil.example/path'] })).rejects.toThrow(
      /--allow-origin 'evil\.example\/path' must be scheme:\/\/host\[:port\]/,
    );
  });
});

describe('the control surface under requireSignature', () => {
  let h: EmulatorHarness;
  beforeAll(async () => {
    h = await startHarness({ requireSignature: true, credentials: [KEY] });
  });
  afterAll(() => h.close());
  afterEach(() => h.running.emulator.control.clearFaults());

  const signedClient = async () => {
    return new DynamoDBClient({
      endpoint: h.running.endpoint,
      region: 'us-east-1',
      credentials: KEY,
      maxAttempts: 1,
    });
  };

  it("answers an unsigned or wrongly signed control request with AWS's authentication error, and does nothing", async () => {
    const unsigned = await control(h.running.endpoint, 'failNext', {
      operation: 'ListTables',
      count: 1_000_000,
      kind: 'internalError',
    });
    expect(unsigned.status).toBe(400);
    expect(JSON.parse(unsigned.body)).toEqual({
      __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
      message: 'Request is missing Authentication Token',
    });
    const forged = await signedControl(
      h.running.endpoint,
      'failNext',
      { operation: 'ListTables', kind: 'internalError' },
      { ...KEY, secretAccessKey: 'guessed' },
    );
    expect(forged.status).toBe(400);
    expect(JSON.parse(forged.body).__type).toBe('com.amazon.coral.service#InvalidSignatureException');
    const unknownKey = await signedControl(
      h.running.endpoint,
      'failNext',
      { operation: 'ListTables', kind: 'internalError' },
      { accessKeyId: 'AKIDNOBODY', secretAccessKey: 'x' },
    );
    expect(JSON.parse(unknownKey.body).__type).toBe('com.amazon.coral.service#UnrecognizedClientException');
    // Nothing was queued: a signed request goes through.
    const dynamodb = await signedClient();
    await expect(dynamodb.send(new ListTablesCommand({}))).resolves.toBeDefined();
    dynamodb.destroy();
  });

  it('refuses unknown actions and other methods to unsigned callers with the same error (no action list)', async () => {
    const answer = await send(h.running.endpoint, { method: 'GET', path: '/_eddy/control/anything' });
    expect(answer.status).toBe(400);
    expect(answer.body).not.toMatch(/known/);
    expect(JSON.parse(answer.body).__type).toBe(
      'com.amazon.coral.service#MissingAuthenticationTokenException',
    );
  });

  it('serves a control request signed like a data-plane request', async () => {
    const answer = await signedControl(h.running.endpoint, 'failNext', {
      operation: 'ListTables',
      count: 1,
      kind: 'internalError',
    });
    expect(answer.status).toBe(200);
    const dynamodb = await signedClient();
    await expect(dynamodb.send(new ListTablesCommand({}))).rejects.toMatchObject({
      name: 'InternalServerError',
    });
    dynamodb.destroy();
  });

  it("answers an unsigned GET / with the health line, as AWS's endpoint does, and no state", async () => {
    // https://dynamodb.us-east-1.amazonaws.com/ answers `healthy: dynamodb.us-east-1.amazonaws.com` to any GET,
    // unsigned; the line only echoes the region the request itself names.
    const answer = await send(h.running.endpoint, { method: 'GET' });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('healthy: dynamodb.us-east-1.amazonaws.com ');
  });
});

describe('control arguments', () => {
  let h: EmulatorHarness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  afterEach(() => h.running.emulator.control.clearFaults());

  it.each([
    [
      'failNext',
      { operation: 'PutItem', count: 1e9, kind: 'throttling' },
      /^count must be an integer from 1 to 1000000; got 1000000000$/,
    ],
    [
      'failNext',
      { operation: 'PutItem', count: 'abc', kind: 'throttling' },
      /^count must be an integer from 1 to 1000000; got "abc"$/,
    ],
    ['failNext', { operation: 'PutItem', count: 0, kind: 'throttling' }, /^count must be .*; got 0$/],
    ['failNext', { operation: 'PutItem', count: 1.5, kind: 'throttling' }, /^count must be .*; got 1\.5$/],
    [
      'failNext',
      { operation: 'PutItem', kind: 'meteor' },
      /^kind must be one of throttling, limitExceeded, provisionedThroughputExceeded, accessDenied, internalError; got "meteor"$/,
    ],
    [
      'failNext',
      { operation: 'MakeCoffee', kind: 'throttling' },
      /^operation must be an operation the emulator serves.*; got "MakeCoffee"$/,
    ],
    ['failNext', { operation: 5, kind: 'throttling' }, /^operation must be .*; got 5$/],
    ['advanceClock', { ms: -1 }, /^ms must be a finite number from 0 to \d+; got -1$/],
    ['advanceClock', { ms: '5' }, /^ms must be a finite number .*; got "5"$/],
    ['rollOver', { streamArn: 5 }, /^streamArn must be a non-empty string; got 5$/],
    ['split', { streamArn: 'arn:x' }, /^shardId must be a non-empty string; got undefined$/],
  ])('refuses %s %j with 400 naming the argument and its range', async (action, body, message) => {
    const answer = await control(h.running.endpoint, action, body);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({
      __type: 'com.amazon.coral.validate#ValidationException',
      message: expect.stringMatching(message),
    });
  });

  it('refuses a body that is not a JSON object', async () => {
    for (const body of ['[1]', '"x"', '{']) {
      const answer = await send(h.running.endpoint, { path: '/_eddy/control/failNext', body });
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({
        __type: 'com.amazon.coral.service#SerializationException',
        message: expect.stringMatching(/JSON object/),
      });
    }
  });

  it('validates the in-process API the same way', () => {
    const { control: api } = h.running.emulator;
    expect(() => api.failNext('PutItem', 1e9, 'throttling')).toThrow(ControlArgumentError);
    expect(() => api.failNext('PutItem', Number('abc'), 'throttling')).toThrow(/got NaN/);
    expect(() => api.failNext('PutItem', 1, 'meteor' as never)).toThrow(/^kind must be one of/);
    expect(() => api.advanceClock(Number.POSITIVE_INFINITY)).toThrow(/^ms must be a finite number/);
    expect(() => api.rollOver({ streamArn: '' })).toThrow(/^streamArn must be a non-empty string/);
  });

  it('clears injected faults over HTTP and in process', async () => {
    const put = () => h.dynamodb.send(new PutItemCommand({ TableName: 'cleared', Item: { pk: { S: 'x' } } }));
    await createStreamTable(h.dynamodb, 'cleared', 'KEYS_ONLY');
    expect(
      (
        await control(h.running.endpoint, 'failNext', {
          operation: 'PutItem',
          count: 1_000_000,
          kind: 'internalError',
        })
      ).status,
    ).toBe(200);
    const cleared = await control(h.running.endpoint, 'clearFaults');
    expect([cleared.status, JSON.parse(cleared.body)]).toEqual([200, {}]);
    await expect(put()).resolves.toBeDefined();
    h.running.emulator.control.failNext('DynamoDB_20120810.PutItem', 1_000_000, 'internalError');
    h.running.emulator.control.clearFaults();
    await expect(put()).resolves.toBeDefined();
  });
});

describe('signature checking before the body is parsed', () => {
  let h: EmulatorHarness;
  beforeAll(async () => {
    h = await startHarness({ requireSignature: true, credentials: [KEY] });
  });
  afterAll(() => h.close());

  it('refuses an unsigned 16 MiB nested body without parsing it', async () => {
    const half = 8 * 1024 * 1024;
    const body = `${'['.repeat(half)}${']'.repeat(half)}`;
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const answer = await send(h.running.endpoint, {
        headers: { 'Content-Type': JSON_10, 'X-Amz-Target': 'DynamoDB_20120810.PutItem' },
        body,
      });
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toEqual({
        __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
        message: 'Request is missing Authentication Token',
      });
      // The spy sees every JSON.parse in this process, the emulator's included: none got the body.
      expect(parse.mock.calls.filter(([text]) => String(text).length >= half)).toEqual([]);
    } finally {
      parse.mockRestore();
    }
  });

  it('still reports an unknown operation before a missing signature, even for a body that is not JSON', async () => {
    const unknown = await send(h.running.endpoint, {
      headers: { 'Content-Type': JSON_10, 'X-Amz-Target': 'DynamoDB_20120810.MakeCoffee' },
      body: '{',
    });
    expect(JSON.parse(unknown.body)).toEqual({
      __type: 'com.amazon.coral.service#UnknownOperationException',
    });
  });
});

describe('shard iterators', () => {
  let dataDir: string;
  let running: RunningEmulator | undefined;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'eddy-iterators-'));
  });
  afterAll(async () => {
    await running?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    await running?.close();
    running = await startEmulator({ port: 0, dataDir });
    const config = {
      endpoint: running.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    };
    return { dynamodb: new DynamoDBClient(config), streams: new DynamoDBStreamsClient(config) };
  };

  const INVALID = { name: 'ValidationException', message: 'Invalid ShardIterator' };

  it('refuses a forged iterator with a later issue time and an altered one (wording for a forged iterator is not documented by AWS)', async () => {
    const { dynamodb, streams } = await start();
    const streamArn = await createStreamTable(dynamodb, 'iterated', 'KEYS_ONLY');
    await dynamodb.send(new PutItemCommand({ TableName: 'iterated', Item: { pk: { S: 'a' } } }));
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: StreamDescription?.Shards?.[0]?.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const iterator = ShardIterator as string;
    // Shaped like AWS's: <StreamArn>|1|<token>.
    expect(iterator.startsWith(`${streamArn}|1|`)).toBe(true);
    await expect(streams.send(new GetRecordsCommand({ ShardIterator: iterator }))).resolves.toMatchObject({
      Records: [expect.anything()],
    });

    const token = Buffer.from(iterator.slice(iterator.lastIndexOf('|1|') + 3), 'base64');
    // The token is a 16-byte MAC (local-runtime/emulator/streams/shardIterator.ts) then the JSON payload: the
    // MAC's bytes are random and may hold a '[' themselves, so the payload is found by its offset.
    const payloadAt = 16;
    expect(token.subarray(payloadAt).toString('utf8').startsWith('[')).toBe(true);
    const payload = JSON.parse(token.subarray(payloadAt).toString('utf8')) as [string, string, number];
    const later = Buffer.from(JSON.stringify([payload[0], payload[1], payload[2] + 365 * 24 * 3600 * 1000]));
    const forgedKeepingMac = `${streamArn}|1|${Buffer.concat([token.subarray(0, payloadAt), later]).toString('base64')}`;
    const forgedUnsigned = `${streamArn}|1|${later.toString('base64')}`;
    const position = iterator.length - 10;
    const flipped = `${iterator.slice(0, position)}${iterator[position] === 'A' ? 'B' : 'A'}${iterator.slice(position + 1)}`;
    const otherStream = iterator.replace('/stream/', '/stream/1');
    for (const bad of [forgedKeepingMac, forgedUnsigned, flipped, otherStream]) {
      await expect(streams.send(new GetRecordsCommand({ ShardIterator: bad }))).rejects.toMatchObject(
        INVALID,
      );
    }
    dynamodb.destroy();
    streams.destroy();
  });

  it('keeps its key in the data dir, owner-only, so iterators outlive a restart', async () => {
    let clients = await start();
    const streamArn = await createStreamTable(clients.dynamodb, 'restarted', 'KEYS_ONLY');
    const { StreamDescription } = await clients.streams.send(
      new DescribeStreamCommand({ StreamArn: streamArn }),
    );
    const { ShardIterator } = await clients.streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: StreamDescription?.Shards?.[0]?.ShardId,
        ShardIteratorType: 'LATEST',
      }),
    );
    clients.dynamodb.destroy();
    clients.streams.destroy();
    expect(statSync(join(dataDir, ITERATOR_KEY_FILE)).mode & 0o777).toBe(0o600);
    clients = await start();
    await clients.dynamodb.send(new DescribeTableCommand({ TableName: 'restarted' }));
    await expect(clients.streams.send(new GetRecordsCommand({ ShardIterator }))).resolves.toMatchObject({
      Records: [],
    });
    clients.dynamodb.destroy();
    clients.streams.destroy();
  });
});

describe('request line and header size limits', () => {
  let h: EmulatorHarness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const LIMIT_BODY = { message: 'Bad Request: the request line and headers exceed 16 KiB' };
  const longPath = (length: number) =>
    `POST /${'p'.repeat(length)} HTTP/1.1\r\nHost: localhost\r\nContent-Type: ${JSON_10}\r\n` +
    'X-Amz-Target: DynamoDB_20120810.ListTables\r\nContent-Length: 2\r\n\r\n{}';

  it('answers a request line over 16 KiB with 400 and closes, as DynamoDB answers a 17,000-character URL', async () => {
    const answers = await exchange(h.running.endpoint, [longPath(17_000)], 1);
    expect(statusOf(answers[0])).toBe(400);
    expect(JSON.parse(bodyOf(answers[0]))).toEqual(LIMIT_BODY);
    expect(answers[0]).toMatch(/\r\nConnection: close\r\n/);
  });

  it('answers headers over 16 KiB the same way (AWS documents no header limit), after the answers already due on a kept-alive connection', async () => {
    const big = plainPost('localhost', 'ListTables', '{}', `X-Pad: ${'x'.repeat(17_000)}\r\n`);
    const answers = await exchange(
      h.running.endpoint,
      [plainPost('localhost', 'ListTables', '{}'), big, plainPost('localhost', 'ListTables', '{}')],
      3,
    );
    expect(answers.map(statusOf)).toEqual([200, 400]);
    expect(JSON.parse(bodyOf(answers[1]))).toEqual(LIMIT_BODY);
  });

  it('serves a head just under the limit on the fast path and on node:http alike', async () => {
    const pad = `X-Pad: ${'x'.repeat(15_800)}\r\n`;
    const [fast] = await exchange(h.running.endpoint, [plainPost('localhost', 'ListTables', '{}', pad)], 1);
    const [slow] = await exchange(
      h.running.endpoint,
      [
        chunkedPost('localhost', 'ListTables', '{}').replace(
          '\r\nTransfer-Encoding',
          `\r\n${pad.trimEnd()}\r\nTransfer-Encoding`,
        ),
      ],
      1,
    );
    expect([statusOf(fast), statusOf(slow)]).toEqual([200, 200]);
  });
});

describe('eddy emulator --allow-origin / --allow-host', () => {
  it('opens the origins and Host names given, repeatable or comma-separated, and refuses the rest', async () => {
    const port = await freePort();
    const cli = runCli([
      'emulator',
      '--port',
      String(port),
      '--allow-origin',
      'https://admin.example',
      '--allow-origin',
      'https://tools.example:8443,http://lan-box:3000',
      '--allow-host',
      'dev.internal',
    ]);
    try {
      await cli.waitForOutput(/listening on http:\/\/127\.0\.0\.1:\d+/);
      const endpoint = `http://127.0.0.1:${port}`;
      const ask = (headers: Record<string, string>) =>
        send(endpoint, {
          headers: { 'Content-Type': JSON_10, 'X-Amz-Target': 'DynamoDB_20120810.ListTables', ...headers },
          body: '{}',
        });
      for (const origin of ['https://admin.example', 'https://tools.example:8443', 'http://lan-box:3000']) {
        expect((await ask({ Origin: origin })).headers['access-control-allow-origin']).toBe(origin);
      }
      expect((await ask({ Origin: 'https://evil.example' })).status).toBe(403);
      expect((await ask({ Host: 'dev.internal' })).status).toBe(200);
      expect((await ask({ Host: 'evil.example' })).status).toBe(403);
    } finally {
      await cli.stop();
    }
  });

  it('shows both options in --help of eddy emulator and eddy dev', async () => {
    const helps = ['emulator', 'dev'].map((command) => runCli([command, '--help']));
    for (const help of helps) {
      expect(await help.exited).toBe(0);
      expect(help.output()).toMatch(/--allow-origin <origin>.*\(default: loopback pages only\)/s);
      expect(help.output()).toMatch(/--allow-host <name>.*\(default: loopback names only\)/s);
    }
  });
});
