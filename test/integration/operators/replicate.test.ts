import {
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { _Record, DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defineStreamHandler } from '../../../src/handler/defineStreamHandler.js';
import { isTombstone } from '../../../src/operators/isTombstone.js';
import { compareStamps, type Stamp } from '../../../src/operators/replication/lastWriterWins.js';
import { replicate, UnstampedWriteError } from '../../../src/operators/replication/replicate.js';
import {
  REPLICATION_ATTRIBUTES,
  stampForReplication,
} from '../../../src/operators/replication/stampForReplication.js';
import { StreamViewTypeError } from '../../../src/operators/StreamViewTypeError.js';
import type { Item } from '../../../src/pipeline/StreamItem.js';
import { toLambdaRecord } from '../../../src/runtime/sources/live/toLambdaRecord.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import {
  byKey,
  createKeyedTable,
  type Redeliveries,
  type Row,
  scanAll,
  seededRandom,
  startRedelivered,
  stopMappings,
  waitForDrain,
  yieldTurns,
} from '../../helpers/operatorRuns.js';
import { streamRecords } from '../../helpers/streamRecords.js';

const SEED = Number(process.env.EDDY_SEED ?? 20260104);
const TTL = { attribute: 'expiresAt', seconds: 7 * 86_400 };
const EAST = 'us-east-1';
const WEST = 'eu-west-1';

interface Region {
  readonly name: string;
  readonly dynamodb: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  streamArn: string;
}

/** One application write, as the oracle needs it. */
interface Write {
  readonly id: string;
  readonly kind: 'put' | 'tombstone' | 'update' | 'delete';
  readonly stamp?: Stamp;
  readonly image?: Item;
}

let h: EmulatorHarness;
let east: Region;
let west: Region;
const writes: Write[] = [];
const recordErrors: unknown[] = [];
let redeliveries: Redeliveries[] = [];

const replicator = (from: Region, to: Region) =>
  defineStreamHandler(
    replicate({
      tableName: 'accounts',
      region: from.name,
      client: from.dynamodb,
      replicas: [{ region: to.name, client: to.dynamodb }],
      tombstoneTtl: TTL,
    }),
    { onRecordError: (error) => recordErrors.push(error) },
  );

/** One replicator per direction, each with injected duplicates and redeliveries. */
const startReplicators = (mappingId: string, seed: number) =>
  (
    [
      [east, west],
      [west, east],
    ] as const
  ).map(([from, to], i) => ({
    region: from,
    ...startRedelivered(h, replicator(from, to), {
      streamArn: from.streamArn,
      streams: from.streams,
      mappingId: `${mappingId}-${from.name}`,
      seed: seed + i,
      config: { BatchSize: 4 },
    }),
  }));

/**
 * A region's application: puts, stamped UpdateItems, tombstones and plain DeleteItems over a few keys, stamped
 * with a clock that is off by `skewMs` (and jitters), so writes from both regions conflict and some local writes
 * carry an older version than the item they replace.
 */
const application = async (region: Region, random: () => number, skewMs: number, operations: number) => {
  for (let i = 0; i < operations; i++) {
    const id = `a-${Math.floor(random() * 8)}`;
    const now = Date.now() + skewMs + Math.floor(random() * 120) - 60;
    const roll = random();
    if (roll < 0.45) {
      const image = stampForReplication(
        { id, balance: Math.floor(random() * 1000), tags: new Set(['x', `t${i % 3}`]) },
        { region: region.name, now },
      );
      await region.dynamodb.send(new PutItemCommand({ TableName: 'accounts', Item: marshall(image) }));
      writes.push({ id, kind: 'put', stamp: stampOfItem(image), image });
    } else if (roll < 0.65) {
      const stamp = stampForReplication({}, { region: region.name, now });
      await region.dynamodb.send(
        new UpdateItemCommand({
          TableName: 'accounts',
          Key: marshall({ id }),
          UpdateExpression: 'SET #b = :b, #o = :o, #v = :v, #w = :w REMOVE #d, #ttl',
          ExpressionAttributeNames: {
            '#b': 'balance',
            '#o': REPLICATION_ATTRIBUTES.origin,
            '#v': REPLICATION_ATTRIBUTES.version,
            '#w': REPLICATION_ATTRIBUTES.writeId,
            '#d': 'eddy_deleted',
            '#ttl': TTL.attribute,
          },
          ExpressionAttributeValues: marshall({
            ':b': Math.floor(random() * 1000),
            ':o': stamp.eddy_origin,
            ':v': stamp.eddy_version,
            ':w': stamp.eddy_write_id,
          }),
        }),
      );
      writes.push({ id, kind: 'update' });
    } else if (roll < 0.8) {
      const image = stampForReplication(
        { id },
        { region: region.name, now, deleted: true, tombstoneTtl: TTL },
      );
      await region.dynamodb.send(new PutItemCommand({ TableName: 'accounts', Item: marshall(image) }));
      writes.push({ id, kind: 'tombstone', stamp: stampOfItem(image), image });
    } else {
      await region.dynamodb.send(new DeleteItemCommand({ TableName: 'accounts', Key: marshall({ id }) }));
      writes.push({ id, kind: 'delete' });
    }
    if (random() < 0.3) await yieldTurns(Math.floor(random() * 8));
  }
};

