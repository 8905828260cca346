import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { JournalDamageError } from '../../../local-runtime/emulator/persistence/DataDir.js';
import { encodeLine } from '../../../local-runtime/emulator/persistence/journalLine.js';
import {
  type RunningEmulator,
  type StartEmulatorOptions,
  startEmulator,
} from '../../../local-runtime/emulator/startEmulator.js';
import { ManualClock } from '../../../src/time/clock.js';
import {
  FIXTURE_END,
  FIXTURE_REGIONS,
  FIXTURE_START,
  runFixtureSession,
} from '../../fixtures/journal-v1/session.js';
import { createTable } from '../../helpers/createTable.js';
import { startHarness } from '../../helpers/emulatorHarness.js';
import { readEmulatorState } from '../../helpers/emulatorState.js';

const FIXTURE = join(import.meta.dirname, '../../fixtures/journal-v1');
const expected = () => JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8')) as unknown;
/** expected.json without the stream records' eventIDs, which are random when the session runs again. */
const expectedWithoutEventIds = () =>
  JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8'), (key, value) =>
    key === 'record' ? (({ eventID: _, ...rest }) => rest)(value) : value,
  ) as unknown;

const folders: string[] = [];
const running: RunningEmulator[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});
const folder = () => {
  const f = mkdtempSync(join(tmpdir(), 'eddy-persistence-'));
  folders.push(f);
  return f;
};
const start = async (options: StartEmulatorOptions): Promise<RunningEmulator> => {
  const r = await startEmulator({ port: 0, ...options });
  running.push(r);
  return r;
};
const stateOf = (r: RunningEmulator) => readEmulatorState(r.emulator, FIXTURE_REGIONS);
const journalOf = (dir: string) => readFileSync(join(dir, 'journal.ndjson'), 'utf8');
const put = (r: RunningEmulator, id: string, region = 'us-east-1') =>
  r.emulator.dispatch('DynamoDB_20120810.PutItem', { TableName: 'Items', Item: { id: { S: id } } }, region);
const ids = (r: RunningEmulator) =>
  (
    r.emulator.dispatch('DynamoDB_20120810.Scan', { TableName: 'Items' }, 'us-east-1') as {
      Items: { id: { S: string } }[];
    }
  ).Items.map((i) => i.id.S).sort();
const withTable = async (dir: string, count: number, options: StartEmulatorOptions = {}) => {
  const r = await start({ dataDir: dir, ...options });
  r.emulator.dispatch(
    'DynamoDB_20120810.CreateTable',
    {
      TableName: 'Items',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    },
    'us-east-1',
  );
  for (let i = 0; i < count; i++) put(r, `item-${i}`);
  return r;
};
const recordsFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => /^records-\d+\.texts$/.test(f))
    .sort();
const sizeOfSnapshot = (dir: string) =>
  [SNAPSHOT, ...recordsFiles(dir)].reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
const SNAPSHOT = 'snapshot.ndjson';
const records = (r: RunningEmulator) => {
  const streams = r.emulator.dispatch('DynamoDBStreams_20120810.ListStreams', {}, 'us-east-1') as {
    Streams: { StreamArn: string }[];
  };
  const arn = streams.Streams[0]?.StreamArn as string;
  const { StreamDescription } = r.emulator.dispatch(
    'DynamoDBStreams_20120810.DescribeStream',
    { StreamArn: arn },
    'us-east-1',
  ) as { StreamDescription: { Shards: { ShardId: string }[] } };
  const out: unknown[] = [];
  for (const { ShardId } of StreamDescription.Shards) {
    let { ShardIterator } = r.emulator.dispatch(
      'DynamoDBStreams_20120810.GetShardIterator',
      { StreamArn: arn, ShardId, ShardIteratorType: 'TRIM_HORIZON' },
      'us-east-1',
    ) as { ShardIterator?: string };
    for (let page = 0; ShardIterator !== undefined && page < 1000; page++) {
      const result = r.emulator.dispatch(
        'DynamoDBStreams_20120810.GetRecords',
        { ShardIterator },
        'us-east-1',
      ) as { Records: unknown[]; NextShardIterator?: string };
      if (result.Records.length === 0) break;
      out.push(...result.Records);
      ShardIterator = result.NextShardIterator;
    }
  }
  return out;
};
/** Starts a second emulator on a data dir another one still has open: what a restart after kill -9 reads. */
const restartAfterKill = (dir: string, options: StartEmulatorOptions = {}) =>
  start({ dataDir: dir, ...options });

