import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { streamRecordFactory } from '../../../../local-runtime/testing/streamRecordFactory.js';
import { tapeFromLambdaEvent, tapeToLambdaEvent } from '../../../../src/tape/lambdaEvent.js';
import { loadTape, readTape } from '../../../../src/tape/readTape.js';
import { TapeFormatError } from '../../../../src/tape/TapeFormatError.js';
import { TapeWriter } from '../../../../src/tape/TapeWriter.js';
import type { Tape } from '../../../../src/tape/tapeFormat.js';
import { TAPE_JSON_SCHEMA } from '../../../../src/tape/tapeSchema.js';
import { writeTape } from '../../../../src/tape/writeTape.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eddy-tape-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const orders = streamRecordFactory({
  tableName: 'orders',
  keys: ['orderId'],
  viewType: 'NEW_AND_OLD_IMAGES',
});
const event = orders.event(
  orders.insert({ orderId: 'o1', total: 10, photo: new Uint8Array([1, 2, 3]) }),
  orders.modify({ orderId: 'o1', total: 10 }, { orderId: 'o1', total: 12, tags: new Set(['gift']) }),
  orders.ttlRemove({ orderId: 'o2', expiresAt: 1767225600 }),
);
const tape: Tape = tapeFromLambdaEvent(event, { startedAt: new Date(Date.UTC(2026, 0, 1)) });

// A sample event as `sam local generate-event dynamodb update` renders it (aws/aws-sam-cli:
// samcli/lib/generated_sample_events/events/dynamodb/DynamoDBUpdate.json), with its default values.
const samEvent = {
  Records: [1, 2, 3].map((n) => ({
    eventID: `c4ca4238a0b923820dcc509a6f75849${n}`,
    eventName: ['INSERT', 'MODIFY', 'REMOVE'][n - 1],
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      Keys: { Id: { N: '101' } },
      ...(n < 3 ? { NewImage: { Message: { S: `message ${n}` }, Id: { N: '101' } } } : {}),
      ...(n > 1 ? { OldImage: { Message: { S: `message ${n - 1}` }, Id: { N: '101' } } } : {}),
      ApproximateCreationDateTime: 1428537600,
      SequenceNumber: `442158450000000001745043909${n}`,
      SizeBytes: 26,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN:
      'arn:aws:dynamodb:us-east-1:123456789012:table/ExampleTableWithStream/stream/2015-06-27T00:48:05.899',
  })),
};

describe('a tape written and read back', () => {
  for (const name of ['orders.tape.ndjson', 'orders.tape.ndjson.gz']) {
    it(`gives the same header, shards and records (${name})`, async () => {
      const path = join(dir, name);
      await writeTape({ path }, tape);
      const read = await loadTape(path);
      expect(read.header).toEqual(tape.header);
      expect(read.shards).toEqual(tape.shards);
      expect(read.records).toEqual(tape.records);
      expect(read.end).toMatchObject({ reason: 'complete', records: 3, shards: 1 });
      const bytes = await readFile(path);
      // Gzip by the name on write, by the magic bytes on read.
      expect(bytes[0] === 0x1f && bytes[1] === 0x8b).toBe(name.endsWith('.gz'));
    });
  }

  it('reads a gzip tape whatever its name, and a plain one named .gz', async () => {
    const zipped = join(dir, 'a.gz');
    await writeTape({ path: zipped }, tape);
    const renamed = join(dir, 'a.ndjson');
    await writeFile(renamed, await readFile(zipped));
    expect((await loadTape(renamed)).records).toEqual(tape.records);
    const plain = join(dir, 'b.gz.txt');
    await writeTape({ path: plain }, tape);
    const misnamed = join(dir, 'b.gz');
    await writeFile(misnamed, await readFile(plain));
    expect((await loadTape(misnamed)).records).toEqual(tape.records);
  });

  it('has lines that each validate against the documented schema (src/tape/tape.schema.json)', async () => {
    const path = join(dir, 't.ndjson.gz');
    await writeTape({ path }, tape);
    const validLine = new Ajv2020({ strict: false }).compile(TAPE_JSON_SCHEMA);
    const lines = gunzipSync(await readFile(path))
      .toString('utf8')
      .trim()
      .split('\n');
    expect(lines.map((l) => JSON.parse(l).type)).toEqual([
      'header',
      'shard',
      'record',
      'record',
      'record',
      'end',
    ]);
    for (const line of lines)
      expect(validLine(JSON.parse(line)), JSON.stringify(validLine.errors)).toBe(true);
    expect(validLine({ type: 'record', shardId: 's', record: { eventID: 'x', eventName: 'UPSERT' } })).toBe(
      false,
    );
  });

  it('streams: the writer counts bytes and records, the reader yields line by line', async () => {
    const path = join(dir, 'big.ndjson');
    const { type: _t, format: _f, version: _v, ...header } = tape.header;
    const writer = await TapeWriter.open({ path }, header);
    await writer.shard({
      shardId: 's1',
      sequenceNumberRange: { StartingSequenceNumber: '100000000000000000001' },
    });
    const base = tape.records[0]?.record;
    for (let i = 1; i <= 5_000; i++) {
      await writer.record('s1', {
        ...(base as NonNullable<typeof base>),
        dynamodb: {
          ...(base as NonNullable<typeof base>).dynamodb,
          SequenceNumber: String(10n ** 20n + BigInt(i)),
        },
      });
    }
    await writer.close('interrupted');
    expect(writer.records).toBe(5_000);
    expect(writer.bytes).toBe((await readFile(path)).length);
    let records = 0;
    for await (const line of readTape(path)) if (line.type === 'record') records += 1;
    expect(records).toBe(5_000);
  });
});