const stampOfItem = (item: Item): Stamp => ({
  version: item.eddy_version as number,
  origin: item.eddy_origin as string,
  writeId: item.eddy_write_id as string,
});

const table = async (region: Region) => byKey(await scanAll(region.dynamodb, 'accounts'), 'id');

/**
 * Drains both replicators until a round in which neither stream grew: every write, replicated write, tombstone
 * and repair has been handled, and nothing new was written in answer (no loop).
 */
const settle = async (runs: ReturnType<typeof startReplicators>) => {
  let sizes = '';
  for (let round = 0; round < 20; round++) {
    // Drained means every record up to each stream's end is checkpointed, its handler (and its duplicates)
    // done: a round in which neither stream grew leaves nothing in flight.
    for (const { region, run } of runs) await waitForDrain(region.streams, region.streamArn, run);
    const now = JSON.stringify(
      await Promise.all([east, west].map(async (r) => (await streamRecords(r.streams, r.streamArn)).length)),
    );
    if (now === sizes) return;
    sizes = now;
  }
  throw new Error('the replicators never settled: they keep writing (a loop?)');
};

let settled: { east: Record<string, Row>; west: Record<string, Row> };

beforeAll(async () => {
  h = await startHarness();
  const eastClients = { dynamodb: h.dynamodb, streams: h.streams };
  const westClients = h.clientsFor(WEST);
  east = { name: EAST, ...eastClients, streamArn: '' };
  west = { name: WEST, ...westClients, streamArn: '' };
  for (const region of [east, west]) {
    region.streamArn = (await createKeyedTable(
      region.dynamodb,
      'accounts',
      'id',
      'NEW_AND_OLD_IMAGES',
    )) as string;
  }
  const runs = startReplicators('replicator', SEED);
  // Both regions write at once while the replicators run; west's clock is 25 ms ahead of east's.
  await Promise.all([
    application(east, seededRandom(SEED + 10), 0, 120),
    application(west, seededRandom(SEED + 11), 25, 120),
  ]);
  await settle(runs);
  redeliveries = runs.map((r) => r.counts);
  settled = { east: await table(east), west: await table(west) };
}, 90_000);
afterEach(() => stopMappings());
afterAll(() => h.close());

