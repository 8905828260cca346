import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttributeMap, AttributeValue } from '../../src/records/attributeValue.js';
import { type EmulatorHarness, startHarness } from '../helpers/emulatorHarness.js';
import { modelEqual } from './valueModel.js';

/**
 * Random sequences of PutItem, UpdateItem, DeleteItem and GetItem, with and without conditions, through the
 * real SDK against the emulator, next to a Map of items. Every answer must be the model's, and the table's
 * stream must hold exactly the model's effective changes, in order: nothing for a write that changed nothing
 * or whose condition failed.
 */

// Each run creates a table and makes up to ~30 requests over HTTP: 80 runs take a few seconds on a busy 2-core machine.
const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 80);

type Condition =
  | { readonly kind: 'none' }
  | { readonly kind: 'exists' | 'not_exists' }
  | { readonly kind: 'v=' | 'v<'; readonly n: number };

type Op =
  | {
      readonly op: 'put';
      readonly key: string;
      readonly v: number;
      readonly s?: string;
      readonly condition: Condition;
    }
  | {
      readonly op: 'update';
      readonly key: string;
      readonly action: UpdateAction;
      readonly condition: Condition;
    }
  | { readonly op: 'delete'; readonly key: string; readonly condition: Condition }
  | { readonly op: 'get'; readonly key: string };

type UpdateAction =
  | { readonly kind: 'set-v'; readonly n: number }
  | { readonly kind: 'add-v'; readonly n: number }
  | { readonly kind: 'set-s'; readonly s: string }
  | { readonly kind: 'remove-s' };

const key = fc.constantFrom('k1', 'k2', 'k3');
const small = fc.integer({ min: 0, max: 3 });
const text = fc.constantFrom('x', 'y');
const condition: fc.Arbitrary<Condition> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Condition>({ kind: 'none' }) },
  fc.constantFrom<Condition>({ kind: 'exists' }, { kind: 'not_exists' }),
  fc.tuple(fc.constantFrom<'v=' | 'v<'>('v=', 'v<'), small).map(([kind, n]): Condition => ({ kind, n })),
);
const updateAction: fc.Arbitrary<UpdateAction> = fc.oneof(
  small.map((n): UpdateAction => ({ kind: 'set-v', n })),
  fc.integer({ min: 0, max: 1 }).map((n): UpdateAction => ({ kind: 'add-v', n })),
  text.map((s): UpdateAction => ({ kind: 'set-s', s })),
  fc.constant<UpdateAction>({ kind: 'remove-s' }),
);
const operation: fc.Arbitrary<Op> = fc.oneof(
  fc
    .record({ key, v: small, s: fc.option(text, { nil: undefined }), condition })
    .map(
      ({ key, v, s, condition }): Op => ({ op: 'put', key, v, ...(s === undefined ? {} : { s }), condition }),
    ),
  fc.record({ key, action: updateAction, condition }).map((o): Op => ({ op: 'update', ...o })),
  fc.record({ key, condition }).map((o): Op => ({ op: 'delete', ...o })),
  key.map((k): Op => ({ op: 'get', key: k })),
);

/** The condition as request members, or none. */
const conditionMembers = (c: Condition): Record<string, unknown> => {
  switch (c.kind) {
    case 'none':
      return {};
    case 'exists':
      return { ConditionExpression: 'attribute_exists(pk)' };
    case 'not_exists':
      return { ConditionExpression: 'attribute_not_exists(pk)' };
    default:
      return {
        ConditionExpression: c.kind === 'v=' ? 'v = :c' : 'v < :c',
        ExpressionAttributeValues: { ':c': { N: String(c.n) } },
      };
  }
};

const conditionHolds = (c: Condition, item: AttributeMap | undefined): boolean => {
  const v = item?.v !== undefined && 'N' in item.v ? Number(item.v.N) : undefined;
  switch (c.kind) {
    case 'none':
      return true;
    case 'exists':
      return item !== undefined;
    case 'not_exists':
      return item === undefined;
    case 'v=':
      return v === c.n;
    default:
      return v !== undefined && v < c.n;
  }
};

const updateMembers = (action: UpdateAction): Record<string, unknown> => {
  switch (action.kind) {
    case 'set-v':
      return { UpdateExpression: 'SET v = :u', ExpressionAttributeValues: { ':u': { N: String(action.n) } } };
    case 'add-v':
      return { UpdateExpression: 'ADD v :u', ExpressionAttributeValues: { ':u': { N: String(action.n) } } };
    case 'set-s':
      return { UpdateExpression: 'SET s = :u', ExpressionAttributeValues: { ':u': { S: action.s } } };
    default:
      return { UpdateExpression: 'REMOVE s' };
  }
};

/**
 * The item an update leaves, from the item before it (a missing item starts as its key). An update that only
 * removes leaves a missing item missing (test/integration/emulator/updateSemantics.test.ts).
 */
const modelUpdated = (
  action: UpdateAction,
  before: AttributeMap | undefined,
  pk: string,
): AttributeMap | undefined => {
  if (before === undefined && action.kind === 'remove-s') return undefined;
  const next: AttributeMap = { ...(before ?? { pk: { S: pk } }) };
  const v = next.v !== undefined && 'N' in next.v ? Number(next.v.N) : undefined;
  if (action.kind === 'set-v') next.v = { N: String(action.n) };
  else if (action.kind === 'add-v') next.v = { N: String((v ?? 0) + action.n) };
  else if (action.kind === 'set-s') next.s = { S: action.s };
  else delete next.s;
  return next;
};