describe('startEmulator({ dataDir }): the data dir (journal format 2: effects)', () => {
  it('rebuilds after a kill exactly the state a session of every kind of write left (journal replay)', async () => {
    const dir = folder();
    const clock = new ManualClock(FIXTURE_START);
    const live = await start({ dataDir: dir, clock });
    runFixtureSession(live.emulator, clock);
    clock.advance(FIXTURE_END - clock.now());
    const before = stateOf(live);
    // The same session the v1 fixture recorded, so the state is also what the previous version built.
    expect(readEmulatorState(live.emulator, FIXTURE_REGIONS, { withoutEventIds: true })).toEqual(
      expectedWithoutEventIds(),
    );
    const restarted = await restartAfterKill(dir, { clock: new ManualClock(FIXTURE_END) });
    expect(stateOf(restarted)).toEqual(before);
  });

  it('rebuilds the same state from a snapshot after close (compaction on close)', async () => {
    const dir = folder();
    const clock = new ManualClock(FIXTURE_START);
    const live = await startEmulator({ port: 0, dataDir: dir, clock });
    runFixtureSession(live.emulator, clock);
    await live.close();
    expect(journalOf(dir).split('\n').filter(Boolean)).toHaveLength(1);
    const restarted = await start({ dataDir: dir, clock: new ManualClock(FIXTURE_END) });
    expect(readEmulatorState(restarted.emulator, FIXTURE_REGIONS, { withoutEventIds: true })).toEqual(
      expectedWithoutEventIds(),
    );
  });

  it('compacts in the background once the journal passes the threshold, and restarts from snapshot + tail', async () => {
    const dir = folder();
    const live = await withTable(dir, 50, { compactAfterBytes: 4096 });
    await live.compact();
    // The snapshot and the records file beside it (RecordFiles.ts) hold what the journal held.
    expect(sizeOfSnapshot(dir)).toBeGreaterThan(4096);
    for (let i = 50; i < 60; i++) put(live, `item-${i}`);
    const journalLines = journalOf(dir).split('\n').filter(Boolean).length;
    expect(journalLines).toBeLessThan(20);
    const restarted = await restartAfterKill(dir);
    expect(ids(restarted)).toEqual(ids(live));
    expect(readEmulatorState(restarted.emulator, ['us-east-1'])).toEqual(
      readEmulatorState(live.emulator, ['us-east-1']),
    );
  });

  it('restarts after a kill that cut a compaction off (journal rotated, snapshot not yet in place), twice', async () => {
    const dir = folder();
    const live = await withTable(dir, 5);
    const rotated = journalOf(dir);
    for (let i = 5; i < 8; i++) put(live, `item-${i}`);
    const lines = journalOf(dir).split('\n').filter(Boolean);
    const header = encodeLine(JSON.stringify({ format: 'eddy-journal', version: 2, generation: 2 }));
    // What a kill leaves mid-compaction: the rotated journal (generation 1) and the new one (generation 2).
    writeFileSync(join(dir, 'journal.previous.ndjson'), rotated);
    writeFileSync(join(dir, 'journal.ndjson'), `${header}${lines.slice(-3).join('\n')}\n`);
    const restarted = await restartAfterKill(dir);
    expect(ids(restarted)).toEqual(ids(live));
    expect(existsSync(join(dir, 'journal.previous.ndjson'))).toBe(false);
    put(restarted, 'item-8');
    const again = await restartAfterKill(dir);
    expect(ids(again)).toEqual([...ids(live), 'item-8'].sort());
  });

  it('migrates a format 1 journal (requests) once: the state the previous version rebuilt, a backup, one log line', async () => {
    const dir = folder();
    cpSync(join(FIXTURE, 'data'), dir, { recursive: true });
    const logs: string[] = [];
    const migrated = await startEmulator({
      port: 0,
      dataDir: dir,
      clock: new ManualClock(FIXTURE_END),
      log: (l) => logs.push(l),
    });
    expect(stateOf(migrated)).toEqual(expected());
    expect(logs).toEqual([
      expect.stringMatching(/migrated .*format 1: 123 requests.*journal\.v1\.ndjson\.bak/),
    ]);
    expect(readFileSync(join(dir, 'journal.v1.ndjson.bak'), 'utf8')).toBe(
      readFileSync(join(FIXTURE, 'data/journal.ndjson'), 'utf8'),
    );
    expect(existsSync(join(dir, 'snapshot.ndjson'))).toBe(true);
    // Killed right after: the snapshot written at migration holds everything.
    const again = await restartAfterKill(dir, {
      clock: new ManualClock(FIXTURE_END),
      log: (l) => logs.push(l),
    });
    expect(stateOf(again)).toEqual(expected());
    expect(logs).toHaveLength(1);
    await migrated.close();
  });

  it('restarts on a format 2 data dir an earlier Eddy left (snapshot without item sizes, journal tail) to the state it rebuilt', async () => {
    const fixture = join(import.meta.dirname, '../../fixtures/data-dir-v2');
    const dir = folder();
    cpSync(join(fixture, 'data'), dir, { recursive: true });
    const restarted = await startEmulator({ port: 0, dataDir: dir, clock: new ManualClock(FIXTURE_END) });
    running.push(restarted);
    const before = JSON.parse(readFileSync(join(fixture, 'expected.json'), 'utf8')) as unknown;
    expect(stateOf(restarted)).toEqual(before);
    // Written again in today's format (compaction on close), it restarts to the same state.
    await restarted.close();
    running.splice(running.indexOf(restarted), 1);
    const again = await start({ dataDir: dir, clock: new ManualClock(FIXTURE_END) });
    expect(stateOf(again)).toEqual(before);
  });

  it('journals no read: GetItem, Scan, Query, PartiQL SELECT and GetRecords leave the journal as it was', async () => {
    const dir = folder();
    const r = await withTable(dir, 3);
    const before = journalOf(dir);
    const call = (target: string, input: Record<string, unknown>) =>
      r.emulator.dispatch(target, input, 'us-east-1');
    call('DynamoDB_20120810.GetItem', { TableName: 'Items', Key: { id: { S: 'item-1' } } });
    call('DynamoDB_20120810.Scan', { TableName: 'Items' });
    call('DynamoDB_20120810.Query', {
      TableName: 'Items',
      KeyConditionExpression: 'id = :v',
      ExpressionAttributeValues: { ':v': { S: 'item-1' } },
    });
    call('DynamoDB_20120810.ExecuteStatement', { Statement: `SELECT * FROM "Items" WHERE id = 'item-1'` });
    call('DynamoDB_20120810.DescribeTable', { TableName: 'Items' });
    const { Table } = call('DynamoDB_20120810.DescribeTable', { TableName: 'Items' }) as {
      Table: { LatestStreamArn: string };
    };
    const { StreamDescription } = call('DynamoDBStreams_20120810.DescribeStream', {
      StreamArn: Table.LatestStreamArn,
    }) as { StreamDescription: { Shards: { ShardId: string }[] } };
    const { ShardIterator } = call('DynamoDBStreams_20120810.GetShardIterator', {
      StreamArn: Table.LatestStreamArn,
      ShardId: StreamDescription.Shards[0]?.ShardId,
      ShardIteratorType: 'TRIM_HORIZON',
    }) as { ShardIterator: string };
    expect(call('DynamoDBStreams_20120810.GetRecords', { ShardIterator })).toMatchObject({
      Records: { length: 3 },
    });
    // A write that changes nothing and a failed condition are not effects either.
    put(r, 'item-1');
    expect(() =>
      r.emulator.dispatch(
        'DynamoDB_20120810.PutItem',
        {
          TableName: 'Items',
          Item: { id: { S: 'item-1' } },
          ConditionExpression: 'attribute_not_exists(id)',
        },
        'us-east-1',
      ),
    ).toThrow();
    expect(journalOf(dir)).toBe(before);
  });

  it('refuses to start on a damaged middle line, with the file, byte offset and what to do', async () => {
    const dir = folder();
    await withTable(dir, 5);
    const journal = join(dir, 'journal.ndjson');
    const text = journalOf(dir);
    const lines = text.split('\n');
    const offset = Buffer.byteLength(`${lines.slice(0, 4).join('\n')}\n`);
    // One byte changed inside an item: the line still parses, the checksum does not match.
    writeFileSync(journal, text.replace('item-2', 'item-X'));
    await expect(startEmulator({ port: 0, dataDir: dir })).rejects.toThrow(JournalDamageError);
    await expect(startEmulator({ port: 0, dataDir: dir })).rejects.toThrow(
      new RegExp(
        `journal\\.ndjson is damaged at byte offset ${offset} \\(line 5: checksum mismatch\\).*--repair-journal`,
      ),
    );
    expect(journalOf(dir)).toBe(text.replace('item-2', 'item-X'));
  });

  it('drops a torn last line (a crash mid-write) with a log line, and keeps every line before it', async () => {
    const dir = folder();
    const live = await withTable(dir, 4);
    const text = journalOf(dir);
    writeFileSync(join(dir, 'journal.ndjson'), text.slice(0, text.length - 30));
    const logs: string[] = [];
    const restarted = await restartAfterKill(dir, { log: (l) => logs.push(l) });
    expect(ids(restarted)).toEqual(['item-0', 'item-1', 'item-2']);
    expect(logs).toEqual([expect.stringContaining('dropped a torn last line')]);
    expect(ids(live)).toHaveLength(4);
  });

  it('repairs on request: keeps the state before the damage, moves the rest aside, and starts', async () => {
    const dir = folder();
    await withTable(dir, 5);
    writeFileSync(join(dir, 'journal.ndjson'), journalOf(dir).replace('item-2', 'item-X'));
    const logs: string[] = [];
    const repaired = await restartAfterKill(dir, { repairJournal: true, log: (l) => logs.push(l) });
    expect(ids(repaired)).toEqual(['item-0', 'item-1']);
    const aside = readdirSync(dir).find((f) => f.includes('.damaged')) as string;
    expect(logs.join('\n')).toContain(aside);
    put(repaired, 'after-repair');
    const again = await restartAfterKill(dir);
    expect(ids(again)).toEqual(['after-repair', 'item-0', 'item-1']);
  });

  it('keeps the stream records of a snapshot in a records file, read when GetRecords reaches them', async () => {
    const dir = folder();
    const live = await withTable(dir, 30);
    await live.close();
    running.splice(running.indexOf(live), 1);
    expect(recordsFiles(dir)).toHaveLength(1);
    // No record text is in the snapshot itself: each `recsAt` line names a chunk of the records file.
    expect(readFileSync(join(dir, SNAPSHOT), 'utf8')).not.toContain('"eventID"');
    expect(readFileSync(join(dir, recordsFiles(dir)[0] as string), 'utf8').split('"eventID"')).toHaveLength(
      31,
    );
    const restarted = await start({ dataDir: dir });
    const read = records(restarted);
    expect(read).toHaveLength(30);
    expect(read.map((r) => (r as { dynamodb: { Keys: { id: { S: string } } } }).dynamodb.Keys.id.S)).toEqual(
      Array.from({ length: 30 }, (_, i) => `item-${i}`),
    );
  });

  it("restores a snapshot's items as text and parses each when a read or a write reaches it", async () => {
    const dir = folder();
    const live = await withTable(dir, 5);
    live.emulator.dispatch(
      'DynamoDB_20120810.PutItem',
      { TableName: 'Items', Item: { id: { S: 'item-2' }, n: { N: '7' }, tags: { SS: ['a', 'b'] } } },
      'us-east-1',
    );
    await live.close();
    running.splice(running.indexOf(live), 1);
    // Each item's key in the line, its text an attachment (`putsText`), so a restart parses keys only.
    expect(readFileSync(join(dir, SNAPSHOT), 'utf8')).toContain('"putsText"');
    const restarted = await start({ dataDir: dir });
    const get = (id: string) =>
      restarted.emulator.dispatch(
        'DynamoDB_20120810.GetItem',
        { TableName: 'Items', Key: { id: { S: id } } },
        'us-east-1',
      );
    expect(get('item-2')).toEqual({ Item: { id: { S: 'item-2' }, n: { N: '7' }, tags: { SS: ['a', 'b'] } } });
    const updated = restarted.emulator.dispatch(
      'DynamoDB_20120810.UpdateItem',
      {
        TableName: 'Items',
        Key: { id: { S: 'item-2' } },
        UpdateExpression: 'ADD n :one',
        ExpressionAttributeValues: { ':one': { N: '1' } },
        ReturnValues: 'ALL_OLD',
      },
      'us-east-1',
    );
    expect(updated).toEqual({ Attributes: { id: { S: 'item-2' }, n: { N: '7' }, tags: { SS: ['a', 'b'] } } });
    expect(get('item-2')).toEqual({ Item: { id: { S: 'item-2' }, n: { N: '8' }, tags: { SS: ['a', 'b'] } } });
    // The stream record's old image is the restored item, parsed from its text.
    const last = records(restarted).at(-1) as { eventName: string; dynamodb: { OldImage: unknown } };
    expect(last.eventName).toBe('MODIFY');
    expect(last.dynamodb.OldImage).toEqual({ id: { S: 'item-2' }, n: { N: '7' }, tags: { SS: ['a', 'b'] } });
    expect(ids(restarted)).toEqual(['item-0', 'item-1', 'item-2', 'item-3', 'item-4']);
    const described = restarted.emulator.dispatch(
      'DynamoDB_20120810.DescribeTable',
      { TableName: 'Items' },
      'us-east-1',
    ) as {
      Table: { ItemCount: number; TableSizeBytes: number };
    };
    expect(described.Table.ItemCount).toBe(5);
  });

  it('names chunks already on disk again at the next compaction instead of copying them, and deletes files no snapshot names', async () => {
    const dir = folder();
    const first = await withTable(dir, 20);
    await first.close();
    running.splice(running.indexOf(first), 1);
    const [firstFile] = recordsFiles(dir);
    const firstBytes = readFileSync(join(dir, firstFile as string));
    const second = await start({ dataDir: dir });
    for (let i = 20; i < 25; i++) put(second, `item-${i}`);
    await second.close();
    running.splice(running.indexOf(second), 1);
    // The first file is named again, unchanged; only the five new records went to a new file.
    const files = recordsFiles(dir);
    expect(files).toHaveLength(2);
    expect(files).toContain(firstFile);
    expect(readFileSync(join(dir, firstFile as string)).equals(firstBytes)).toBe(true);
    const newFile = files.find((f) => f !== firstFile) as string;
    expect(readFileSync(join(dir, newFile), 'utf8').split('\x1e')).toHaveLength(5);
    const third = await start({ dataDir: dir });
    expect(records(third)).toHaveLength(25);
    // A file left by a compaction a kill cut off (named by no snapshot) is deleted at start.
    await third.close();
    running.splice(running.indexOf(third), 1);
    writeFileSync(join(dir, 'records-999.texts'), 'left over\n');
    const fourth = await start({ dataDir: dir });
    expect(recordsFiles(dir)).not.toContain('records-999.texts');
    expect(records(fourth)).toHaveLength(25);
  });

  it('reads the records a compaction wrote from its records file afterwards, and the next compaction names them instead of writing them again', async () => {
    const dir = folder();
    const live = await withTable(dir, 30);
    const before = records(live);
    await live.compact();
    const [first] = recordsFiles(dir);
    const firstBytes = readFileSync(join(dir, first as string));
    expect(firstBytes.toString().split('"eventID"')).toHaveLength(31);
    // The 30 records are read from the file now, as they were.
    expect(records(live)).toEqual(before);
    for (let i = 30; i < 35; i++) put(live, `item-${i}`);
    await live.compact();
    const files = recordsFiles(dir);
    expect(files).toHaveLength(2);
    expect(readFileSync(join(dir, first as string)).equals(firstBytes)).toBe(true);
    const second = files.find((f) => f !== first) as string;
    expect(readFileSync(join(dir, second), 'utf8').split('"eventID"')).toHaveLength(6);
    expect(records(live)).toHaveLength(35);
    const restarted = await restartAfterKill(dir);
    expect(records(restarted)).toEqual(records(live));
  });

  it('keeps reading a chunk that trimming cut, after the compaction that wrote its rest again deleted the old file', async () => {
    const dir = folder();
    const clock = new ManualClock(Date.parse('2026-06-01T00:00:00Z'));
    const live = await withTable(dir, 10, { clock });
    // An hour later, in the same shard (shards roll over every 4 hours).
    clock.advance(3600 * 1000);
    for (let i = 10; i < 20; i++) put(live, `item-${i}`);
    await live.compact();
    const [first] = recordsFiles(dir);
    expect(records(live)).toHaveLength(20);
    // The first ten records pass the 24 h retention: the chunk holding all twenty is cut.
    clock.advance(23 * 3600 * 1000 + 1000);
    expect(records(live)).toHaveLength(10);
    await live.compact();
    expect(recordsFiles(dir)).not.toContain(first);
    expect(
      records(live).map((r) => (r as { dynamodb: { Keys: { id: { S: string } } } }).dynamodb.Keys.id.S),
    ).toEqual(Array.from({ length: 10 }, (_, i) => `item-${i + 10}`));
    await live.compact();
    const restarted = await restartAfterKill(dir, { clock: new ManualClock(clock.now()) });
    expect(records(restarted)).toEqual(records(live));
  });

  it('reads a snapshot named in more records files than it keeps open (one per compaction of a long session)', async () => {
    const dir = folder();
    const live = await withTable(dir, 1);
    for (let i = 1; i < 70; i++) {
      put(live, `item-${i}`);
      await live.compact();
    }
    expect(recordsFiles(dir).length).toBeGreaterThan(64);
    const restarted = await restartAfterKill(dir);
    // Files closed to stay under the limit are opened again by name when GetRecords reaches them.
    expect(records(restarted)).toEqual(records(live));
    expect(records(restarted)).toHaveLength(70);
  });

  it('refuses to start on a damaged records file, with the file, byte offset and what to do; repairs on request', async () => {
    const dir = folder();
    const live = await withTable(dir, 10);
    await live.close();
    running.splice(running.indexOf(live), 1);
    const file = join(dir, recordsFiles(dir)[0] as string);
    const bytes = readFileSync(file);
    bytes[40] = (bytes[40] as number) ^ 0x01;
    writeFileSync(file, bytes);
    const refused = await startEmulator({ port: 0, dataDir: dir }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(JournalDamageError);
    expect((refused as JournalDamageError).file).toBe(file);
    expect((refused as JournalDamageError).offset).toBe(0);
    expect((refused as Error).message).toMatch(/checksum mismatch.*--repair-journal/);
    const logged: string[] = [];
    const repaired = await start({ dataDir: dir, repairJournal: true, log: (line) => logged.push(line) });
    // The snapshot kept the lines before the first that names the damaged chunk: the table and its items
    // come after the records in a snapshot, so what is left is the stream without them.
    expect(logged.join('\n')).toMatch(
      /repaired .*snapshot\.ndjson: records-\d+\.texts is damaged at byte offset 0/,
    );
    expect(existsSync(join(dir, `${SNAPSHOT}.damaged`))).toBe(true);
    expect(repaired.emulator.dispatch('DynamoDB_20120810.ListTables', {}, 'us-east-1')).toEqual({
      TableNames: [],
    });
  });

  it('keeps a table DELETING across a restart for the rest of tableStatusDelayMs, and TTL working', async () => {
    const dir = folder();
    const clock = new ManualClock(FIXTURE_START);
    const live = await withTable(dir, 0, { clock, tableStatusDelayMs: 60_000 });
    const call = (r: RunningEmulator, target: string, input: Record<string, unknown>) =>
      r.emulator.dispatch(`DynamoDB_20120810.${target}`, input, 'us-east-1') as Record<string, unknown>;
    clock.advance(60_000);
    put(live, 'item-0');
    put(live, 'item-1');
    call(live, 'UpdateTimeToLive', {
      TableName: 'Items',
      TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' },
    });
    const expires = { N: String(Math.floor(clock.now() / 1000) + 10) };
    call(live, 'PutItem', { TableName: 'Items', Item: { id: { S: 'short-lived' }, expires } });
    call(live, 'CreateTable', {
      TableName: 'Gone',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    });
    clock.advance(60_000);
    call(live, 'DeleteTable', { TableName: 'Gone' });
    clock.advance(1000);
    const restarted = await restartAfterKill(dir, { clock, tableStatusDelayMs: 60_000 });
    expect(call(restarted, 'DescribeTable', { TableName: 'Gone' })).toMatchObject({
      Table: { TableStatus: 'DELETING' },
    });
    clock.advance(60_000);
    expect(() => call(restarted, 'DescribeTable', { TableName: 'Gone' })).toThrow(/not found/);
    expect(restarted.emulator.sweepTtl()).toBe(1);
    expect(ids(restarted)).toEqual(['item-0', 'item-1']);
  });

  it('keeps what AWS clients wrote over HTTP across a restart (real SDK)', async () => {
    const dir = folder();
    const first = await startHarness({ dataDir: dir });
    await createTable(first.dynamodb, 'Sdk', { id: 'S' });
    await first.dynamodb.send(
      new PutItemCommand({ TableName: 'Sdk', Item: { id: { S: 'a' }, v: { N: '1' } } }),
    );
    const second = await startHarness({ dataDir: dir });
    const { Item } = await second.dynamodb.send(
      new GetItemCommand({ TableName: 'Sdk', Key: { id: { S: 'a' } } }),
    );
    expect(Item).toEqual({ id: { S: 'a' }, v: { N: '1' } });
    await second.close();
    await first.close();
  });
});
