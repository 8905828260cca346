import { crc32 } from 'node:zlib';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../local-runtime/emulator/startEmulator.js';
import { ManualClock } from '../../../src/time/clock.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { freePort, runCli } from '../../helpers/runCli.js';

const KEY = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local/secret+key' };
const OTHER = { accessKeyId: 'AKIDOTHER', secretAccessKey: 'other-secret', accountId: '111122223333' };
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

let h: EmulatorHarness;
const made: { destroy(): void }[] = [];
beforeAll(async () => {
  h = await startHarness({ requireSignature: true, credentials: [KEY, OTHER] });
});
afterAll(async () => {
  for (const client of made) client.destroy();
  await h.close();
});

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/** Real SDK clients: they sign correctly, so whatever fails here fails on the emulator's side. */
const clients = (
  credentials: Credentials,
  endpoint = h.running.endpoint,
  extra: DynamoDBClientConfig = {},
) => {
  const config = { endpoint, region: 'eu-west-1', credentials, ...extra };
  const made_ = {
    dynamodb: new DynamoDBClient(config),
    streams: new DynamoDBStreamsClient({ ...config, maxAttempts: extra.maxAttempts ?? 3 }),
  };
  made.push(made_.dynamodb, made_.streams);
  return made_;
};

const createTable = (client: DynamoDBClient, TableName: string) =>
  client.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );

/** A request as a browser or curl sends it: no SDK, no signature unless given. */
const post = (target: string, headers: Record<string, string> = {}) =>
  fetch(h.running.endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': target, ...headers },
    body: '{}',
  });

