import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardPages } from '../../../local-runtime/dashboard/dashboardPages.js';
import { EXPIRY_WARNING_MS } from '../../../local-runtime/dashboard/emulatorState.js';
import { startEmulator } from '../../../local-runtime/emulator/startEmulator.js';
import { ManualClock } from '../../../src/time/clock.js';
import { createStreamTable } from '../../helpers/createStreamTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { rawRequest } from '../../helpers/rawRequest.js';

// The dashboard's server side over HTTP (the page itself is driven in Chromium by test/e2e/dashboard.test.ts):
// what /_eddy/api answers, and the emulator's guards in front of it.

/** A raw GET or POST to a dashboard path, so Host and Origin can be anything a browser or a rebound page would send. */
const send = (
  endpoint: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
) => rawRequest(endpoint, { method: 'GET', ...options, path });

const T0 = Date.parse('2026-03-01T12:00:00Z');
let h: EmulatorHarness;
let clock: ManualClock;
let streamArn: string;

beforeAll(async () => {
  clock = new ManualClock(T0);
  h = await startHarness({ clock, pages: dashboardPages() });
  streamArn = await createStreamTable(h.dynamodb, 'orders', 'NEW_IMAGE');
  for (const id of ['a', 'b', 'c']) {
    await h.dynamodb.send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: id } } }));
  }
});
afterAll(() => h.close());

const state = async () => JSON.parse((await send(h.running.endpoint, '/_eddy/api/state')).body);