/** Merges two requests' ExpressionAttributeValues (a condition's and an update's). */
const merged = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> => {
  const values = {
    ...((a.ExpressionAttributeValues as object | undefined) ?? {}),
    ...((b.ExpressionAttributeValues as object | undefined) ?? {}),
  };
  return { ...a, ...b, ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}) };
};

interface ModelRecord {
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  Keys: AttributeMap;
  NewImage?: AttributeMap;
  OldImage?: AttributeMap;
}

const sameItem = (a: AttributeMap | undefined, b: AttributeMap | undefined) =>
  a === undefined || b === undefined ? a === b : modelEqual({ M: a }, { M: b });

/** Turns the SDK's stream record into the model's shape. */
const recordShape = (record: _Record): ModelRecord => ({
  eventName: record.eventName as ModelRecord['eventName'],
  Keys: record.dynamodb?.Keys as AttributeMap,
  ...(record.dynamodb?.NewImage === undefined ? {} : { NewImage: record.dynamodb.NewImage as AttributeMap }),
  ...(record.dynamodb?.OldImage === undefined ? {} : { OldImage: record.dynamodb.OldImage as AttributeMap }),
});

let h: EmulatorHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

let tables = 0;

const readStream = async (streamArn: string): Promise<_Record[]> => {
  const { StreamDescription } = await h.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const records: _Record[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let iterator = (
      await h.streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator;
    while (iterator !== undefined) {
      const page = await h.streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      if ((page.Records ?? []).length === 0) break;
      records.push(...(page.Records ?? []));
      iterator = page.NextShardIterator;
    }
  }
  return records;
};

describe('random write sequences through the SDK against a Map model', () => {
  it('answers as the model does and streams exactly the model’s effective changes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 25 }), async (ops) => {
        const TableName = `prop${++tables}`;
        await h.dynamodb.send(
          new CreateTableCommand({
            TableName,
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
            StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
          }),
        );
        const model = new Map<string, AttributeMap>();
        const expectedRecords: ModelRecord[] = [];
        const write = (pk: string, before: AttributeMap | undefined, after: AttributeMap | undefined) => {
          if (after === undefined) model.delete(pk);
          else model.set(pk, after);
          if (sameItem(before, after)) return;
          const Keys = { pk: { S: pk } };
          expectedRecords.push({
            eventName: before === undefined ? 'INSERT' : after === undefined ? 'REMOVE' : 'MODIFY',
            Keys,
            ...(after === undefined ? {} : { NewImage: after }),
            ...(before === undefined ? {} : { OldImage: before }),
          });
        };

        for (const op of ops) {
          const Key = { pk: { S: op.key } };
          const before = model.get(op.key);
          if (op.op === 'get') {
            const { Item } = await h.dynamodb.send(
              new GetItemCommand({ TableName, Key, ConsistentRead: true }),
            );
            expect(Item, `GetItem ${op.key}`).toEqual(before);
            continue;
          }
          const holds = conditionHolds(op.condition, before);
          const send = async () => {
            if (op.op === 'put') {
              const Item: Record<string, AttributeValue> = { ...Key, v: { N: String(op.v) } };
              if (op.s !== undefined) Item.s = { S: op.s };
              const response = await h.dynamodb.send(
                new PutItemCommand({
                  TableName,
                  Item,
                  ReturnValues: 'ALL_OLD',
                  ...conditionMembers(op.condition),
                } as never),
              );
              return { response, after: Item as AttributeMap };
            }
            if (op.op === 'update') {
              const response = await h.dynamodb.send(
                new UpdateItemCommand({
                  TableName,
                  Key,
                  ReturnValues: 'ALL_NEW',
                  ...merged(conditionMembers(op.condition), updateMembers(op.action)),
                } as never),
              );
              return { response, after: modelUpdated(op.action, before, op.key) };
            }
            const response = await h.dynamodb.send(
              new DeleteItemCommand({
                TableName,
                Key,
                ReturnValues: 'ALL_OLD',
                ...conditionMembers(op.condition),
              } as never),
            );
            return { response, after: undefined };
          };
          let outcome: Awaited<ReturnType<typeof send>> | { error: string };
          try {
            outcome = await send();
          } catch (error) {
            outcome = { error: (error as Error).name };
          }
          const label = JSON.stringify(op);
          if (!holds) {
            expect(outcome, label).toEqual({ error: 'ConditionalCheckFailedException' });
            continue;
          }
          expect(outcome, label).not.toHaveProperty('error');
          if ('error' in outcome) continue;
          const { response, after } = outcome;
          if (op.op === 'update') expect(response.Attributes, label).toEqual(after);
          else expect(response.Attributes, label).toEqual(before);
          write(op.key, before, after);
        }

        const { Table } = await h.dynamodb.send(new DescribeTableCommand({ TableName }));
        const records = await readStream(Table?.LatestStreamArn as string);
        expect(records.map(recordShape)).toEqual(expectedRecords);
        const sequence = records.map((r) => BigInt(r.dynamodb?.SequenceNumber ?? '0'));
        expect(sequence).toEqual([...sequence].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
        expect(new Set(sequence).size).toBe(sequence.length);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