describe('with signatures required', () => {
  it('serves DynamoDB and DynamoDB Streams to a known key (both sign as service dynamodb)', async () => {
    const { dynamodb, streams } = clients(KEY);
    await createTable(dynamodb, 'signed');
    const { TableNames } = await dynamodb.send(new ListTablesCommand({}));
    expect(TableNames).toContain('signed');
    const { Streams } = await streams.send(new ListStreamsCommand({ TableName: 'signed' }));
    expect(Streams).toHaveLength(1);
  });

  it('refuses a wrong secret with InvalidSignatureException', async () => {
    const { dynamodb, streams } = clients({ ...KEY, secretAccessKey: 'not-the-secret' }, undefined, {
      maxAttempts: 1,
    });
    for (const send of [
      () => dynamodb.send(new ListTablesCommand({})),
      () => streams.send(new ListStreamsCommand({})),
    ]) {
      const error = await send().catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 400 } });
      expect((error as Error).message.startsWith(`${MISMATCH}\n\nThe Canonical String`)).toBe(true);
    }
  });

  it('refuses an unknown access key with UnrecognizedClientException', async () => {
    const { dynamodb } = clients({ accessKeyId: 'AKIDNOBODY', secretAccessKey: 'x' });
    await expect(dynamodb.send(new ListTablesCommand({}))).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
  });

  it('passes X-Amz-Security-Token through (temporary credentials)', async () => {
    const { dynamodb } = clients({ ...KEY, sessionToken: 'FwoGZXIvYXdzEJr//////////session' });
    await expect(dynamodb.send(new ListTablesCommand({}))).resolves.toHaveProperty('TableNames');
  });

  it('refuses a request without a signature, as DynamoDB does', async () => {
    const response = await post('DynamoDB_20120810.ListTables');
    const body = await response.text();
    expect(response.status).toBe(400);
    expect(JSON.parse(body)).toEqual({
      __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
      message: 'Request is missing Authentication Token',
    });
    expect(response.headers.get('x-amz-crc32')).toBe(String(crc32(Buffer.from(body))));
  });

  it('refuses a malformed Authorization header with IncompleteSignatureException', async () => {
    const authorization = 'AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/eu-west-1/dynamodb/aws4_request';
    const response = await post('DynamoDB_20120810.ListTables', { Authorization: authorization });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      __type: 'com.amazon.coral.service#IncompleteSignatureException',
      message:
        "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. " +
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
        `Authorization=${authorization}`,
    });
  });

  it('reports an unknown operation before a missing signature, in DynamoDB order', async () => {
    const response = await post('DynamoDB_20120810.MakeCoffee');
    expect(await response.json()).toEqual({ __type: 'com.amazon.coral.service#UnknownOperationException' });
  });

  it('answers health checks and CORS preflights without a signature', async () => {
    expect((await fetch(h.running.endpoint)).status).toBe(200);
    const preflight = await fetch(h.running.endpoint, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  it('refuses a body or header changed after signing', async () => {
    const tampering = (change: (request: { body: string; headers: Record<string, string> }) => void) => {
      const { dynamodb } = clients(KEY, undefined, { maxAttempts: 1 });
      type Handler = (args: { request: unknown }) => Promise<unknown>;
      const tamper =
        (next: Handler): Handler =>
        async (args) => {
          change(args.request as { body: string; headers: Record<string, string> });
          return next(args);
        };
      dynamodb.middlewareStack.addRelativeTo(tamper as never, {
        name: 'tamperAfterSigning',
        relation: 'after',
        toMiddleware: 'httpSigningMiddleware',
      });
      return dynamodb;
    };
    const body = tampering((request) => {
      request.body = request.body.replace('"signed"', '"other"');
      request.headers['content-length'] = String(Buffer.byteLength(request.body));
    });
    await expect(body.send(new DescribeTableCommand({ TableName: 'signed' }))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
    });
    const target = tampering((request) => {
      request.headers['x-amz-target'] = 'DynamoDB_20120810.ListTables';
    });
    await expect(target.send(new DescribeTableCommand({ TableName: 'signed' }))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
    });
  });

  it("refuses a signature 15 minutes off the emulator's clock; the SDK then corrects its own from Date", async () => {
    // The emulator's (injected) clock is an hour ahead of the machine's, where the SDK takes its time.
    const clock = new ManualClock(Date.now() + 60 * 60_000);
    const skewed = await startEmulator({ port: 0, clock, requireSignature: true, credentials: [KEY] });
    try {
      const once = clients(KEY, skewed.endpoint, { maxAttempts: 1 });
      const error = await once.dynamodb.send(new ListTablesCommand({})).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'InvalidSignatureException' });
      expect((error as Error).message).toMatch(
        /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
      );
      // With retries, as by default, the SDK reads the answer's Date and signs again in the emulator's time.
      const retrying = clients(KEY, skewed.endpoint);
      await expect(retrying.dynamodb.send(new ListTablesCommand({}))).resolves.toHaveProperty('TableNames');
    } finally {
      await skewed.close();
    }
  });

  it('will not start without a key to check against', async () => {
    await expect(startEmulator({ port: 0, requireSignature: true })).rejects.toThrow(
      /at least one access key/,
    );
  });
});

describe('accounts', () => {
  it("keeps each key's account apart, with ARNs naming it", async () => {
    const mine = clients(KEY);
    const theirs = clients(OTHER);
    await createTable(mine.dynamodb, 'orders');
    await createTable(theirs.dynamodb, 'orders');
    const [a, b] = await Promise.all([
      mine.dynamodb.send(new DescribeTableCommand({ TableName: 'orders' })),
      theirs.dynamodb.send(new DescribeTableCommand({ TableName: 'orders' })),
    ]);
    expect(a.Table?.TableArn).toBe('arn:aws:dynamodb:eu-west-1:000000000000:table/orders');
    expect(b.Table?.TableArn).toBe('arn:aws:dynamodb:eu-west-1:111122223333:table/orders');
    expect(b.Table?.LatestStreamArn).toMatch(
      /^arn:aws:dynamodb:eu-west-1:111122223333:table\/orders\/stream\//,
    );

    await theirs.dynamodb.send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'o-1' } } }));
    const { Item } = await mine.dynamodb.send(
      new GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'o-1' } } }),
    );
    expect(Item).toBeUndefined();
    const { Streams } = await theirs.streams.send(new ListStreamsCommand({}));
    expect(Streams?.map((s) => s.StreamArn)).toEqual([b.Table?.LatestStreamArn]);
  });

  it('without signature checking, takes a 12-digit access key as the account (as LocalStack does)', async () => {
    const open = await startHarness({
      credentials: [{ accessKeyId: 'MAPPED', secretAccessKey: 'unchecked', accountId: '444455556666' }],
    });
    try {
      const numeric = clients(
        { accessKeyId: '123456789012', secretAccessKey: 'anything' },
        open.running.endpoint,
      );
      const mapped = clients(
        { accessKeyId: 'MAPPED', secretAccessKey: 'wrong, but unchecked' },
        open.running.endpoint,
      );
      const anyone = clients({ accessKeyId: 'test', secretAccessKey: 'test' }, open.running.endpoint);
      await createTable(numeric.dynamodb, 'numeric');
      await createTable(mapped.dynamodb, 'mapped');
      const { Table } = await numeric.dynamodb.send(new DescribeTableCommand({ TableName: 'numeric' }));
      expect(Table?.TableArn).toBe('arn:aws:dynamodb:eu-west-1:123456789012:table/numeric');
      const described = await mapped.dynamodb.send(new DescribeTableCommand({ TableName: 'mapped' }));
      expect(described.Table?.TableArn).toBe('arn:aws:dynamodb:eu-west-1:444455556666:table/mapped');
      expect((await anyone.dynamodb.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    } finally {
      await open.close();
    }
  });
});