describe('a damaged tape', () => {
  const linesOf = async () => {
    const path = join(dir, 'ok.ndjson');
    await writeTape({ path }, tape);
    return (await readFile(path, 'utf8')).trim().split('\n');
  };
  const failureOf = async (lines: string[]): Promise<TapeFormatError> => {
    const path = join(dir, 'bad.ndjson');
    await writeFile(path, `${lines.join('\n')}\n`);
    const error = await loadTape(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TapeFormatError);
    return error as TapeFormatError;
  };

  it('names the line and the field of a bad value', async () => {
    const lines = await linesOf();
    const bad = JSON.parse(lines[3] as string);
    bad.record.dynamodb.SequenceNumber = 'abc';
    lines[3] = JSON.stringify(bad);
    const error = await failureOf(lines);
    expect(error.lineNumber).toBe(4);
    expect(error.field).toBe('record.dynamodb.SequenceNumber');
    expect(error.message).toMatch(
      /bad\.ndjson: line 4: record\.dynamodb\.SequenceNumber: expected a sequence number/,
    );
  });

  it('names a line that is not JSON, a nested attribute value, and a record without its shard line', async () => {
    const lines = await linesOf();
    expect((await failureOf([...lines.slice(0, 2), '{"type":"rec', ...lines.slice(3)])).message).toMatch(
      /line 3: not JSON/,
    );
    const nested = JSON.parse(lines[2] as string);
    nested.record.dynamodb.NewImage.total = { N: 12 };
    expect(
      (await failureOf([lines[0] as string, lines[1] as string, JSON.stringify(nested)])).message,
    ).toMatch(/line 3: record\.dynamodb\.NewImage\.total\.N: expected a string/);
    expect((await failureOf([lines[0] as string, lines[2] as string])).message).toMatch(
      /line 2: shardId: shard .* has no shard line before its first record/,
    );
  });

  it('refuses records out of order, a parent after its child, a newer version and a missing header', async () => {
    const lines = await linesOf();
    expect(
      (await failureOf([lines[0] as string, lines[1] as string, lines[3] as string, lines[2] as string]))
        .field,
    ).toBe('record.dynamodb.SequenceNumber');
    const parent = JSON.parse(lines[1] as string);
    const child = { type: 'shard', shardId: 'child', parentShardId: parent.shardId, sequenceNumberRange: {} };
    const inChild = JSON.parse(lines[3] as string);
    inChild.shardId = 'child';
    const error = await failureOf([
      lines[0] as string,
      lines[1] as string,
      JSON.stringify(child),
      JSON.stringify(inChild),
      lines[4] as string,
    ]);
    expect(error.message).toMatch(/line 5: shardId: a record of shard .* after records of its child child/);
    const newer = JSON.parse(lines[0] as string);
    newer.version = 2;
    expect((await failureOf([JSON.stringify(newer)])).message).toMatch(
      /line 1: version: format version 2 .* upgrade eddy/,
    );
    expect((await failureOf(lines.slice(1))).message).toMatch(
      /line 1: type: the first line of a tape is its header/,
    );
  });

  it('says where a gzip tape was cut short', async () => {
    const path = join(dir, 'cut.ndjson.gz');
    await writeTape({ path }, tape);
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, bytes.length - 12));
    await expect(loadTape(path)).rejects.toThrow(/cut\.ndjson\.gz: line \d+: cannot be read/);
  });
});

describe('Lambda events and tapes', () => {
  it('turn into each other without loss, and the event passes Powertools DynamoDBStreamSchema', async () => {
    expect(tapeToLambdaEvent(tape)).toEqual(event);
    const path = join(dir, 'event.tape.ndjson.gz');
    await writeTape({ path }, tape);
    const back = tapeToLambdaEvent(await loadTape(path));
    expect(back).toEqual(event);
    expect(DynamoDBStreamSchema.safeParse(back).success).toBe(true);
    // GetRecords spells a TTL delete's identity Type/PrincipalId; Lambda's event type/principalId.
    expect(tape.records[2]?.record.userIdentity).toEqual({
      Type: 'Service',
      PrincipalId: 'dynamodb.amazonaws.com',
    });
    expect(tape.records[0]?.record).not.toHaveProperty('eventSourceARN');
    expect(tape.header).toMatchObject({
      tableName: 'orders',
      keySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
    });
  });

  it('imports the sample event of sam local generate-event dynamodb update, and exports it unchanged', async () => {
    expect(DynamoDBStreamSchema.safeParse(samEvent).success).toBe(true);
    const imported = tapeFromLambdaEvent(samEvent as never);
    expect(imported.header).toMatchObject({
      region: 'us-east-1',
      tableName: 'ExampleTableWithStream',
      streamViewType: 'NEW_AND_OLD_IMAGES',
      keySchema: [{ AttributeName: 'Id', KeyType: 'HASH' }],
      recording: { source: 'lambda-event' },
    });
    const path = join(dir, 'sam.tape.ndjson');
    await writeTape({ path }, imported);
    expect(tapeToLambdaEvent(await loadTape(path))).toEqual(samEvent);
  });

  it('refuses an event that is none, with the reason', () => {
    expect(() => tapeFromLambdaEvent({ Records: [] })).toThrow(/has no Records/);
    const two = {
      Records: [
        samEvent.Records[0],
        {
          ...samEvent.Records[1],
          eventSourceARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/B/stream/x',
        },
      ],
    };
    expect(() => tapeFromLambdaEvent(two as never)).toThrow(/come from 2 streams/);
  });
});
