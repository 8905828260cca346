import type { StreamViewType } from '../../../src/records/streamRecord.js';
import type { Table } from '../dynamodb/Table.js';
import { validationException } from '../errors.js';
import type { OperationContext } from '../operation.js';
import { Stream } from './Stream.js';

/**
 * Turns a table's stream on: a new stream (new ARN and label, as AWS does on every enable) that receives the
 * table's effective changes from now on.
 */
const enableStream = (table: Table, viewType: StreamViewType, context: OperationContext): Stream => {
  const { region } = context;
  if (region.latestStreams.get(table.name)?.status === 'ENABLED') {
    // Real AWS answers ValidationException here, not the ResourceInUseException its docs name
    // (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html;
    // the real answer is pinned in test/integration/emulator/controlPlane.test.ts).
    throw validationException(`Table already has an enabled stream: TableName: ${table.name}`);
  }
  const stream = new Stream({
    region: region.name,
    accountId: region.accountId,
    tableName: table.name,
    keySchema: table.definition.wireKeySchema,
    viewType,
    clock: context.clock,
    sequenceNumbers: context.sequenceNumbers,
    settings: context.streamSettings,
    random: context.random,
    onRecord: (s, shard) => context.onRecord(s, shard),
    ...(region.effects === undefined ? {} : { effects: region.effects }),
  });
  region.streams.set(stream.arn, stream);
  region.latestStreams.set(table.name, stream);
  region.routeChanges(table);
  return stream;
};

/** Turns a table's stream off: its shards close and stay readable. */
const disableStream = (table: Table, context: OperationContext): void => {
  const stream = context.region.latestStreams.get(table.name);
  if (stream?.status !== 'ENABLED') {
    throw validationException(`Table has no stream to disable: TableName: ${table.name}`);
  }
  stream.disable();
  context.region.routeChanges(table);
};

export { disableStream, enableStream };
