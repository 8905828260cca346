import { type TableState, tableStateOf } from '../dynamodb/controlPlane/TableState.js';
import type { Table } from '../dynamodb/Table.js';
import type { Region } from '../Region.js';
import type { Shard } from '../streams/Shard.js';
import type { Stream } from '../streams/Stream.js';
import { streamTagsOf } from '../tags/taggedResource.js';
import type { ShardMeta, StreamMeta, TableMeta } from './Effect.js';

/** A table's settings as the journal writes them (see Effect.ts). */
const tableMeta = (
  region: Region,
  table: Table,
  state: TableState = tableStateOf(region, table),
): TableMeta => {
  const { indexes: _, region: __, accountId: ___, ...definition } = table.definition;
  const latest = region.latestStreams.get(table.name);
  return {
    definition,
    id: table.id,
    indexes: table.indexDefinitions,
    state: state.persisted(),
    ttl: state.ttl?.attributeName ?? null,
    latestStream: latest?.arn ?? null,
  };
};

const streamMeta = (stream: Stream): StreamMeta => ({
  arn: stream.arn,
  tableName: stream.tableName,
  keySchema: stream.keySchema,
  viewType: stream.viewType,
  createdAt: stream.createdAt,
  status: stream.status,
  tags: [...streamTagsOf(stream)],
});

const shardMeta = (shard: Shard): ShardMeta => ({
  id: shard.id,
  ...(shard.parentId === undefined ? {} : { parentId: shard.parentId }),
  start: shard.startingSequence.toString(),
  createdAt: shard.createdAt,
  low: shard.hashRange.low,
  high: shard.hashRange.high,
});

export { shardMeta, streamMeta, tableMeta };
