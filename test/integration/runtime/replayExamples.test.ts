/**
 * `replay` of each example handler of template.yaml (handlers/*.ts): the example runs live on the emulator
 * (`runHandler` with the template's event settings), the orders stream is recorded to a tape with
 * `recordStream`, the tape is replayed into a FRESH emulator through the same handler with the same settings
 * (`replay`, the template's event properties), and the tables it writes come out as the live run left them.
 * The same tape replayed a second time into that emulator leaves them unchanged: the examples' operators are
 * exactly-once (project: a sequence condition; aggregate: a ledger; replicate: last writer wins by version).
 *
 * Fields the handlers document as bookkeeping are left out of the live-versus-replay comparison: `expiresAt`
 * (handlers/bookkeepingTtl.ts: TTL counted from when the row was written, i.e. from the replay's own time) on
 * view tombstones, the aggregate's ledger rows and replication tombstones, and the aggregate rows'
 * `eddy_revision` (a count of the transactions that touched the row, which depends on batching). Everything
 * else is compared as is; the second replay is compared with everything, bookkeeping included.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadTemplate } from '../../../local-runtime/template/loadTemplate.js';
import { startTestEmulator, type TestEmulator } from '../../../local-runtime/testing/index.js';
import { stampForReplication } from '../../../src/index.js';
import { resolveMappingConfig } from '../../../src/runtime/config/resolveMappingConfig.js';
import type { StreamHandlerFunction } from '../../../src/runtime/invocation/inProcessInvoker.js';
import { replay } from '../../../src/runtime/replay.js';
import { TapeSource } from '../../../src/runtime/sources/tape/TapeSource.js';
import { parseRecordFrom, parseRecordUntil } from '../../../src/tape/recordPositions.js';
import { recordStream } from '../../../src/tape/recordStream.js';

type Row = Record<string, unknown>;

const EAST = 'us-east-1';
const WEST = 'eu-west-1';
const TEMPLATE = 'template.yaml';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eddy-replay-examples-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The settings of a function's `OrdersStream` event in template.yaml, as a live mapping gets them. */
const settingsOf = async (logicalId: string) => {
  const template = await loadTemplate(TEMPLATE, { region: EAST, parameterOverrides: { PeerRegion: WEST } });
  const event = template.functions.find((fn) => fn.logicalId === logicalId)?.events[0];
  if (event === undefined) throw new Error(`${TEMPLATE} has no DynamoDB event for ${logicalId}`);
  return resolveMappingConfig(event.properties);
};

/** A handler module of handlers/, imported afresh: it makes its DynamoDB clients (from the environment) at load. */
const handlerFor = async (eddy: TestEmulator, logicalId: string, module: string) => {
  eddy.useEnvironment(logicalId);
  vi.resetModules();
  return ((await import(`../../../handlers/${module}.ts`)) as { handler: StreamHandlerFunction }).handler;
};

/** The peer region's client on the same emulator (it serves every region on one endpoint). */
const westOf = (eddy: TestEmulator) => new DynamoDBClient({ ...eddy.clientConfig, region: WEST });