describe('the dashboard pages (/_eddy/)', () => {
  it('serves the page with a policy that keeps it to its own script and out of frames, and the bundled script', async () => {
    const page = await send(h.running.endpoint, '/_eddy/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<script src="/_eddy/dashboard.js">');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    const script = await send(h.running.endpoint, '/_eddy/dashboard.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');
    // No CDN: everything the page runs is in the bundle.
    expect(script.body).not.toMatch(/https?:\/\/(cdn|unpkg|esm\.sh)/);
  }, 30_000);

  it('answers the state: tables with item counts and stream settings, the shard with its records', async () => {
    const { dev, regions, mappings } = await state();
    expect(dev).toBe(false);
    expect(mappings).toEqual([]);
    const [region] = regions;
    expect(region.region).toBe('us-east-1');
    expect(region.tables).toEqual([
      expect.objectContaining({
        tableName: 'orders',
        itemCount: 3,
        keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        stream: { streamArn, viewType: 'NEW_IMAGE', enabled: true },
      }),
    ]);
    expect(region.streams[0].shards).toEqual([
      expect.objectContaining({ open: true, records: 3, iteratorExpiring: false, iteratorExpired: false }),
    ]);
  });

  it('pages through items and queries one partition key', async () => {
    const first = JSON.parse(
      (await send(h.running.endpoint, '/_eddy/api/items?region=us-east-1&table=orders&limit=2')).body,
    );
    expect(first.items).toHaveLength(2);
    const rest = JSON.parse(
      (
        await send(
          h.running.endpoint,
          `/_eddy/api/items?region=us-east-1&table=orders&limit=2&start=${encodeURIComponent(JSON.stringify(first.lastEvaluatedKey))}`,
        )
      ).body,
    );
    expect([...first.items, ...rest.items].map((i: { pk: { S: string } }) => i.pk.S).sort()).toEqual([
      'a',
      'b',
      'c',
    ]);
    const one = JSON.parse(
      (await send(h.running.endpoint, '/_eddy/api/items?region=us-east-1&table=orders&key=b')).body,
    );
    expect(one.items).toEqual([{ pk: { S: 'b' } }]);
    const missing = await send(h.running.endpoint, '/_eddy/api/items?region=us-east-1&table=nope');
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body).message).toContain('nope');
  });

  it('spends no injected fault on a refresh: the fault a test queued is still there for its own call', async () => {
    h.running.emulator.control.failNext('Scan', 1, 'internalError');
    await send(h.running.endpoint, '/_eddy/api/items?region=us-east-1&table=orders');
    expect((await state()).control.faults).toEqual([
      { operation: 'Scan', kind: 'internalError', remaining: 1 },
    ]);
    expect(() =>
      h.running.emulator.dispatch('DynamoDB_20120810.Scan', { TableName: 'orders' }, 'us-east-1'),
    ).toThrow(/internal/i);
    expect((await state()).control.faults).toEqual([]);
    h.running.emulator.control.clearFaults();
    expect((await state()).control.faults).toEqual([]);
  });

  it('says when a shard’s newest iterator nears its 15 minutes, and when it has expired (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html)', async () => {
    const { StreamDescription } = await h.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const shardId = StreamDescription?.Shards?.[0]?.ShardId as string;
    await h.streams.send(
      new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'LATEST' }),
    );
    const shard = async () => (await state()).regions[0].streams[0].shards[0];
    expect(await shard()).toMatchObject({
      iteratorIssuedAt: T0,
      iteratorExpiring: false,
      iteratorExpired: false,
    });
    clock.advance(15 * 60_000 - EXPIRY_WARNING_MS);
    expect(await shard()).toMatchObject({ iteratorExpiring: true, iteratorExpired: false });
    clock.advance(EXPIRY_WARNING_MS);
    expect(await shard()).toMatchObject({ iteratorExpiring: false, iteratorExpired: true });
  });

  it('answers an unknown page, and a redrive without a record, in the caller’s terms; a POST is not taken for an AWS request', async () => {
    const unknown = await send(h.running.endpoint, '/_eddy/nothing');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({
      __type: 'com.amazon.coral.service#UnknownOperationException',
      message: expect.stringContaining('the dashboard is at /_eddy/'),
    });
    const redrive = await send(h.running.endpoint, '/_eddy/api/redrive', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: '/nowhere/dlq.ndjson:1' }),
    });
    expect(redrive.status).toBe(200);
    expect(JSON.parse(redrive.body)).toMatchObject({
      ok: false,
      message: 'no mapping writes on-failure records to /nowhere/dlq.ndjson',
    });
    const malformed = await send(h.running.endpoint, '/_eddy/api/redrive', { method: 'POST', body: '{' });
    expect(malformed.status).toBe(400);
    // DynamoDB's error shape, as every error the emulator answers.
    expect(JSON.parse(malformed.body).__type).toBe('com.amazon.coral.service#ValidationException');
    expect(malformed.headers['x-amzn-requestid']).toBeDefined();
  });

  it('refuses a foreign Origin and a foreign Host (DNS rebinding) as the AWS protocol does', async () => {
    const origin = await send(h.running.endpoint, '/_eddy/api/state', {
      headers: { Origin: 'https://evil.example' },
    });
    expect(origin.status).toBe(403);
    expect(origin.body).toContain('is not allowed');
    const host = await send(h.running.endpoint, '/_eddy/api/state', { headers: { Host: 'evil.example' } });
    expect(host.status).toBe(403);
    expect(host.body).toContain('DNS rebinding');
    const loopbackPage = await send(h.running.endpoint, '/_eddy/api/state', {
      headers: { Origin: 'http://localhost:5173' },
    });
    expect(loopbackPage.status).toBe(200);
  });
});

describe('the dashboard under --require-signature', () => {
  it('answers nothing unsigned, so no browser gets the page or the state', async () => {
    const running = await startEmulator({
      port: 0,
      requireSignature: true,
      credentials: [{ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }],
      pages: dashboardPages(),
    });
    try {
      for (const path of ['/_eddy/', '/_eddy/dashboard.js', '/_eddy/api/state']) {
        const answer = await send(running.endpoint, path);
        expect(answer.status, path).toBe(400);
        expect(answer.body, path).toContain('MissingAuthenticationToken');
      }
    } finally {
      await running.close();
    }
  });

  it('answers 404 where the emulator was started without pages', async () => {
    const running = await startEmulator({ port: 0 });
    try {
      expect((await send(running.endpoint, '/_eddy/')).status).toBe(404);
    } finally {
      await running.close();
    }
  });
});