describe('replicate: active-active, last writer wins', () => {
  it(`leaves both regions with identical items after concurrent conflicting writes (seed ${SEED})`, () => {
    for (const counts of redeliveries) {
      expect(counts.concurrentDuplicates + counts.sequentialDuplicates).toBeGreaterThan(0);
      expect(counts.reportedFailures + counts.crashes).toBeGreaterThan(0);
    }
    expect(recordErrors).toEqual([]);
    // Identical, tombstones included (a tombstone is a version like any other); readers see the same live items.
    expect(settled.west).toEqual(settled.east);
    const live = (rows: Record<string, Row>) => Object.values(rows).filter((row) => !isTombstone(row));
    expect(live(settled.west)).toEqual(live(settled.east));
    expect(writes.filter((w) => w.kind === 'tombstone' || w.kind === 'delete').length).toBeGreaterThan(0);
  });

  it('keeps, for each item, the write with the highest version, then origin region, then write id', () => {
    // Items written only with whole-item puts and tombstones: the winner is known without the replicator.
    let checked = 0;
    for (const id of new Set(writes.map((w) => w.id))) {
      const own = writes.filter((w) => w.id === id);
      if (own.some((w) => w.kind === 'update' || w.kind === 'delete')) continue;
      const winner = own.reduce((a, b) => (compareStamps(a.stamp as Stamp, b.stamp as Stamp) >= 0 ? a : b));
      expect(settled.east[id], id).toEqual(winner.image);
      checked += 1;
    }
    // Every item ends stamped with at least its highest application stamp.
    for (const [id, row] of Object.entries(settled.east)) {
      const stamps = writes.filter((w) => w.id === id && w.stamp !== undefined).map((w) => w.stamp as Stamp);
      const highest = stamps.reduce<Stamp | undefined>(
        (a, b) => (a === undefined || compareStamps(b, a) > 0 ? b : a),
        undefined,
      );
      if (highest !== undefined)
        expect(compareStamps(stampOfItem(row), highest), id).toBeGreaterThanOrEqual(0);
    }
    expect(checked + Object.keys(settled.east).length).toBeGreaterThan(0);
  });

  it('replaying both streams from TRIM_HORIZON with fresh checkpoints writes nothing', async () => {
    const sizes = await Promise.all(
      [east, west].map(async (r) => (await streamRecords(r.streams, r.streamArn)).length),
    );
    const runs = startReplicators('replay', SEED + 20);
    await settle(runs);
    expect(await table(east)).toEqual(settled.east);
    expect(await table(west)).toEqual(settled.west);
    // Every write was refused by its condition: no stream grew.
    expect(
      await Promise.all([east, west].map(async (r) => (await streamRecords(r.streams, r.streamArn)).length)),
    ).toEqual(sizes);
  });

  it('turns a DeleteItem into a tombstone that beats the deleted version, in both regions', async () => {
    const runs = startReplicators('delete', SEED + 30);
    const image = stampForReplication({ id: 'd-1', balance: 5 }, { region: EAST, now: Date.now() });
    await east.dynamodb.send(new PutItemCommand({ TableName: 'accounts', Item: marshall(image) }));
    await settle(runs);
    await west.dynamodb.send(new DeleteItemCommand({ TableName: 'accounts', Key: marshall({ id: 'd-1' }) }));
    await settle(runs);
    const [inEast, inWest] = [(await table(east))['d-1'], (await table(west))['d-1']];
    expect(inEast).toEqual(inWest);
    expect(isTombstone(inEast)).toBe(true);
    expect(inEast?.eddy_origin).toBe(WEST);
    expect(inEast?.eddy_version).toBeGreaterThan(image.eddy_version);
    expect(inEast?.expiresAt).toBe(Math.floor((inEast?.eddy_version as number) / 1000) + TTL.seconds);
    // The deleted version, written again without a condition (an old copy restored), does not bring the item
    // back: it lost to the tombstone, so west's replicator puts the tombstone back.
    await west.dynamodb.send(new PutItemCommand({ TableName: 'accounts', Item: marshall(image) }));
    await settle(runs);
    expect(isTombstone((await table(west))['d-1'])).toBe(true);
    expect(isTombstone((await table(east))['d-1'])).toBe(true);
  });
});

describe('replicate refuses what it cannot order', () => {
  it('fails a write without a stamp with an UnstampedWriteError', async () => {
    const errors: unknown[] = [];
    await east.dynamodb.send(
      new PutItemCommand({ TableName: 'accounts', Item: marshall({ id: 'plain', balance: 1 }) }),
    );
    const record = (await streamRecords(east.streams, east.streamArn)).find(
      (r: _Record) => r.dynamodb?.Keys?.id?.S === 'plain',
    ) as _Record;
    const handler = defineStreamHandler(
      replicate({ tableName: 'accounts', region: EAST, client: east.dynamodb, replicas: [] }),
      { onRecordError: (error) => errors.push(error) },
    );
    const response = await handler({ Records: [toLambdaRecord(record, east.streamArn)] });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.dynamodb?.SequenceNumber }]);
    expect(errors[0]).toBeInstanceOf(UnstampedWriteError);
    expect((errors[0] as Error).message).toMatch(
      /write every item of a replicated table with stampForReplication/,
    );
  });

  it('fails the first record of a stream without old images, naming the StreamViewType', async () => {
    const arn = (await createKeyedTable(east.dynamodb, 'new-images', 'id', 'NEW_IMAGE')) as string;
    const image = stampForReplication({ id: 'n-1' }, { region: EAST });
    await east.dynamodb.send(new PutItemCommand({ TableName: 'new-images', Item: marshall(image) }));
    const [record] = await streamRecords(east.streams, arn);
    const errors: unknown[] = [];
    const handler = defineStreamHandler(
      replicate({ tableName: 'new-images', region: EAST, client: east.dynamodb, replicas: [] }),
      { onRecordError: (error) => errors.push(error) },
    );
    const response = await handler({ Records: [toLambdaRecord(record as _Record, arn)] });
    expect(response.batchItemFailures).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(StreamViewTypeError);
    expect((errors[0] as Error).message).toMatch(
      /replicate needs a stream with StreamViewType NEW_AND_OLD_IMAGES, and this record's stream has NEW_IMAGE/,
    );
  });
});
