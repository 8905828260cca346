import {
  BatchExecuteStatementCommand,
  type BatchExecuteStatementCommandOutput,
  DynamoDBClient,
  GetItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendTakingJson } from '../../../src/records/sendTakingJson.js';
import { withJsonBody } from '../../../src/records/withJsonBody.js';
import { type EmulatorHarness, startHarness } from '../../helpers/emulatorHarness.js';
import { createKeyedTable } from '../../helpers/operatorRuns.js';

let h: EmulatorHarness;
beforeAll(async () => {
  // Signatures checked: the body sent is the body signed.
  h = await startHarness({
    requireSignature: true,
    credentials: [{ accessKeyId: 'test', secretAccessKey: 'test' }],
  });
  await createKeyedTable(h.dynamodb, 'json-body', 'id');
});
afterAll(() => h.close());

/** Every attribute type, binary ones included, as the SDK's own types hold them. */
const parameters = (id: string) => [
  { S: id },
  { B: new Uint8Array([0, 1, 2, 250, 255]) },
  { BS: [new Uint8Array([1]), new Uint8Array([2, 3])] },
  { N: '-12.50' },
  { NS: ['1', '2.5'] },
  { SS: ['a', 'b'] },
  { NULL: true },
  { BOOL: false },
  { L: [{ S: 'x' }, { M: { deep: { B: new Uint8Array([9]) } } }] },
  // An attribute named B, and text that looks like a tag, are plain JSON.
  { M: { B: { S: '"B":{' }, BS: { N: '1' } } },
];
const STATEMENT = `INSERT INTO "json-body" VALUE {'id': ?, 'b': ?, 'bs': ?, 'n': ?, 'ns': ?, 'ss': ?, 'nul': ?, 'bool': ?, 'l': ?, 'm': ?}`;

const itemOf = async (id: string) =>
  (await h.dynamodb.send(new GetItemCommand({ TableName: 'json-body', Key: { id: { S: id } } }))).Item;

describe('withJsonBody: a command whose body is JSON.stringify of its input', () => {
  it('stores every attribute type as the SDK serializer would, binary as base64', async () => {
    await h.dynamodb.send(
      new BatchExecuteStatementCommand({
        Statements: [{ Statement: STATEMENT, Parameters: parameters('sdk') }],
      }),
    );
    const command = withJsonBody(
      new BatchExecuteStatementCommand({
        Statements: [{ Statement: STATEMENT, Parameters: parameters('json') }],
      }),
      { Statements: [] },
    );
    const { Responses } = await h.dynamodb.send(command);
    expect(Responses?.[0]?.Error).toBeUndefined();
    const { id: _sdk, ...bySdk } = (await itemOf('sdk')) ?? {};
    const { id: _json, ...byJson } = (await itemOf('json')) ?? {};
    expect(byJson).toEqual(bySdk);
    expect(byJson.b).toEqual({ B: new Uint8Array([0, 1, 2, 250, 255]) });
  });

  it('a string that looks like a tag is sent as it is', async () => {
    const command = withJsonBody(
      new BatchExecuteStatementCommand({
        Statements: [
          {
            Statement: "INSERT INTO \"json-body\" VALUE {'id': ?, 'm': ?}",
            Parameters: [{ S: 'plain' }, { M: { note: { S: '"B":[' } } }],
          },
        ],
      }),
      { Statements: [] },
    );
    expect((await h.dynamodb.send(command)).Responses?.[0]?.Error).toBeUndefined();
    expect((await itemOf('plain'))?.m).toEqual({ M: { note: { S: '"B":[' } } });
  });

  it('is signed and retried like any request: a throttled attempt is sent again with the same body', async () => {
    h.running.emulator.control.failNext('BatchExecuteStatement', 1, 'throttling');
    const command = withJsonBody(
      new BatchExecuteStatementCommand({
        Statements: [{ Statement: STATEMENT, Parameters: parameters('retried') }],
      }),
      { Statements: [] },
    );
    let responses: unknown;
    const output = await sendTakingJson<BatchExecuteStatementCommandOutput>(h.dynamodb, command, (parsed) => {
      responses = parsed.Responses;
      return {};
    });
    expect(output.$metadata.attempts).toBe(2);
    expect(responses).toEqual([{ TableName: 'json-body' }]);
    expect((await itemOf('retried'))?.bs).toEqual({ BS: [new Uint8Array([1]), new Uint8Array([2, 3])] });
  });

  it("keeps each command's own body and answer on a client that caches its middleware (cacheMiddleware: true)", async () => {
    const client = new DynamoDBClient({
      endpoint: h.running.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      cacheMiddleware: true,
    });
    try {
      const answers: unknown[] = [];
      for (const [id, table] of [
        ['cached-1', 'json-body'],
        ['cached-2', 'no-such-table'],
      ] as const) {
        const command = withJsonBody(
          new BatchExecuteStatementCommand({
            Statements: [{ Statement: `INSERT INTO "${table}" VALUE {'id': ?}`, Parameters: [{ S: id }] }],
          }),
          { Statements: [] },
        );
        await sendTakingJson(client, command, (parsed) => {
          answers.push(parsed.Responses);
          return {};
        });
      }
      expect(answers).toEqual([
        [{ TableName: 'json-body' }],
        [{ Error: expect.objectContaining({ Code: 'ResourceNotFound' }) }],
      ]);
      expect(await itemOf('cached-1')).toEqual({ id: { S: 'cached-1' } });
    } finally {
      client.destroy();
    }
  });

  it('an error answer is the SDK exception, as without it', async () => {
    const command = withJsonBody(
      new BatchExecuteStatementCommand({
        Statements: [
          { Statement: 'INSERT INTO "no-such-table" VALUE {\'id\': ?}', Parameters: [{ S: 'x' }] },
        ],
      }),
      { Statements: [] },
    );
    const { Responses } = await h.dynamodb.send(command);
    expect(Responses?.[0]?.Error?.Code).toBe('ResourceNotFound');
    const empty = withJsonBody(new BatchExecuteStatementCommand({ Statements: [] }), { Statements: [] });
    await expect(h.dynamodb.send(empty)).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