/** The orders table in the peer region, as template.yaml defines it (the replicator writes there). */
const createPeerOrders = async (eddy: TestEmulator) => {
  const west = westOf(eddy);
  try {
    await west.send(
      new CreateTableCommand({
        TableName: 'orders',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'orderId', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
  } finally {
    west.destroy();
  }
};

const scanPeer = async (eddy: TestEmulator, table: string): Promise<Row[]> => {
  const west = westOf(eddy);
  try {
    const page = await west.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
    return (page.Items ?? []).map((item) => unmarshall(item));
  } finally {
    west.destroy();
  }
};

/** Rows sorted by their key. */
const sortedBy = (rows: readonly Row[], key: string): Row[] =>
  [...rows].sort((a, b) => String(a[key]).localeCompare(String(b[key])));

/** Tables without an example's bookkeeping attributes (see the file's comment and {@link Example.bookkeeping}). */
const without = (tables: Record<string, Row[]>, bookkeeping: readonly string[]): Record<string, Row[]> =>
  Object.fromEntries(
    Object.entries(tables).map(([name, rows]) => [
      name,
      rows.map((row) => Object.fromEntries(Object.entries(row).filter(([a]) => !bookkeeping.includes(a)))),
    ]),
  );

interface Example {
  readonly logicalId: string;
  readonly module: string;
  readonly key: string;
  /** The tables the example writes, as read from an emulator, sorted by key. */
  readonly tables: (eddy: TestEmulator) => Promise<Record<string, Row[]>>;
  /** Orders written to the live emulator's orders table. */
  readonly workload: (eddy: TestEmulator) => Promise<void>;
  readonly peer?: boolean;
  /** Attributes that depend on when or in which batches the rows were written, not on the records. */
  readonly bookkeeping: readonly string[];
}

/** Puts, overwrites (new amounts, orders moving to another customer) and deletes over 12 orders. */
const ordersWorkload = async (eddy: TestEmulator) => {
  for (let i = 0; i < 40; i++)
    await eddy.put('OrdersTable', {
      orderId: `o${(i * 7) % 12}`,
      customerId: `c${i % 5}`,
      status: i % 3 === 0 ? 'PAID' : 'NEW',
      total: (i * 137) / 100,
      lines: Array.from({ length: i % 4 }, (_, l) => `line-${l}`),
    });
  await eddy.delete('OrdersTable', { orderId: 'o5' }, { orderId: 'o2' });
  await eddy.put('OrdersTable', { orderId: 'o5', customerId: 'c1', total: 3.3 });
};

/** Every write stamped for replication (fixed times: versions do not depend on the run), plus plain deletes. */
const replicatedWorkload = async (eddy: TestEmulator) => {
  const start = Date.UTC(2026, 0, 1);
  for (let i = 0; i < 40; i++)
    await eddy.put(
      'OrdersTable',
      stampForReplication(
        { orderId: `o${(i * 7) % 12}`, customerId: `c${i % 5}`, total: (i * 137) / 100 },
        { region: EAST, now: start + i * 1000 },
      ),
    );
  // Plain deletes: the replicator turns them into tombstones here and there.
  await eddy.delete('OrdersTable', { orderId: 'o5' }, { orderId: 'o2' });
};

const EXAMPLES: Example[] = [
  {
    logicalId: 'OrdersProjectionFunction',
    module: 'ordersProjection',
    key: 'orderId',
    workload: ordersWorkload,
    bookkeeping: ['expiresAt'],
    tables: async (eddy) => ({ 'order-view': sortedBy(await eddy.scan('OrderViewTable'), 'orderId') }),
  },
  {
    logicalId: 'CustomerTotalsFunction',
    module: 'customerTotals',
    key: 'customerId',
    workload: ordersWorkload,
    // Totals rows and the ledger rows (keys `eddy#…`), both compared. Left out: the ledger's expiresAt, and
    // eddy_revision, which src/operators/aggregates/aggregate.ts documents as the row's concurrency revision
    // (one per transaction, i.e. per batch that touched the row: live, records came a few at a time; a replay
    // sends batches of 100). The second replay must leave both unchanged all the same.
    bookkeeping: ['expiresAt', 'eddy_revision'],
    tables: async (eddy) => ({
      'customer-totals': sortedBy(await eddy.scan('CustomerTotalsTable'), 'customerId'),
    }),
  },
  {
    logicalId: 'OrdersReplicatorFunction',
    module: 'ordersReplicator',
    key: 'orderId',
    workload: replicatedWorkload,
    peer: true,
    bookkeeping: ['expiresAt'],
    tables: async (eddy) => ({ [`orders@${WEST}`]: sortedBy(await scanPeer(eddy, 'orders'), 'orderId') }),
  },
];

const startFor = async (example: Example) => {
  const eddy = await startTestEmulator({
    template: TEMPLATE,
    parameterOverrides: example.peer === true ? { PeerRegion: WEST } : {},
    shardCount: 2,
  });
  if (example.peer === true) await createPeerOrders(eddy);
  return eddy;
};

describe('replay of each example handler', () => {
  for (const example of EXAMPLES) {
    it(`${example.logicalId} (handlers/${example.module}.ts): a tape of a live run, replayed into a fresh emulator, gives the live run's tables; replayed again, changes nothing`, async () => {
      const tapePath = join(dir, `${example.module}.tape.ndjson.gz`);
      let liveTables: Record<string, Row[]>;
      let recorded: number;
      {
        const live = await startFor(example);
        try {
          const handler = await handlerFor(live, example.logicalId, example.module);
          const run = await live.runHandler(handler, { function: example.logicalId });
          await example.workload(live);
          await run.settled();
          liveTables = await example.tables(live);
          // After the run: the tape has the records the handler itself wrote back (the replicator's tombstones).
          const summary = await recordStream({
            client: live.streams,
            streamArn: await live.streamArn('OrdersTable'),
            out: { path: tapePath },
            from: parseRecordFrom('trim-horizon'),
            until: parseRecordUntil('now'),
            tool: 'test',
          });
          recorded = summary.records;
        } finally {
          await live.close();
        }
      }
      expect(recorded).toBeGreaterThanOrEqual(42);
      for (const [table, rows] of Object.entries(liveTables))
        expect(rows.length, `${table} after the live run`).toBeGreaterThan(3);
      // The view and the peer table keep deleted orders as tombstones: the deletes went through.
      if (example.logicalId !== 'CustomerTotalsFunction')
        expect(
          Object.values(liveTables)
            .flat()
            .some((row) => row.eddy_deleted === true),
        ).toBe(true);

      const fresh = await startFor(example);
      try {
        const handler = await handlerFor(fresh, example.logicalId, example.module);
        for (const rows of Object.values(await example.tables(fresh))) expect(rows).toEqual([]);
        const config = await settingsOf(example.logicalId);
        const source = await TapeSource.load(tapePath);
        const first = await replay({ source, handler, config });
        expect(first).toMatchObject({ records: recorded, failures: 0, discarded: 0, completed: true });
        const replayed = await example.tables(fresh);
        expect(without(replayed, example.bookkeeping)).toEqual(without(liveTables, example.bookkeeping));

        // The same tape again, into the same tables: exactly-once operators leave every row as it is, TTL included.
        const second = await replay({ source, handler, config });
        expect(second).toMatchObject({ records: recorded, failures: 0, discarded: 0, completed: true });
        expect(await example.tables(fresh)).toEqual(replayed);
      } finally {
        await fresh.close();
      }
    });
  }
});
