import { CreateTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveStreamArn } from '../../../local-runtime/dev/resolveStreamArn.js';
import type { DynamoDBEventDefinition, LocalTemplate } from '../../../local-runtime/template/types.js';
import { createStreamTable } from '../../helpers/createStreamTable.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';

// What `eddy dev` says about a mapping's stream before the mapping starts, against the emulator over HTTP: a
// mapping on a stream that does not exist would otherwise retry DescribeStream for ever, without a word.

let harness: EmulatorHarness;
let ordersStream = '';

const TEMPLATE: LocalTemplate = {
  path: '/app/template.yaml',
  stackName: 'eddy',
  region: 'us-east-1',
  accountId: '000000000000',
  tables: [{ logicalId: 'Missing', createTableInput: { TableName: 'missing' } }],
  functions: [],
};

const event = (stream: { streamArn?: string; tableLogicalId?: string }): DynamoDBEventDefinition => ({
  name: 'Stream',
  location: 'Resources.Fn.Properties.Events.Stream.Properties',
  tableLogicalId: stream.tableLogicalId ?? '',
  ...(stream.streamArn === undefined ? {} : { streamArn: stream.streamArn }),
  properties: {},
});

const resolve = (stream: { streamArn?: string; tableLogicalId?: string }, local = false) =>
  resolveStreamArn(harness, TEMPLATE, event(stream), {
    mappingId: 'Fn-Stream',
    endpoint: harness.running.endpoint,
    region: 'us-east-1',
    local,
  });

beforeAll(async () => {
  harness = await startHarness();
  ordersStream = await createStreamTable(harness.dynamodb, 'orders', 'NEW_IMAGE');
  await harness.dynamodb.send(
    new CreateTableCommand({
      TableName: 'plain',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }),
  );
});

afterAll(() => harness?.close());

describe('resolveStreamArn', () => {
  it('returns a literal ARN that exists', async () => {
    expect(await resolve({ streamArn: ordersStream })).toEqual({ streamArn: ordersStream });
  });

  it('names the table of a literal ARN that does not exist, and says to create it with a stream', async () => {
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/nowhere/stream/2026-01-01T00:00:00.000';
    expect(await resolve({ streamArn: arn })).toEqual({
      problem:
        `mapping Fn-Stream (Resources.Fn.Properties.Events.Stream.Properties.Stream): stream ${arn} names table nowhere, ` +
        `which does not exist at ${harness.running.endpoint} (region us-east-1); create the table with a stream ` +
        '(StreamSpecification), or declare it in template.yaml and write Stream: !GetAtt <Table>.StreamArn',
    });
  });

  it('says to enable the stream of a table that has none', async () => {
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/plain/stream/2026-01-01T00:00:00.000';
    const found = await resolve({ streamArn: arn });
    expect(found).toEqual({
      problem: expect.stringContaining(`: stream ${arn}: table plain has no stream at `),
    });
    expect((found as { problem: string }).problem).toContain('StreamSpecification');
  });

  it("gives the table's current stream when the ARN names one that no longer exists", async () => {
    const stale = ordersStream.replace(/stream\/.+$/, 'stream/2020-01-01T00:00:00.000');
    expect(await resolve({ streamArn: stale })).toEqual({
      problem: expect.stringContaining(`table orders's stream is now ${ordersStream}: name that one`),
    });
  });

  it('says which region a stream of another region is in', async () => {
    const other = ordersStream.replace(':us-east-1:', ':eu-west-1:');
    expect(await resolve({ streamArn: other })).toEqual({
      problem: expect.stringContaining(
        'is in region eu-west-1, and eddy dev reads region us-east-1; run with --region eu-west-1',
      ),
    });
  });

  it('with --endpoint, a template table missing there: create it there (eddy dev creates tables only on its emulator)', async () => {
    expect(await resolve({ tableLogicalId: 'Missing' })).toEqual({
      problem: expect.stringContaining(
        'table missing (Resources.Missing) does not exist at http://127.0.0.1:',
      ),
    });
    expect(((await resolve({ tableLogicalId: 'Missing' })) as { problem: string }).problem).toMatch(
      /with --endpoint eddy dev does not create tables: create it there, with its stream$/,
    );
  });

  it('a template table whose stream was switched off: enable it', async () => {
    await createStreamTable(harness.dynamodb, 'switched', 'KEYS_ONLY');
    await harness.dynamodb.send(
      new UpdateTableCommand({ TableName: 'switched', StreamSpecification: { StreamEnabled: false } }),
    );
    const template = {
      ...TEMPLATE,
      tables: [{ logicalId: 'Switched', createTableInput: { TableName: 'switched' } }],
    };
    const found = await resolveStreamArn(harness, template, event({ tableLogicalId: 'Switched' }), {
      mappingId: 'Fn-Stream',
      endpoint: harness.running.endpoint,
      region: 'us-east-1',
      local: false,
    });
    expect(found).toEqual({ problem: expect.stringContaining('table switched has no stream at') });
  });
});
