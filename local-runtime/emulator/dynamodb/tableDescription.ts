import type { Region } from '../Region.js';
import { type TableState, type TableStatus, tableStateOf } from './controlPlane/TableState.js';
import { describeIndexes } from './indexes/describeIndexes.js';
import { keyAttributeNames } from './keySchema.js';
import type { Table, TableDefinition } from './Table.js';

/**
 * Which response a description is for. DynamoDB shapes them differently: CreateTable's has no WarmThroughput and
 * no LastUpdateToPayPerRequestDateTime, DeleteTable's drops the key schema and creation time, UpdateTable's
 * echoes throughput, billing and class from before the update.
 */
type DescriptionView = 'describe' | 'create' | 'update' | 'delete';

interface DescriptionOptions {
  readonly status: TableStatus;
  readonly view?: DescriptionView;
  /** Epoch ms the description is for (SSEDescription's UPDATING window). @default the table's creation */
  readonly now?: number;
  /** UpdateTable: the state before the update, whose throughput, billing summary and class the response shows. */
  readonly before?: TableState;
  /** UpdateTable: the SSEDescription the response shows while an encryption change starts. */
  readonly sseDescription?: Record<string, unknown>;
}

const seconds = (epochMillis: number): number => epochMillis / 1000;

/** SSEDescription as DescribeTable shows it: absent for the AWS owned key, UPDATING while a change runs. */
const sseDescriptionOf = (state: TableState, now: number): Record<string, unknown> | undefined => {
  const key = state.kmsMasterKeyArn;
  if (state.sseUpdating(now)) {
    return key === undefined
      ? { Status: 'UPDATING' }
      : { Status: 'UPDATING', SSEType: 'KMS', KMSMasterKeyArn: key };
  }
  return key === undefined ? undefined : { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: key };
};

/**
 * The attribute definitions the table's keys and indexes use now: CreateTable's, plus those UpdateTable added
 * with new global secondary indexes, minus those only deleted indexes used.
 */
const attributeDefinitionsOf = (table: Table, state: TableState): TableDefinition['attributeDefinitions'] => {
  const d = table.definition;
  if (state.addedAttributeDefinitions.length === 0) return d.attributeDefinitions;
  const used = new Set([d.keySchema.hashKey, d.keySchema.rangeKey]);
  for (const index of table.indexes.values()) {
    for (const name of keyAttributeNames(index.keySchema)) used.add(name);
  }
  return [...d.attributeDefinitions, ...state.addedAttributeDefinitions].filter((a) =>
    used.has(a.AttributeName),
  );
};

/** DescribeTable's `Table` (and the `TableDescription` of CreateTable, UpdateTable, DeleteTable), in DynamoDB's shape. */
const tableDescription = (
  table: Table,
  region: Region,
  options: TableStatus | DescriptionOptions = 'ACTIVE',
): Record<string, unknown> => {
  const {
    status,
    view = 'describe',
    now,
    before,
    sseDescription,
  } = typeof options === 'string' ? ({ status: options } as DescriptionOptions) : options;
  const d = table.definition;
  const state = tableStateOf(region, table);
  const at = now ?? d.createdAt;
  const shown = before ?? state;
  const stream = region.latestStreams.get(table.name);
  const sse = sseDescription ?? sseDescriptionOf(state, at);
  const throughput = {
    ...(shown.lastIncreaseAt === undefined ? {} : { LastIncreaseDateTime: seconds(shown.lastIncreaseAt) }),
    ...(shown.lastDecreaseAt === undefined ? {} : { LastDecreaseDateTime: seconds(shown.lastDecreaseAt) }),
    NumberOfDecreasesToday: shown.decreasesToday(at),
    ReadCapacityUnits: shown.capacity.read,
    WriteCapacityUnits: shown.capacity.write,
  };
  const billingModeSummary =
    shown.lastPayPerRequestAt === undefined
      ? undefined
      : view === 'create'
        ? { BillingMode: shown.billingMode }
        : {
            BillingMode: shown.billingMode,
            LastUpdateToPayPerRequestDateTime: seconds(shown.lastPayPerRequestAt),
          };
  if (view === 'delete') {
    return {
      TableName: d.name,
      TableStatus: status,
      ProvisionedThroughput: throughput,
      TableSizeBytes: table.sizeBytes,
      ItemCount: table.itemCount,
      TableArn: table.arn,
      TableId: table.id,
      ...(billingModeSummary === undefined ? {} : { BillingModeSummary: billingModeSummary }),
      ...(sse === undefined ? {} : { SSEDescription: sse }),
      DeletionProtectionEnabled: state.deletionProtectionEnabled,
    };
  }
  return {
    AttributeDefinitions: attributeDefinitionsOf(table, state),
    TableName: d.name,
    KeySchema: d.wireKeySchema,
    TableStatus: status,
    CreationDateTime: seconds(d.createdAt),
    ProvisionedThroughput: throughput,
    TableSizeBytes: table.sizeBytes,
    ItemCount: table.itemCount,
    TableArn: table.arn,
    TableId: table.id,
    ...describeIndexes(table, { view, billingMode: shown.billingMode }),
    ...(billingModeSummary === undefined ? {} : { BillingModeSummary: billingModeSummary }),
    // After a disable, StreamSpecification goes (as if never enabled) while LatestStreamArn/Label stay.
    ...(stream === undefined
      ? {}
      : {
          ...(stream.status === 'ENABLED'
            ? { StreamSpecification: { StreamEnabled: true, StreamViewType: stream.viewType } }
            : {}),
          LatestStreamLabel: stream.label,
          LatestStreamArn: stream.arn,
        }),
    ...(sse === undefined ? {} : { SSEDescription: sse }),
    ...(shown.tableClass === undefined
      ? {}
      : {
          TableClassSummary: {
            TableClass: shown.tableClass.value,
            ...(shown.tableClass.updatedAt === undefined
              ? {}
              : { LastUpdateDateTime: seconds(shown.tableClass.updatedAt) }),
          },
        }),
    DeletionProtectionEnabled: state.deletionProtectionEnabled,
    ...(view === 'create'
      ? {}
      : {
          WarmThroughput: {
            ReadUnitsPerSecond: shown.warm.read,
            WriteUnitsPerSecond: shown.warm.write,
            Status: 'ACTIVE',
          },
        }),
  };
};

export type { DescriptionOptions, DescriptionView, TableStatus };
export { attributeDefinitionsOf, tableDescription };
