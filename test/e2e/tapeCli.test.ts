import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTape } from '../../src/tape/readTape.js';
import { runCli } from '../helpers/runCli.js';

// A Lambda test event to a tape and back, as a user does it with `sam local generate-event dynamodb update`.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eddy-tape-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// The shape of aws/aws-sam-cli: samcli/lib/generated_sample_events/events/dynamodb/DynamoDBUpdate.json, rendered.
const samEvent = {
  Records: ['INSERT', 'MODIFY'].map((eventName, i) => ({
    eventID: `c4ca4238a0b923820dcc509a6f75849${i}`,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      Keys: { Id: { N: '101' }, At: { S: 'x' } },
      NewImage: { Message: { S: `message ${i}` }, Id: { N: '101' }, At: { S: 'x' } },
      ApproximateCreationDateTime: 1428537600,
      SequenceNumber: `442158450000000001745043909${i}`,
      SizeBytes: 26,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN:
      'arn:aws:dynamodb:us-east-1:123456789012:table/ExampleTableWithStream/stream/2015-06-27T00:48:05.899',
  })),
};

const run = async (args: string[]) => {
  const cli = runCli(['tape', ...args]);
  const code = await cli.exited;
  return { code, output: cli.output() };
};

describe('eddy tape', () => {
  it('turns a Lambda test event into a tape, checks it, and turns it back into the same event', async () => {
    const eventPath = join(dir, 'event.json');
    await writeFile(eventPath, JSON.stringify(samEvent));
    const tapePath = join(dir, 'event.tape.ndjson.gz');
    const imported = await run([
      'from-event',
      eventPath,
      '--out',
      tapePath,
      '--hash-key',
      'Id',
      '--range-key',
      'At',
    ]);
    expect(imported.code, imported.output).toBe(0);
    expect(imported.output).toMatch(/2 records of ExampleTableWithStream → .*\(key Id HASH, At RANGE\)/);
    expect((await loadTape(tapePath)).header.keySchema).toEqual([
      { AttributeName: 'Id', KeyType: 'HASH' },
      { AttributeName: 'At', KeyType: 'RANGE' },
    ]);
    const checked = await run(['check', tapePath]);
    expect(checked.code, checked.output).toBe(0);
    expect(checked.output).toMatch(
      /valid; 2 records in 1 shard\(s\); ExampleTableWithStream .*ended: complete/,
    );
    const outPath = join(dir, 'back.json');
    const exported = await run(['to-event', tapePath, '--out', outPath]);
    expect(exported.code, exported.output).toBe(0);
    const back = JSON.parse(await readFile(outPath, 'utf8'));
    expect(back).toEqual(samEvent);
    expect(DynamoDBStreamSchema.safeParse(back).success).toBe(true);
  }, 60_000);

  it('names the first bad line of a damaged tape (exit 1), and an event that is none (exit 2)', async () => {
    const tapePath = join(dir, 'damaged.ndjson');
    const eventPath = join(dir, 'event2.json');
    await writeFile(eventPath, JSON.stringify(samEvent));
    expect((await run(['from-event', eventPath, '--out', tapePath])).code).toBe(0);
    const lines = (await readFile(tapePath, 'utf8')).trim().split('\n');
    lines[2] = lines[2]?.replace('"eventName":"INSERT"', '"eventName":"UPSERT"') as string;
    await writeFile(tapePath, `${lines.join('\n')}\n`);
    const damaged = await run(['check', tapePath]);
    expect(damaged.code).toBe(1);
    expect(damaged.output).toMatch(
      /damaged\.ndjson: line 3: record\.eventName: expected one of INSERT, MODIFY, REMOVE, got "UPSERT"/,
    );
    const notEvent = join(dir, 'not-event.json');
    await writeFile(notEvent, '{"Records": []}');
    const refused = await run(['from-event', notEvent, '--out', join(dir, 'none.ndjson')]);
    expect(refused.code).toBe(2);
    expect(refused.output).toMatch(/cannot become a tape: it has no Records/);
  }, 60_000);
});
