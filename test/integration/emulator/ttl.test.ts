import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateTimeToLiveCommand,
  type UpdateTimeToLiveCommandInput,
} from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/time/clock.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';

const SECOND = 1000;
const HOUR = 60 * 60 * SECOND;
const YEAR = 365 * 24 * HOUR;
const TTL_IDENTITY = { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' };

let h: EmulatorHarness;
let clock: ManualClock;
afterEach(() => h.close());

/** Expects an AWS error with this name and exact message. */
const fails = async (promise: Promise<unknown>, name: string, message: string) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${name}: ${message}`).toMatchObject({ name, message });
};

const start = async (options: { tableStatusDelayMs?: number; ttlSweepIntervalMs?: number } = {}) => {
  clock = new ManualClock();
  h = await startHarness({ clock, ...options });
};

const createTable = (name: string) =>
  h.dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );

const updateTtl = (input: Record<string, unknown>) =>
  h.dynamodb.send(new UpdateTimeToLiveCommand(input as unknown as UpdateTimeToLiveCommandInput));
const describeTtl = async (name: string) =>
  (await h.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: name }))).TimeToLiveDescription;

/** Epoch seconds `ms` from the emulator's now. */
const secondsFromNow = (ms: number) => String(Math.floor((clock.now() + ms) / SECOND));

const put = (table: string, pk: string, expiresAt?: { N: string } | { S: string }) =>
  h.dynamodb.send(
    new PutItemCommand({
      TableName: table,
      Item: { pk: { S: pk }, ...(expiresAt === undefined ? {} : { expiresAt }) },
    }),
  );
const exists = async (table: string, pk: string) =>
  (await h.dynamodb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk } } }))).Item !==
  undefined;

/** Lets the TTL scheduler, woken by the manual clock, run its sweep. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Every record of the table's stream so far. */
const records = async (table: string): Promise<_Record[]> => {
  const { Table } = await h.dynamodb.send(new DescribeTableCommand({ TableName: table }));
  const streamArn = Table?.LatestStreamArn as string;
  const { StreamDescription } = await h.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const all: _Record[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    const { ShardIterator } = await h.streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shard.ShardId as string,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const { Records = [] } = await h.streams.send(new GetRecordsCommand({ ShardIterator }));
    all.push(...Records);
  }
  return all;
};

describe('UpdateTimeToLive and DescribeTimeToLive', () => {
  it('enables and disables TTL, echoing the request, and refuses changes that change nothing', async () => {
    await start();
    await createTable('ttl');
    expect(await describeTtl('ttl')).toEqual({ TimeToLiveStatus: 'DISABLED' });
    await fails(
      updateTtl({
        TableName: 'ttl',
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: false },
      }),
      'ValidationException',
      'TimeToLive is already disabled',
    );
    const enabled = await updateTtl({
      TableName: 'ttl',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    expect(enabled.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(await describeTtl('ttl')).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    await fails(
      updateTtl({ TableName: 'ttl', TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } }),
      'ValidationException',
      'TimeToLive is already enabled',
    );
    for (const Enabled of [true, false]) {
      await fails(
        updateTtl({ TableName: 'ttl', TimeToLiveSpecification: { AttributeName: 'other', Enabled } }),
        'ValidationException',
        'TimeToLive is active on a different AttributeName: current AttributeName is expiresAt',
      );
    }
    clock.advance(HOUR);
    const disabled = await updateTtl({
      TableName: 'ttl',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: false },
    });
    expect(disabled.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: false });
    // A disabled TTL reads exactly like one never enabled: the attribute is forgotten.
    expect(await describeTtl('ttl')).toEqual({ TimeToLiveStatus: 'DISABLED' });
  });

  it.each([
    [
      'no specification',
      { TableName: 'ttl' },
      "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null",
    ],
    [
      'an empty specification',
      { TableName: 'ttl', TimeToLiveSpecification: {} },
      "2 validation errors detected: Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must not be null",
    ],
    [
      'an empty attribute name and a bad table name',
      { TableName: 'a;', TimeToLiveSpecification: { AttributeName: '', Enabled: true } },
      "3 validation errors detected: Value 'a;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
        "Value 'a;' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3; " +
        "Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ],
    [
      'an attribute name over 255 characters',
      { TableName: 'ttl', TimeToLiveSpecification: { AttributeName: 'a'.repeat(256), Enabled: true } },
      `1 validation error detected: Value '${'a'.repeat(256)}' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length less than or equal to 255`,
    ],
  ])('refuses %s', async (_what, input, message) => {
    await start();
    await fails(updateTtl(input), 'ValidationException', message);
  });

  // "Any additional UpdateTimeToLive calls for the same table during this one hour duration result in a
  // ValidationException" (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html).
  // The API reference gives no wording; AWS answers "Time to live has been modified multiple times within a fixed
  // interval". No-op changes are still answered as such during the hour.
  it('refuses a second change within the hour after a change, and accepts it after (wording undocumented by AWS)', async () => {
    await start();
    await createTable('cool');
    const spec = (Enabled: boolean) => ({
      TableName: 'cool',
      TimeToLiveSpecification: { AttributeName: 'exp', Enabled },
    });
    await updateTtl(spec(true));
    await fails(updateTtl(spec(true)), 'ValidationException', 'TimeToLive is already enabled');
    clock.advance(HOUR - 1);
    await fails(
      updateTtl(spec(false)),
      'ValidationException',
      'Time to live has been modified multiple times within a fixed interval',
    );
    expect(await describeTtl('cool')).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'exp' });
    clock.advance(1);
    await updateTtl(spec(false));
    await fails(updateTtl(spec(false)), 'ValidationException', 'TimeToLive is already disabled');
    await fails(
      updateTtl(spec(true)),
      'ValidationException',
      'Time to live has been modified multiple times within a fixed interval',
    );
    clock.advance(HOUR);
    await updateTtl(spec(true));
    expect(await describeTtl('cool')).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'exp' });
  });

  it('names a missing table', async () => {
    await start();
    const spec = { AttributeName: 'expiresAt', Enabled: true };
    await fails(
      updateTtl({ TableName: 'missing', TimeToLiveSpecification: spec }),
      'ResourceNotFoundException',
      'Requested resource not found: Table: missing not found',
    );
    await fails(
      h.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: 'missing' })),
      'ResourceNotFoundException',
      'Requested resource not found: Table: missing not found',
    );
  });

  it('refuses TTL calls while the table is being created', async () => {
    await start({ tableStatusDelayMs: 5 * SECOND });
    await createTable('young');
    await fails(
      h.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: 'young' })),
      'ValidationException',
      'Cannot describe time to live while table is in CREATING state: Current table state is CREATING',
    );
    await fails(
      updateTtl({
        TableName: 'young',
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
      'ResourceInUseException',
      'Attempt to change a resource which is still in use: Table young is being created',
    );
    clock.advance(5 * SECOND);
    expect(await describeTtl('young')).toEqual({ TimeToLiveStatus: 'DISABLED' });
  });
});

describe('TTL sweeper', () => {
  it('deletes expired items as system deletes once the sweep interval passes', async () => {
    await start();
    await createTable('sessions');
    await put('sessions', 'before-ttl', { N: secondsFromNow(-60 * SECOND) });
    await updateTtl({
      TableName: 'sessions',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    await put('sessions', 'soon', { N: secondsFromNow(10 * SECOND) });
    await put('sessions', 'later', { N: secondsFromNow(3600 * SECOND) });
    await put('sessions', 'fraction', { N: `${secondsFromNow(5 * SECOND)}.5` });
    await put('sessions', 'ancient', { N: secondsFromNow(-6 * YEAR) });
    await put('sessions', 'text', { S: secondsFromNow(-60 * SECOND) });
    await put('sessions', 'forever');
    await put('sessions', 'deleted-by-user', { N: secondsFromNow(-60 * SECOND) });
    await h.dynamodb.send(
      new DeleteItemCommand({ TableName: 'sessions', Key: { pk: { S: 'deleted-by-user' } } }),
    );

    // Expired but not yet swept: still readable, as on AWS.
    expect(await exists('sessions', 'before-ttl')).toBe(true);
    clock.advance(SECOND);
    await settle();
    expect(await exists('sessions', 'before-ttl')).toBe(false);
    expect(await exists('sessions', 'soon')).toBe(true);

    clock.advance(10 * SECOND);
    await settle();
    for (const [pk, kept] of [
      ['soon', false],
      ['fraction', false],
      ['later', true],
      ['ancient', true],
      ['text', true],
      ['forever', true],
    ] as const) {
      expect(await exists('sessions', pk), pk).toBe(kept);
    }

    const removes = (await records('sessions')).filter((r) => r.eventName === 'REMOVE');
    expect(removes.map((r) => r.dynamodb?.Keys?.pk?.S)).toEqual([
      'deleted-by-user',
      'before-ttl',
      'fraction',
      'soon',
    ]);
    const soon = removes.find((r) => r.dynamodb?.Keys?.pk?.S === 'soon');
    expect(soon?.dynamodb?.OldImage).toEqual({ pk: { S: 'soon' }, expiresAt: { N: expect.any(String) } });
    expect(soon?.dynamodb?.NewImage).toBeUndefined();
  });

  it('tags TTL deletes in the stream with the service identity, and user deletes not at all', async () => {
    await start();
    await createTable('tagged');
    await updateTtl({
      TableName: 'tagged',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    await put('tagged', 'by-ttl', { N: secondsFromNow(-SECOND) });
    await put('tagged', 'by-user', { N: secondsFromNow(3600 * SECOND) });
    await h.dynamodb.send(new DeleteItemCommand({ TableName: 'tagged', Key: { pk: { S: 'by-user' } } }));
    clock.advance(SECOND);
    await settle();
    const removes = (await records('tagged')).filter((r) => r.eventName === 'REMOVE');
    // GetRecords' Identity shape (the SDK's `PrincipalId`/`Type`); Lambda events spell it principalId/type.
    expect(removes.map((r) => [r.dynamodb?.Keys?.pk?.S, r.userIdentity])).toEqual([
      ['by-user', undefined],
      ['by-ttl', TTL_IDENTITY],
    ]);
  });

  it('follows writes: a TTL moved forward, removed or added is what counts', async () => {
    await start();
    await createTable('moving');
    await updateTtl({
      TableName: 'moving',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    await put('moving', 'extended', { N: secondsFromNow(5 * SECOND) });
    await put('moving', 'cleared', { N: secondsFromNow(5 * SECOND) });
    await put('moving', 'added');
    await put('moving', 'extended', { N: secondsFromNow(60 * SECOND) });
    await put('moving', 'cleared');
    await put('moving', 'added', { N: secondsFromNow(5 * SECOND) });
    clock.advance(10 * SECOND);
    await settle();
    expect(await exists('moving', 'extended')).toBe(true);
    expect(await exists('moving', 'cleared')).toBe(true);
    expect(await exists('moving', 'added')).toBe(false);
    clock.advance(60 * SECOND);
    await settle();
    expect(await exists('moving', 'extended')).toBe(false);
  });

  it('sweeps on demand with emulator.sweepTtl(), and stops when TTL is disabled', async () => {
    await start({ ttlSweepIntervalMs: 3600 * SECOND });
    await createTable('manual');
    await updateTtl({
      TableName: 'manual',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    await put('manual', 'a', { N: secondsFromNow(-SECOND) });
    await put('manual', 'b', { N: secondsFromNow(-SECOND) });
    expect(h.running.emulator.sweepTtl()).toBe(2);
    expect(h.running.emulator.sweepTtl()).toBe(0);
    // TTL can be changed again an hour after the last change (see "refuses a second change within the hour").
    clock.advance(HOUR);
    await settle();
    await put('manual', 'c', { N: secondsFromNow(-SECOND) });
    await updateTtl({
      TableName: 'manual',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: false },
    });
    clock.advance(7200 * SECOND);
    await settle();
    expect(h.running.emulator.sweepTtl()).toBe(0);
    expect(await exists('manual', 'c')).toBe(true);
  });
});
