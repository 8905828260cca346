import type { Emulator } from '../../local-runtime/emulator/Emulator.js';

const DDB = 'DynamoDB_20120810';
const STREAMS = 'DynamoDBStreams_20120810';

/** Everything a client can read back from one region of an emulator, in a stable order. */
interface RegionState {
  readonly tables: Record<
    string,
    {
      readonly description: unknown;
      readonly ttl: unknown;
      readonly tags: unknown;
      readonly items: unknown[];
    }
  >;
  readonly streams: Record<string, { readonly description: unknown; readonly records: unknown[] }>;
}

/**
 * Reads every table (description without its random TableId, TTL, tags, all items) and every stream (its
 * description and every shard's records from TRIM_HORIZON; `withoutEventIds` leaves out the random eventIDs) of the given regions through the operations, so
 * two emulators can be compared by what clients see (test/integration/emulator/persistence.test.ts).
 */
const readEmulatorState = (
  emulator: Emulator,
  regions: readonly string[],
  options: { withoutEventIds?: boolean } = {},
): Record<string, RegionState> => {
  const out: Record<string, RegionState> = {};
  for (const region of regions) {
    const call = (target: string, input: Record<string, unknown>) =>
      emulator.dispatch(target, input, region) as Record<string, unknown>;
    const tables: Record<string, RegionState['tables'][string]> = {};
    const names = (call(`${DDB}.ListTables`, {}).TableNames as string[]).slice().sort();
    for (const name of names) {
      const { Table } = call(`${DDB}.DescribeTable`, { TableName: name }) as {
        Table: Record<string, unknown>;
      };
      const { TableId: _, ...description } = Table;
      const items: unknown[] = [];
      let start: unknown;
      do {
        const page = call(`${DDB}.Scan`, {
          TableName: name,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        });
        items.push(...(page.Items as unknown[]));
        start = page.LastEvaluatedKey;
      } while (start !== undefined);
      tables[name] = {
        description,
        ttl: call(`${DDB}.DescribeTimeToLive`, { TableName: name }),
        tags: call(`${DDB}.ListTagsOfResource`, { ResourceArn: Table.TableArn }),
        items,
      };
    }
    const streams: Record<string, RegionState['streams'][string]> = {};
    const listed = call(`${STREAMS}.ListStreams`, {}).Streams as { StreamArn: string }[];
    for (const { StreamArn } of listed.slice().sort((a, b) => a.StreamArn.localeCompare(b.StreamArn))) {
      const description = call(`${STREAMS}.DescribeStream`, { StreamArn }).StreamDescription as {
        Shards: { ShardId: string }[];
      };
      const records: unknown[] = [];
      for (const shard of description.Shards) {
        let iterator = call(`${STREAMS}.GetShardIterator`, {
          StreamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }).ShardIterator as string | undefined;
        for (let pages = 0; iterator !== undefined && pages < 1000; pages++) {
          const page = call(`${STREAMS}.GetRecords`, { ShardIterator: iterator });
          const got = page.Records as unknown[];
          records.push(
            ...got.map((r) => {
              if (!options.withoutEventIds) return { shard: shard.ShardId, record: r };
              const { eventID: _, ...rest } = r as Record<string, unknown>;
              return { shard: shard.ShardId, record: rest };
            }),
          );
          iterator = got.length === 0 ? undefined : (page.NextShardIterator as string | undefined);
        }
      }
      streams[StreamArn] = { description, records };
    }
    out[region] = { tables, streams };
  }
  return out;
};

export type { RegionState };
export { readEmulatorState };