describe('eddy emulator --require-signature', () => {
  it('checks signatures against --credentials, each key in its account', async () => {
    const port = await freePort();
    const cli = runCli([
      'emulator',
      '--port',
      String(port),
      '--require-signature',
      '--credentials',
      'AKIDCLI:cli-secret:222233334444',
    ]);
    try {
      await cli.waitForOutput(/listening on http:\/\/127\.0\.0\.1:\d+ \(SigV4 signatures required: 1 key/);
      const endpoint = `http://127.0.0.1:${port}`;
      const good = clients({ accessKeyId: 'AKIDCLI', secretAccessKey: 'cli-secret' }, endpoint);
      await createTable(good.dynamodb, 'cli');
      const { Table } = await good.dynamodb.send(new DescribeTableCommand({ TableName: 'cli' }));
      expect(Table?.TableArn).toBe('arn:aws:dynamodb:eu-west-1:222233334444:table/cli');
      const bad = clients({ accessKeyId: 'AKIDCLI', secretAccessKey: 'guess' }, endpoint, { maxAttempts: 1 });
      await expect(bad.dynamodb.send(new ListTablesCommand({}))).rejects.toMatchObject({
        name: 'InvalidSignatureException',
      });
    } finally {
      await cli.stop();
    }
  });

  it('takes the keys from EDDY_CREDENTIALS', async () => {
    const port = await freePort();
    const cli = runCli(['emulator', '--port', String(port), '--require-signature'], {
      env: { EDDY_CREDENTIALS: 'AKIDENV1:one, AKIDENV2:two:333344445555' },
    });
    try {
      await cli.waitForOutput(/SigV4 signatures required: 2 key/);
      const second = clients({ accessKeyId: 'AKIDENV2', secretAccessKey: 'two' }, `http://127.0.0.1:${port}`);
      await expect(second.dynamodb.send(new ListTablesCommand({}))).resolves.toHaveProperty('TableNames');
    } finally {
      await cli.stop();
    }
  });

  it('refuses --require-signature without a key, and shows both options in --help', async () => {
    const refused = runCli(['emulator', '--port', '0', '--require-signature'], {
      env: { EDDY_CREDENTIALS: '' },
    });
    expect(await refused.exited).toBe(2); // a usage error (eddy --help lists the exit codes)
    expect(refused.output()).toContain('--require-signature needs at least one --credentials');
    const helps = ['emulator', 'dev'].map((command) => runCli([command, '--help']));
    for (const help of helps) {
      expect(await help.exited).toBe(0);
      expect(help.output()).toMatch(/--require-signature .*\(default: false\)/s);
      expect(help.output()).toMatch(
        /--credentials <AKID:SECRET\[:ACCOUNT\]>.*\(default: none, env: EDDY_CREDENTIALS\)/s,
      );
    }
  });
});
